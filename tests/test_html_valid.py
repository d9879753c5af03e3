"""The Nu HTML Checker (vnu.jar) over every page of every build: public, internal, and the
public site with its forms sending to an endpoint (the markup of a real <form>).

One Java process checks all of it, and faulty copies of our own pages beside it, so the test
also shows that an error we introduce is reported. Errors Material itself emits on every page
are filtered by exact message and markup (browser_support.KNOWN_THEME_ERRORS), nothing else.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Iterator
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
)
FAULTY_FROM = Path("f") / "before-8-12" / "index.html"

KNOWN_ERRORS = (
    *bs.KNOWN_THEME_ERRORS,
    # Material 9.8.1 (partials/nav-item.html) writes `tabindex="{{ tabindex }}"` on the label
    # of a navigation section, and sets tabindex only when the item is not a section, so with
    # `navigation.sections` every section label (our cicc/, letters/, consultation/ folders)
    # gets tabindex="". It is in the theme's template, not in anything we write; a section
    # label is a heading there, so nothing is lost to the keyboard (test_browser_pages.py).
    bs.KnownThemeError(
        message="Bad value “” for attribute “tabindex” on element “label”: "
        "The empty string is not a valid integer.",
        markup=re.compile(
            r'<label class="md-nav__link" for="(__nav_\d+)" id="\1_label" tabindex="">'
        ),
        why="Material's navigation section labels: tabindex left empty by its template",
    ),
)


def errors_of(messages: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return bs.filter_known(messages, KNOWN_ERRORS)


@pytest.fixture(scope="module")
def checked(
    public_site: Path,
    internal_site: Path,
    forms_server: FormsServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, Path], list[dict[str, Any]]]]:
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
    yield sites, bs.vnu(list(sites.values()))


def messages_in(messages: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    return [m for m in messages if folder.resolve() in bs.vnu_path(m).resolve().parents]


@pytest.mark.parametrize("site", ["public", "internal", "forms"])
def test_every_page_is_valid_html(
    checked: tuple[dict[str, Path], list[dict[str, Any]]], site: str
) -> None:
    sites, messages = checked
    found = messages_in(messages, sites[site])
    errors = errors_of(found)
    assert errors == [], bs.format_vnu(errors)

    # vnu looked at every page: Material's two toggle errors are on each one of them.
    pages = {p.resolve() for p in sites[site].rglob("*.html")}
    assert len(pages) > 20
    toggles = [m for m in found if any(k.matches(m) for k in bs.KNOWN_THEME_ERRORS)]
    assert {bs.vnu_path(m).resolve() for m in toggles} == pages
    assert len(toggles) == 2 * len(pages)


def test_the_forms_build_has_real_forms(
    checked: tuple[dict[str, Path], list[dict[str, Any]]],
) -> None:
    sites, _ = checked
    html = (sites["forms"] / FAULTY_FROM).read_text(encoding="utf-8")
    assert '<form class="yr-form-body" method="post"' in html


@pytest.mark.parametrize(("name", "message"), [(f[0], f[3]) for f in FAULTS])
def test_an_introduced_error_is_reported(
    checked: tuple[dict[str, Path], list[dict[str, Any]]], name: str, message: str
) -> None:
    sites, messages = checked
    path = (sites["faulty"] / name).resolve()
    errors = errors_of(m for m in messages if bs.vnu_path(m).resolve() == path)
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
