"""A child with no code asks their IRO to get in touch, in a browser at 320 px: the form asks
who they are and how to reach them (and passes axe), the thank-you page gives the IRO team's
phone, and after the next internal build the Feedback page lists them. Opened with a letter's
code, the same form does not ask. The receiver runs under Waitress, mounted beside the site as
the preview serves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

import browser_support as bs
from conftest import build_site, copy_example
from test_answers_browser import Site, one_origin_site
from test_childforms import approve_new_versions
from yourreview.project import Paths, load_project

NAME, HOW = "Oriel", "text me on 01632 960456"
TEAM_PHONE = "01632 960000"  # the example's iro_team.phone


@pytest.fixture
def loop(tmp_path: Path) -> Iterator[Site]:
    root = copy_example(tmp_path / "council")
    approve_new_versions(root)  # as the CiCC would: the after-review form has the box then
    with one_origin_site(root, tmp_path / "site") as site:
        yield site


def test_a_child_with_no_code_asks_and_is_not_missed(
    loop: Site, browser: Browser, tmp_path: Path
) -> None:
    context = bs.new_context(browser, 320)
    requests = bs.record_requests(context)
    page = context.new_page()
    try:
        assert page.goto(loop.base + "f/after-review/").ok  # type: ignore[union-attr]
        reach = page.locator("[data-yr-no-code]")
        assert reach.is_visible() and "Only the team that runs reviews reads it" in (
            reach.inner_text()
        )
        violations = bs.run_axe(page)
        assert violations == [], bs.format_violations(violations, "/f/after-review/ (no code)")
        page.locator('input[name="get-in-touch"][value="yes"]').check()
        page.get_by_label("Your first name").fill(NAME)
        page.get_by_label("How can we reach you?").fill(HOW)
        with page.expect_navigation():
            page.get_by_role("button", name="Send my answers").click()
        assert page.url == loop.base + "f/after-review/thanks/asked/"
        text = page.locator("main").inner_text()
        assert "You asked your IRO to get in touch" in text
        assert TEAM_PHONE in text and "0800 1111" in text
        assert page.locator(f'.yr-asked a[href="tel:{TEAM_PHONE.replace(" ", "")}"]').count() == 1
        assert bs.no_horizontal_scroll(page)
        bs.assert_same_origin(requests, loop.base)

        # Opened from a letter, with its code: the answer joins the review, nothing is asked.
        project = load_project(Paths.under(loop.root))
        token = project.token(project.minutes.records[0])
        page.goto(f"{loop.base}f/after-review/?t={token}")
        assert page.locator("[data-yr-no-code]").is_hidden()
        assert page.get_by_label("Your first name", exact=True).is_disabled()
    finally:
        context.close()

    internal = build_site(loop.root, tmp_path / "internal", "internal")
    html = (internal / "feedback" / "index.html").read_text(encoding="utf-8")
    start = html.index('<section class="yr-get-in-touch yr-asked-no-code')
    box = html[start : html.index("</section>", start)]
    assert "Asked to be contacted, no code: 1" in box
    assert f"<dt>Your first name</dt><dd>{NAME}</dd>" in box and HOW in box
    assert "How was your review?" in box
