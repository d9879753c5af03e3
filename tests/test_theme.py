"""The plugin's overrides of Material's templates: small, marked changes to Material's own files.

The HTML they make is proven by the Nu HTML Checker (test_html_valid.py, no filter) and the
browser tests (keyboard, axe); here: each copy is Material's file with only marked changes, so
an upgrade of Material that changes one of them fails here first, and a council's own
custom_dir still comes before ours.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from types import SimpleNamespace

import material
import pytest
from mkdocs.theme import Theme

from yourreview.plugin import THEME_OVERRIDES, add_theme_overrides

MATERIAL = Path(material.__file__).parent / "templates"
COPIES = sorted(p.relative_to(THEME_OVERRIDES) for p in THEME_OVERRIDES.rglob("*.html"))


def test_the_overrides_are_the_ones_we_mean() -> None:
    assert [p.as_posix() for p in COPIES] == [
        "base.html",
        "partials/header.html",
        "partials/nav-item.html",
    ]


@pytest.mark.parametrize("name", COPIES, ids=str)
def test_each_copy_is_materials_file_with_marked_changes_only(name: Path) -> None:
    theirs = (MATERIAL / name).read_text(encoding="utf-8").splitlines()[3:]  # after its header
    ours = (THEME_OVERRIDES / name).read_text(encoding="utf-8").splitlines()[4:]  # after ours
    # Each change carries a "Your Review:" comment, or closes an element one opened just above.
    changes = [
        ours[max(0, j1 - 5) : j2]
        for op, _, _, j1, j2 in difflib.SequenceMatcher(a=theirs, b=ours).get_opcodes()
        if op != "equal"
    ]
    assert changes, f"{name} is the same as Material's: delete our copy"
    for lines in changes:
        assert any("Your Review:" in line for line in lines), "\n".join(lines)


def test_material_is_the_version_the_copies_were_made_from() -> None:
    header = (THEME_OVERRIDES / "base.html").read_text(encoding="utf-8").splitlines()[1]
    assert f"Material {material.__version__}'s" in header, (
        "Material changed: copy its base.html, partials/header.html and partials/nav-item.html "
        "again and make the marked changes"
    )


def test_a_councils_own_custom_dir_still_wins(tmp_path: Path) -> None:
    theme = Theme(name="material", custom_dir=str(tmp_path))
    config = SimpleNamespace(theme=theme)
    add_theme_overrides(config)  # type: ignore[arg-type]
    add_theme_overrides(config)  # type: ignore[arg-type]  # once only
    assert theme.dirs[0] == str(tmp_path)
    assert theme.dirs[1] == str(THEME_OVERRIDES)
    assert theme.dirs.count(str(THEME_OVERRIDES)) == 1
    plain = Theme(name="material")
    add_theme_overrides(SimpleNamespace(theme=plain))  # type: ignore[arg-type]
    assert plain.dirs[0] == str(THEME_OVERRIDES)
