"""Every page type of both audiences, in Debian's Chromium, at 320 px and 1280 px wide.

For each page: axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) finds no violation; nothing
scrolls sideways at 320 px; no request leaves the site. Every page type is also walked with
Tab at both widths: every interactive element is reached, and shows where the focus is.
The last tests put faults into a copy of our own built pages and show each check catches them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

import browser_support as bs
from conftest import ROOT
from yourreview.forms import load_forms

FORMS = load_forms(ROOT / "site_config" / "questions.yml")
# The CiCC's comment form has no page of its own: it is on each form's CiCC page.
LIVE_FORMS = [f.id for f in FORMS.approved if f.purpose != "cicc-comment"]
CICC_BY_STATUS = {f.status: f.id for f in reversed(FORMS.forms) if f is not FORMS.cicc_form()}

# (path, walk with Tab): the first page of each type is walked; the others of the same type
# share its templates, so axe, the sideways-scroll check and the request log are enough.
PUBLIC_PAGES: list[tuple[str, bool]] = [
    ("", True),
    ("about/", True),
    ("words-we-use/", True),
    ("have-your-say/", True),
    ("404.html", True),
    ("cicc/", True),
    *((f"cicc/{form_id}/", True) for form_id in CICC_BY_STATUS.values()),
    *((f"f/{form_id}/", i == 0) for i, form_id in enumerate(LIVE_FORMS)),
    *((f"f/{form_id}/print/", i == 0) for i, form_id in enumerate(LIVE_FORMS)),
    # What you told us: the charts and wide tables at 320 px; one year of each kind walked.
    ("what-you-told-us/", True),
    ("what-you-told-us/2025-26/", True),
    ("what-you-told-us/2024-25/", False),
    ("what-you-told-us/2025-26-easy-read/", True),
    ("what-you-told-us/about/", True),
    ("what-you-told-us/you-said-we-did/", True),
]
LETTERS = {
    "early-years": "AT-2026-0455",
    "child": "AT-2026-0877",
    "young-person": "AT-2026-0733",
    "easy-read": "AT-2026-0540",
}
INTERNAL_PAGES: list[tuple[str, bool]] = [
    ("letters/", True),
    *((f"letters/{ref}/", True) for ref in LETTERS.values()),
    ("consultation/", True),
    ("consultation/AT-2026-0877/", True),
    ("checks/", True),
]
# Folders of page families tested above by example; any other top-level page (a new page
# type, such as an accessibility statement) is found in the build and checked in full.
FAMILIES = ("f", "cicc", "letters", "consultation", "assets", "search", "what-you-told-us")
WIDTHS = (bs.NARROW, bs.WIDE)


def test_the_example_has_forms_of_each_status() -> None:
    assert {"approved", "with-cicc"} <= set(CICC_BY_STATUS), CICC_BY_STATUS
    assert len(LIVE_FORMS) >= 6, LIVE_FORMS


def open_page(browser: Browser, base: str, path: str, width: int) -> tuple[Page, list[str]]:
    context = bs.new_context(browser, width)
    requests = bs.guard_origin(context, base)
    page = context.new_page()
    response = page.goto(base + path, wait_until="load")
    assert response is not None and response.ok, f"/{path}: {response and response.status}"
    return page, requests


def check_page(browser: Browser, base: str, path: str, width: int, walk: bool) -> None:
    page, requests = open_page(browser, base, path, width)
    where = f"/{path} at {width}px"
    try:
        violations = bs.run_axe(page)
        assert violations == [], bs.format_violations(violations, where)

        if width == bs.NARROW:
            overflow = bs.horizontal_overflow(page)
            widest = ", ".join(bs.widest_elements(page))
            assert overflow <= 0, f"{where} scrolls sideways by {overflow}px: {widest}"

        if walk:  # after axe: it must judge the page as loaded, not with something focused
            stops = bs.tab_through(page, max_steps=300)
            assert stops, f"Tab reaches nothing on {where}"
            hidden = [f"{s.element}: {s.reason}" for s in stops if not s.visible]
            assert hidden == [], f"focus not visible on {where}:\n  " + "\n  ".join(hidden)
            unreachable = unreachable_elements(page, stops)
            assert unreachable == [], f"Tab never reaches on {where}:\n  " + "\n  ".join(
                unreachable
            )

        assert requests, "the request log saw nothing: it is not attached"
        bs.assert_same_origin(requests, base)
    finally:
        page.context.close()


# A radio group is one Tab stop: Tab reaches its checked (or first) button and the arrow keys
# move between the others (HTML's own keyboard model). The other buttons of a group that Tab
# reached are therefore reachable too; test_forms_browser.py drives those arrows.
_RADIO_GROUPS = """ids => Object.fromEntries(ids.map(id => {
  const el = document.getElementById(id);
  if (!el || el.type !== "radio" || !el.name) return [id, null];
  const owner = el.form ? [...document.forms].indexOf(el.form) : -1;
  return [id, `${owner}/${el.name}`];
}))"""
_INPUT_ID = re.compile(r"^input#([^.\[\s]+)")


def interactive_elements(page: Page) -> list[bs.FocusStop]:
    """bs.interactive_elements over the whole page, not only the part in the window.

    It counts a clickable <label> of a hidden control only where the label is on top at its
    centre (elementFromPoint), which it cannot be below the fold: scroll down the page half a
    window at a time so that every such label is looked at once in view.
    """
    found: dict[int, bs.FocusStop] = {}
    height = int(page.evaluate("() => document.documentElement.scrollHeight"))
    step = max(100, int(page.evaluate("() => window.innerHeight")) // 2)
    for y in range(0, height + step, step):
        page.evaluate('y => window.scrollTo({top: y, behavior: "instant"})', y)
        for element in bs.interactive_elements(page):
            found.setdefault(element.key, element)
    page.evaluate("() => window.scrollTo(0, 0)")
    return list(found.values())


def unreachable_elements(page: Page, stops: list[bs.FocusStop]) -> list[str]:
    reached_keys = {stop.key for stop in stops}
    missing = [e.element for e in interactive_elements(page) if e.key not in reached_keys]
    ids = [m.group(1) for e in [*missing, *(s.element for s in stops)] if (m := _INPUT_ID.match(e))]
    groups: dict[str, str | None] = page.evaluate(_RADIO_GROUPS, ids)
    reached = {groups.get(m.group(1)) for s in stops if (m := _INPUT_ID.match(s.element))}
    reached.discard(None)

    def in_reached_group(element: str) -> bool:
        found = _INPUT_ID.match(element)
        return found is not None and groups.get(found.group(1)) in reached

    return [e for e in missing if not in_reached_group(e)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "walk"), PUBLIC_PAGES)
def test_public_page(browser: Browser, public_base: str, path: str, walk: bool, width: int) -> None:
    check_page(browser, public_base, path, width, walk)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "walk"), INTERNAL_PAGES)
def test_internal_page(
    browser: Browser, internal_base: str, path: str, walk: bool, width: int
) -> None:
    check_page(browser, internal_base, path, width, walk)


def other_pages(site: Path, listed: list[tuple[str, bool]]) -> list[str]:
    known = {path for path, _ in listed}
    found = []
    for index in sorted(site.glob("*/index.html")):
        folder = index.parent.name
        if folder not in FAMILIES and f"{folder}/" not in known:
            found.append(f"{folder}/")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_other_public_page(
    browser: Browser, public_site: Path, public_base: str, width: int
) -> None:
    for path in other_pages(public_site, PUBLIC_PAGES):
        check_page(browser, public_base, path, width, walk=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_other_internal_page(
    browser: Browser, internal_site: Path, public_site: Path, internal_base: str, width: int
) -> None:
    public = {p for p, _ in PUBLIC_PAGES} | set(other_pages(public_site, PUBLIC_PAGES))
    listed = INTERNAL_PAGES + [(p, True) for p in public]
    for path in other_pages(internal_site, listed):
        check_page(browser, internal_base, path, width, walk=True)


def test_the_lists_above_match_the_build(public_site: Path, internal_site: Path) -> None:
    for path, _ in PUBLIC_PAGES:
        assert (public_site / path / "index.html").exists() or (public_site / path).is_file(), path
        assert not path.startswith(("letters", "consultation")), path
    for path, _ in INTERNAL_PAGES:
        assert (internal_site / path / "index.html").exists(), path
        assert not (public_site / path / "index.html").exists(), f"{path} is in the public site"
    built = {p.parent.name for p in (public_site / "f").glob("*/index.html")}
    assert built == set(LIVE_FORMS)


def test_each_letter_has_its_style(internal_site: Path) -> None:
    for style, ref in LETTERS.items():
        html = (internal_site / "letters" / ref / "index.html").read_text(encoding="utf-8")
        assert f'class="yr-letter yr-style-{style}"' in html, (ref, style)


@pytest.mark.parametrize(
    ("audience", "path"),
    [("public", f"f/{LIVE_FORMS[0]}/"), ("internal", f"letters/{LETTERS['child']}/")],
)
def test_the_first_tab_skips_the_header_to_the_page(
    browser: Browser, public_base: str, internal_base: str, audience: str, path: str
) -> None:
    # WCAG 2.4.1: a child at 320 px should not have to pass the menu and search to reach the
    # form or the letter. Material gives a skip link only to pages with a table of contents.
    base = public_base if audience == "public" else internal_base
    page, _ = open_page(browser, base, path, bs.NARROW)
    try:
        page.keyboard.press("Tab")
        first = bs.focused_element(page)
        assert first is not None and "md-skip" in first.element, first
        assert first.visible, first.reason
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "yr-content"
        page.keyboard.press("Tab")
        inside = "() => document.getElementById('yr-content').contains(document.activeElement)"
        assert page.evaluate(inside), bs.focused_element(page)
    finally:
        page.context.close()


# ---------------------------------------------------------------- each fault is caught here too

FAULTY_FORM = "cicc/before-8-12/"


@pytest.fixture(scope="module")
def faulty_base(public_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the public site with faults put into copies of our own pages."""
    site = tmp_path_factory.mktemp("faulty") / "site"
    shutil.copytree(public_site, site)
    source = (site / FAULTY_FORM / "index.html").read_text(encoding="utf-8")
    faults = {
        # a question whose input has lost its label
        "unlabelled": (
            '<p class="yr-skip">',
            '<input type="text" name="nickname"><p class="yr-skip">',
        ),
        # a font from another host
        "font": (
            "</head>",
            '<link rel="stylesheet" href="https://fonts.example.invalid/f.css"></head>',
        ),
        # a box wider than a phone
        "wide": (
            '<p class="yr-skip">',
            '<div class="yr-wide" style="width:600px">x</div><p class="yr-skip">',
        ),
        # "custom" tick boxes and radio buttons: the real ones hidden, only the labels clickable
        "untabbable": ("</head>", "<style>.yr-option input{display:none}</style></head>"),
        # the focus ring taken off the form's radio buttons
        "no-ring": (
            "</head>",
            "<style>.yr-option input:focus-visible{outline:none!important;"
            "box-shadow:none!important}</style></head>",
        ),
    }
    for name, (old, new) in faults.items():
        assert old in source, (name, old)
        folder = site / "faults" / name
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(source.replace(old, new, 1), encoding="utf-8")
    with bs.serve(site) as base:
        yield base


def _open_fault(browser: Browser, base: str, name: str, width: int) -> tuple[Page, list[str]]:
    # faults/<name>/ is as deep as cicc/<id>/, so the copies' relative links still work.
    return open_page(browser, base, f"faults/{name}/", width)


def test_an_unlabelled_input_on_our_form_is_caught(browser: Browser, faulty_base: str) -> None:
    page, _ = _open_fault(browser, faulty_base, "unlabelled", bs.WIDE)
    try:
        violations = bs.run_axe(page)
        assert [v.rule for v in violations] == ["label"], bs.format_violations(violations)
        assert any('input[name="nickname"]' in t for t in violations[0].targets)
    finally:
        page.context.close()


def test_a_font_from_another_host_is_caught(browser: Browser, faulty_base: str) -> None:
    page, requests = _open_fault(browser, faulty_base, "font", bs.WIDE)
    try:
        with pytest.raises(AssertionError, match=r"fonts\.example\.invalid"):
            bs.assert_same_origin(requests, faulty_base)
    finally:
        page.context.close()


def test_a_wide_box_on_our_form_is_caught(browser: Browser, faulty_base: str) -> None:
    page, _ = _open_fault(browser, faulty_base, "wide", bs.NARROW)
    try:
        assert bs.horizontal_overflow(page) > 200
        assert any("yr-wide" in e for e in bs.widest_elements(page))
    finally:
        page.context.close()


def test_a_missing_focus_ring_on_our_form_is_caught(browser: Browser, faulty_base: str) -> None:
    page, _ = _open_fault(browser, faulty_base, "no-ring", bs.WIDE)
    try:
        stops = bs.tab_through(page, max_steps=300)
        radios = [s for s in stops if s.element.startswith("input") and 'type="radio"' in s.element]
        assert radios, [s.element for s in stops]
        assert not any(s.visible for s in radios), radios
        assert all("no visible outline or box-shadow" in s.reason for s in radios)
    finally:
        page.context.close()


def test_a_control_tab_cannot_reach_is_caught(browser: Browser, faulty_base: str) -> None:
    page, _ = _open_fault(browser, faulty_base, "untabbable", bs.WIDE)
    try:
        unreachable = unreachable_elements(page, bs.tab_through(page, max_steps=300))
        form = FORMS.by_id("before-8-12")
        options = sum(len(q.values) for q in form.questions)
        labels = [e for e in unreachable if e.startswith("label.yr-option")]
        assert len(labels) >= options, unreachable
        assert any('for="yr-before-8-12-take-part-1"' in e for e in labels), labels
    finally:
        page.context.close()
