"""The browser checks, proven on a tiny real MkDocs + Material site (tests/fixtures/mini_site).

Each check passes on the fixed site and is shown to fail when its fault is introduced, so a
green run means the checks work, not merely that they ran.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

import browser_support as bs

MINI_SITE = Path(__file__).parent / "fixtures" / "mini_site"
PAGES = ("", "form/", "words/")

FAULTS = {
    "unlabelled.md": (
        '# Unlabelled\n\n<form><p>Nickname <input type="text" name="nickname"></p></form>\n'
    ),
    "external-font.md": (
        "# External font\n\n"
        '<link rel="stylesheet" href="https://fonts.example.invalid/css2?family=Roboto">\n\n'
        "A page that loads a font from another host.\n"
    ),
    "wide.md": (
        '# Wide\n\n<div class="wide-box" style="width: 600px">A box wider than a phone.</div>\n'
    ),
    "no-ring.md": (
        "# No ring\n\n"
        "<style>.no-ring:focus-visible { outline: none !important;"
        " box-shadow: none !important; }</style>\n\n"
        '<p><button type="button" class="no-ring">Press me</button></p>\n'
    ),
    "mouse-only.md": (
        "# Mouse only\n\n"
        '<input type="checkbox" id="secret" hidden>\n'
        '<p><label for="secret" style="cursor: pointer">Show more</label></p>\n'
    ),
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = bs.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = bs.build_site(MINI_SITE, tmp_path_factory.mktemp("good"))
    with bs.serve(site) as base:
        yield base


@pytest.fixture(scope="module")
def faulty_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = bs.build_site(MINI_SITE, tmp_path_factory.mktemp("faulty"), FAULTS)
    with bs.serve(site) as base:
        yield base


@pytest.fixture(scope="module")
def stock_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The mini site with our CSS and hook taken out: Material as it ships."""
    work = tmp_path_factory.mktemp("stock")
    source = work / "source"
    shutil.copytree(MINI_SITE, source)
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    for ours in ("extra_css:\n  - stylesheets/extra.css\n", "hooks:\n  - hooks.py\n"):
        assert ours in config
        config = config.replace(ours, "")
    (source / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.rmtree(source / "docs" / "stylesheets", ignore_errors=True)
    site = bs.build_site(source, work)
    assert not (site / "stylesheets").exists()
    with bs.serve(site) as base:
        yield base


def open_page(browser: Browser, base: str, path: str, width: int) -> tuple[Page, list[str]]:
    context = bs.new_context(browser, width)
    requests = bs.guard_origin(context, base)
    page = context.new_page()
    page.goto(base + path)
    return page, requests


# ---------------------------------------------------------------- the fixed site passes


@pytest.mark.parametrize("width", [bs.NARROW, bs.WIDE])
@pytest.mark.parametrize("path", PAGES)
def test_page_passes_every_browser_check(
    browser: Browser, good_site: str, path: str, width: int
) -> None:
    page, requests = open_page(browser, good_site, path, width)
    where = f"/{path} at {width}px"
    try:
        violations = bs.run_axe(page)
        assert violations == [], bs.format_violations(violations, where)

        overflow = bs.horizontal_overflow(page)
        widest = ", ".join(bs.widest_elements(page))
        assert overflow <= 0, f"{where} scrolls sideways by {overflow}px: {widest}"

        # axe runs first: it must judge the page as loaded, not with something focused.
        stops = bs.tab_through(page, max_steps=100)
        hidden = [f"{s.element}: {s.reason}" for s in stops if not s.visible]
        assert hidden == [], f"focus not visible on {where}:\n  " + "\n  ".join(hidden)
        unreachable = bs.unreachable_elements(page, stops)
        assert unreachable == [], f"Tab never reaches on {where}:\n  " + "\n  ".join(unreachable)
        elements = [s.element for s in stops]
        assert any("md-skip" in e for e in elements), elements
        if path == "form/":
            assert any("input#first-name" in e for e in elements), elements
            assert any("textarea#wish" in e for e in elements), elements
        if width == bs.NARROW:
            menu = "button.md-header__button"
            assert any(e.startswith(menu) and e.endswith('"Menu"') for e in elements), elements

        assert requests, "the request log saw nothing: it is not attached"
        bs.assert_same_origin(requests, good_site)
    finally:
        page.context.close()


def test_menu_opens_from_the_keyboard_at_phone_width(browser: Browser, good_site: str) -> None:
    page, _ = open_page(browser, good_site, "", bs.NARROW)
    try:
        before = [s.element for s in bs.tab_through(page)]
        assert not any('href="form/"' in e and "md-nav__link" in e for e in before), before
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        focused = (bs.focused_element(page) or bs.FocusStop(0, "", False, "")).element
        # A real button, named for a screen reader, and it says whether the menu is open.
        assert focused.startswith("button.md-header__button") and focused.endswith('"Menu"')
        expanded = "() => document.querySelector('[data-yr-toggle=__drawer]').ariaExpanded"
        assert page.evaluate(expanded) == "false"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.getElementById('__drawer').checked")
        assert page.evaluate(expanded) == "true"
        page.wait_for_timeout(300)
        stops = bs.tab_through(page)
        nav = [s for s in stops if "md-nav__link" in s.element and 'href="form/"' in s.element]
        assert nav, [s.element for s in stops]
        assert all(s.visible for s in nav), nav
    finally:
        page.context.close()


# ---------------------------------------------------------------- each fault is caught


def test_axe_finds_an_unlabelled_input(browser: Browser, faulty_site: str) -> None:
    page, _ = open_page(browser, faulty_site, "unlabelled/", bs.WIDE)
    try:
        violations = bs.run_axe(page)
        label = [v for v in violations if v.rule == "label"]
        assert label, bs.format_violations(violations)
        assert any('input[name="nickname"]' in t for t in label[0].targets), label[0]
        assert "label" in bs.format_violations(violations)
    finally:
        page.context.close()


def test_request_to_another_host_fails_the_check(browser: Browser, faulty_site: str) -> None:
    page, requests = open_page(browser, faulty_site, "external-font/", bs.WIDE)
    try:
        foreign = bs.foreign_requests(requests, faulty_site)
        assert foreign == ["https://fonts.example.invalid/css2?family=Roboto"], requests
        with pytest.raises(AssertionError, match=r"fonts\.example\.invalid"):
            bs.assert_same_origin(requests, faulty_site)
    finally:
        page.context.close()


def test_same_origin_rules() -> None:
    base = "http://127.0.0.1:8000/"
    bs.assert_same_origin(
        [base, base + "a.css", "data:image/png;base64,AA==", "blob:http://127.0.0.1:8000/x"], base
    )
    for url in (
        "http://127.0.0.1:8001/a.css",
        "https://127.0.0.1:8000/a.css",
        "http://localhost:8000/a.css",
        "blob:https://elsewhere.example/x",
    ):
        with pytest.raises(AssertionError):
            bs.assert_same_origin([base, url], base)


def test_wide_element_fails_the_sideways_scroll_check(browser: Browser, faulty_site: str) -> None:
    page, _ = open_page(browser, faulty_site, "wide/", bs.NARROW)
    try:
        assert not bs.no_horizontal_scroll(page)
        assert bs.horizontal_overflow(page) > 200
        assert any("wide-box" in e for e in bs.widest_elements(page))
    finally:
        page.context.close()


def test_missing_focus_ring_is_caught(browser: Browser, faulty_site: str) -> None:
    page, _ = open_page(browser, faulty_site, "no-ring/", bs.WIDE)
    try:
        stops = bs.tab_through(page)
        button = [s for s in stops if s.element.startswith("button.no-ring")]
        assert len(button) == 1, [s.element for s in stops]
        assert not button[0].visible
        assert "no visible outline or box-shadow" in button[0].reason
        page.focus("button.no-ring")
        assert not bs.focus_indicator_visible(page)
    finally:
        page.context.close()


def test_mouse_only_control_is_caught(browser: Browser, faulty_site: str) -> None:
    page, _ = open_page(browser, faulty_site, "mouse-only/", bs.WIDE)
    try:
        unreachable = bs.unreachable_elements(page, bs.tab_through(page))
        assert len(unreachable) == 1, unreachable
        assert 'for="secret"' in unreachable[0], unreachable
    finally:
        page.context.close()


def test_stock_material_fails_without_our_fixes(browser: Browser, stock_site: str) -> None:
    """Our CSS and theme overrides are what make the site pass: without them checks object."""
    page, _ = open_page(browser, stock_site, "", bs.NARROW)
    try:
        rules = {v.rule: v for v in bs.run_axe(page)}
        assert set(rules) == {"color-contrast", "link-in-text-block"}, bs.format_violations(
            list(rules.values())
        )
        assert rules["color-contrast"].targets == (".md-copyright",)
        stops = bs.tab_through(page)
        assert any(not s.visible for s in stops)
        unreachable = bs.unreachable_elements(page, stops)
        assert any('for="__drawer"' in e for e in unreachable), unreachable
    finally:
        page.context.close()


def test_missing_chromium_or_axe_fails_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bs, "CHROMIUM", tmp_path / "no-chromium")
    # The check comes before Playwright is touched, so no second Playwright is started here.
    with pytest.raises(pytest.fail.Exception, match="make test"):
        bs.launch_chromium(cast(Playwright, object()))
    with pytest.raises(pytest.fail.Exception, match="make test"):
        bs.require_tool(tmp_path / "axe.min.js", "axe-core")
