"""The whole loop in a browser at 320 px, on one origin as the preview serves it: a child scans
the QR code on their letter, answers by keyboard, lands on the thank-you page, and after the
next internal build the answer is on their review's page.

The receiver is mounted under /answers/ beside the built site, in one Waitress server: the
way `yourreview preview` is to serve it (make_app only looks at PATH_INFO).
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

import browser_support as bs
from answers_support import serving
from conftest import build_site, copy_example, set_endpoint
from test_forms_browser import decode_qr
from yourreview.feedback.receiver import make_app, mount
from yourreview.project import Paths, load_project

MAX_STEPS = 5
HEADER_STOPS = 4  # at 320 px: the skip link, then the header's menu, search button, search field
HELP_STOPS = 1  # then, on every child's form, the Childline number, before the questions


class Site:
    """The built site as static files (a stand-in for the preview's server)."""

    def __init__(self, root: Path, site: Path) -> None:
        self.root, self.site = root, site
        self.base = ""

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        target = (self.site / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or self.site.resolve() not in target.parents:
            start("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        start("200 OK", [("Content-Type", kind)])
        return [target.read_bytes()]


@contextmanager
def one_origin_site(root: Path, site_dir: Path) -> Iterator[Site]:
    """The example copy at `root` built and served with its receiver under /answers/."""
    site = Site(root, site_dir)
    receiver: list[Any] = []  # made once the port is known: the thank-you pages are there

    def one_origin(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        return receiver[0](environ, start)

    with serving(mount("/answers/", one_origin, site)) as port:
        site.base = f"http://127.0.0.1:{port}/"
        set_endpoint(root, site.base + "answers/")
        build_site(root, site.site, "public")
        receiver.append(make_app(Paths.under(root), thanks_base=site.base))
        yield site


@pytest.fixture
def loop(tmp_path: Path) -> Iterator[Site]:
    with one_origin_site(copy_example(tmp_path / "council"), tmp_path / "site") as site:
        yield site


def test_a_child_scans_answers_by_keyboard_and_the_answer_comes_home(
    loop: Site, browser: Browser, tmp_path: Path
) -> None:
    project = load_project(Paths.under(loop.root))
    sam = next(r for r in project.minutes.records if r.ref == "AT-2026-0877")
    internal = build_site(loop.root, tmp_path / "internal", "internal")
    letter = (internal / "letters" / sam.ref / "index.html").read_text(encoding="utf-8")
    box = letter[letter.index('class="yr-qr-box"') :]
    svg = box[box.index("<svg") : box.index("</svg>") + len("</svg>")]
    scanned = decode_qr(svg, tmp_path)
    site_url = project.council.site_url or ""
    assert scanned.startswith(site_url) and f"?t={project.token(sam)}" in scanned
    local = scanned.replace(site_url, loop.base, 1)

    context = bs.new_context(browser, 320)
    requests = bs.record_requests(context)
    page = context.new_page()
    try:
        assert page.goto(local).ok  # type: ignore[union-attr]
        # Step 1: Tab to the first question. The skip link and Material's header come first
        # (menu, search button, search field), so it takes a few presses; nothing else is in
        # the way.
        tabs = 0
        while page.evaluate("document.activeElement.name") != "how-was-it":
            page.keyboard.press("Tab")
            tabs += 1
            assert tabs <= HEADER_STOPS + HELP_STOPS + 1, "the form is not first after the header"
        steps = ["Tab to the first question", "ArrowLeft: Really good", "Enter: send"]
        assert len(steps) <= MAX_STEPS
        with page.expect_navigation():
            page.keyboard.press("ArrowLeft")  # the faces go worst to best: left wraps to best
            page.keyboard.press("Enter")  # sends the form, as a button would
        assert page.url == loop.base + "f/after-review/thanks/"
        heading = page.locator("h1").first.inner_text()
        assert heading == "Thank you" and "0800 1111" in page.content()
        assert bs.no_horizontal_scroll(page)
        bs.assert_same_origin(requests, loop.base)
    finally:
        context.close()

    again = build_site(loop.root, tmp_path / "internal-2", "internal")
    html = (again / "letters" / sam.ref / "index.html").read_text(encoding="utf-8")
    section = html[html.index('class="yr-answers') :]
    section = section[: section.index("</section>")]
    assert "<dt>How was your review?</dt><dd>Really good</dd>" in section, section
    assert re.search(r"How was your review\? \(\d{4}-\d{2}-\d{2}\)", section)
