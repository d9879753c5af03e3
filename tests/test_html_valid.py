"""The Nu HTML Checker (vnu.jar) over every page of every build: public, internal, and the
public site with its forms sending to an endpoint (the markup of a real <form>).

One Java process checks all of it, and faulty copies of our own pages beside it, so the test
also shows that an error we introduce is reported. Nothing is filtered: Material's own markup
errors are fixed by the plugin's theme overrides (src/yourreview/theme/).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import browser_support as bs
from conftest import FormsServer

# (file name, the text to find in a copy of a form page, what to put instead, vnu's message)
FAULTS = (
    (
        "duplicate-id.html",
        '<p class="yr-skip">',
        '<p id="yr-dup">One</p><p id="yr-dup">Two</p><p class="yr-skip">',
        "Duplicate ID “yr-dup”.",
    ),
    (
        "unescaped-attribute.html",
        '<p class="yr-skip">',
        '<p title="Sam said "hello" today" class="yr-skip">',
        'Attribute “hello"” not allowed on element “p” at this point.',
    ),
    # The two errors stock Material writes on every page, here on markup of ours: the checker
    # still reports them, so the theme overrides (not a filter) are what make the pages pass.
    (
        "checkbox-autocomplete.html",
        '<p class="yr-skip">',
        '<input type="checkbox" id="yr-box" autocomplete="off"><p class="yr-skip">',
        "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
        "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, "
        "“search”, “tel”, “text”, “time”, “url”, or “week”.",
    ),
    (
        "label-tabindex.html",
        '<p class="yr-skip">',
        '<label tabindex="">Section</label><p class="yr-skip">',
        "Bad value “” for attribute “tabindex” on element “label”: "
        "The empty string is not a valid integer.",
    ),
)
FAULTY_FROM = Path("f") / "before-8-12" / "index.html"


@pytest.fixture(scope="module")
def checked(
    public_site: Path,
    internal_site: Path,
    forms_server: FormsServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, Path], list[dict[str, Any]], set[Path]]]:
    faulty = tmp_path_factory.mktemp("invalid")
    source = (forms_server.site / FAULTY_FROM).read_text(encoding="utf-8")
    for name, old, new, _ in FAULTS:
        assert old in source, old
        (faulty / name).write_text(source.replace(old, new, 1), encoding="utf-8")
    sites = {
        "public": public_site,
        "internal": internal_site,
        "forms": forms_server.site,
        "faulty": faulty,
    }
    messages, seen = bs.vnu_report(list(sites.values()))
    yield sites, messages, seen


def messages_in(messages: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    return [m for m in messages if folder.resolve() in bs.vnu_path(m).resolve().parents]


Checked = tuple[dict[str, Path], list[dict[str, Any]], set[Path]]


@pytest.mark.parametrize("site", ["public", "internal", "forms"])
def test_every_page_is_valid_html_with_no_filter(checked: Checked, site: str) -> None:
    sites, messages, seen = checked
    errors = messages_in(messages, sites[site])
    assert errors == [], bs.format_vnu(errors)
    # vnu looked at every page (its own list of the files it checked).
    pages = {p.resolve() for p in sites[site].rglob("*.html")}
    assert len(pages) > 20
    assert pages <= seen, sorted(pages - seen)


def test_the_forms_build_has_real_forms(checked: Checked) -> None:
    sites, _, _ = checked
    html = (sites["forms"] / FAULTY_FROM).read_text(encoding="utf-8")
    assert '<form class="yr-form-body" method="post"' in html


@pytest.mark.parametrize(("name", "message"), [(f[0], f[3]) for f in FAULTS])
def test_an_introduced_error_is_reported(checked: Checked, name: str, message: str) -> None:
    sites, messages, _ = checked
    path = (sites["faulty"] / name).resolve()
    errors = [m for m in messages if bs.vnu_path(m).resolve() == path]
    assert message in [m["message"] for m in errors], bs.format_vnu(errors)
    assert str(path) in bs.format_vnu(errors)


def test_a_missing_java_or_checker_fails_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = tmp_path / "a.html"
    page.write_text("<!doctype html><title>a</title>", encoding="utf-8")
    monkeypatch.setattr(bs, "VNU_JAR", tmp_path / "no-vnu.jar")
    with pytest.raises(pytest.fail.Exception, match="make test"):
        bs.vnu([page])
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="make test"):
        bs.vnu([page])
