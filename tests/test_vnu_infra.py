"""The Nu HTML Checker (vnu.jar), proven on the tiny MkDocs + Material site.

One Java process checks both builds: vnu takes seconds to start.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import browser_support as bs

MINI_SITE = Path(__file__).parent / "fixtures" / "mini_site"

FAULTS = {
    "duplicate-id.md": '# Duplicate id\n\n<p id="same">One</p>\n\n<p id="same">Two</p>\n',
    # What stock Material writes, on a page of ours: still reported, so nothing hides it.
    "our-checkbox.md": (
        "# Our checkbox\n\n<form><p>"
        '<input type="checkbox" id="agree" name="agree" autocomplete="off">'
        ' <label for="agree">I agree</label></p></form>\n'
    ),
}
AUTOCOMPLETE = (
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
    "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, "
    "“search”, “tel”, “text”, “time”, “url”, or “week”."
)


def stock(work: Path) -> Path:
    """The mini site without our hook, so without our theme overrides: Material as it ships."""
    source = work / "source"
    shutil.copytree(MINI_SITE, source)
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks:\n  - hooks.py\n" in config
    (source / "mkdocs.yml").write_text(config.replace("hooks:\n  - hooks.py\n", ""), "utf-8")
    return bs.build_site(source, work / "build")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    good = bs.build_site(MINI_SITE, tmp_path_factory.mktemp("good"))
    faulty = bs.build_site(MINI_SITE, tmp_path_factory.mktemp("faulty"), FAULTS)
    material = stock(tmp_path_factory.mktemp("stock"))
    messages, seen = bs.vnu_report([good, faulty, material])

    def within(site: Path) -> list[dict[str, Any]]:
        return [m for m in messages if bs.vnu_path(m).is_relative_to(site)]

    return {
        "good": good,
        "seen": seen,
        "good_messages": within(good),
        "faulty_messages": within(faulty),
        "stock": material,
        "stock_messages": within(material),
    }


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_site_with_our_theme_overrides_is_valid_with_no_filter(checked: dict[str, Any]) -> None:
    assert checked["good_messages"] == [], bs.format_vnu(checked["good_messages"])
    pages = html_pages(checked["good"])
    assert len(pages) >= 4  # index, form, words, 404
    assert {p.resolve() for p in pages} <= checked["seen"]


def test_stock_material_has_the_errors_our_overrides_remove(checked: dict[str, Any]) -> None:
    """Stock Material gives two errors a page: the autocomplete on its two checkboxes."""
    pages = html_pages(checked["stock"])
    messages = checked["stock_messages"]
    assert len(messages) == 2 * len(pages), bs.format_vnu(messages)
    for page in pages:
        on_page = [m for m in messages if bs.vnu_path(m) == page]
        flagged = sorted(
            m["extract"][m["hiliteStart"] : m["hiliteStart"] + m["hiliteLength"]] for m in on_page
        )
        assert flagged == [
            f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}"'
            ' autocomplete="off">'
            for name in ("drawer", "search")
        ], page
        assert {m["message"] for m in on_page} == {AUTOCOMPLETE}


def test_duplicate_id_is_reported(checked: dict[str, Any]) -> None:
    left = checked["faulty_messages"]
    duplicate = [m for m in left if m["message"] == "Duplicate ID “same”."]
    assert len(duplicate) == 1, bs.format_vnu(left)
    assert bs.vnu_path(duplicate[0]).parts[-2:] == ("duplicate-id", "index.html")
    assert "duplicate-id/index.html" in bs.format_vnu(duplicate)


def test_the_theme_error_on_our_own_markup_is_reported(checked: dict[str, Any]) -> None:
    left = checked["faulty_messages"]
    ours = [m for m in left if bs.vnu_path(m).parent.name == "our-checkbox"]
    assert len(ours) == 1, bs.format_vnu(left)
    assert ours[0]["message"] == AUTOCOMPLETE
    assert re.search(r'id="agree"', ours[0]["extract"])


def test_everything_in_the_faulty_site_is_a_fault_we_made(checked: dict[str, Any]) -> None:
    pages = sorted({bs.vnu_path(m).parent.name for m in checked["faulty_messages"]})
    assert pages == ["duplicate-id", "our-checkbox"], bs.format_vnu(checked["faulty_messages"])


def test_missing_java_or_vnu_fails_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bs, "VNU_JAR", tmp_path / "vnu.jar")
    with pytest.raises(pytest.fail.Exception, match="make test"):
        bs.vnu([tmp_path])
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match=r"Java .*make test"):
        bs.vnu([tmp_path])
