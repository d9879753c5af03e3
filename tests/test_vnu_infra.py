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
    # The theme's own error message, on markup that is ours: the filter must not hide it.
    "our-checkbox.md": (
        "# Our checkbox\n\n<form><p>"
        '<input type="checkbox" id="agree" name="agree" autocomplete="off">'
        ' <label for="agree">I agree</label></p></form>\n'
    ),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    good = bs.build_site(MINI_SITE, tmp_path_factory.mktemp("good"))
    faulty = bs.build_site(MINI_SITE, tmp_path_factory.mktemp("faulty"), FAULTS)
    messages = bs.vnu([good, faulty])
    return {
        "good": good,
        "good_messages": [m for m in messages if bs.vnu_path(m).is_relative_to(good)],
        "faulty_messages": [m for m in messages if bs.vnu_path(m).is_relative_to(faulty)],
    }


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_site_is_valid_once_the_theme_errors_are_filtered(checked: dict[str, Any]) -> None:
    left = bs.filter_known(checked["good_messages"])
    assert left == [], bs.format_vnu(left)


def test_filter_removes_exactly_the_theme_errors(checked: dict[str, Any]) -> None:
    """Stock Material gives two errors a page; if that changes, the filter needs a look."""
    pages = html_pages(checked["good"])
    assert len(pages) >= 4  # index, form, words, 404
    messages = checked["good_messages"]
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


def test_duplicate_id_is_reported(checked: dict[str, Any]) -> None:
    left = bs.filter_known(checked["faulty_messages"])
    duplicate = [m for m in left if m["message"] == "Duplicate ID “same”."]
    assert len(duplicate) == 1, bs.format_vnu(left)
    assert bs.vnu_path(duplicate[0]).parts[-2:] == ("duplicate-id", "index.html")
    assert "duplicate-id/index.html" in bs.format_vnu(duplicate)


def test_filter_keeps_the_same_error_on_our_own_markup(checked: dict[str, Any]) -> None:
    left = bs.filter_known(checked["faulty_messages"])
    ours = [m for m in left if bs.vnu_path(m).parent.name == "our-checkbox"]
    assert len(ours) == 1, bs.format_vnu(left)
    assert ours[0]["message"] == bs.KNOWN_THEME_ERRORS[0].message
    assert re.search(r'id="agree"', ours[0]["extract"])


def test_everything_left_in_the_faulty_site_is_a_fault_we_made(checked: dict[str, Any]) -> None:
    left = bs.filter_known(checked["faulty_messages"])
    pages = sorted({bs.vnu_path(m).parent.name for m in left})
    assert pages == ["duplicate-id", "our-checkbox"], bs.format_vnu(left)


def test_missing_java_or_vnu_fails_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bs, "VNU_JAR", tmp_path / "vnu.jar")
    with pytest.raises(pytest.fail.Exception, match="make test"):
        bs.vnu([tmp_path])
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match=r"Java .*make test"):
        bs.vnu([tmp_path])
