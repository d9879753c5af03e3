"""A letter printed from the browser (the print stylesheet) and its PDF say the same thing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import browser_support as bs
from test_pdf import PAGE_NUMBER, PROJECT, RECORDS, document, html_blocks, pdf_text, squeeze
from yourreview.pdf import write_letter_pdfs

ONE_PER_STYLE = ("AT-2026-0455", "AT-2026-0877", "AT-2026-0733", "AT-2026-0540")


@pytest.mark.parametrize("ref", ONE_PER_STYLE)
def test_browser_print_and_pdf_say_the_same(
    browser: Any, internal_base: str, tmp_path: Path, ref: str
) -> None:
    context = bs.new_context(browser, 1280)
    page = context.new_page()
    page.goto(f"{internal_base}letters/{ref}/")
    printed = tmp_path / "printed.pdf"
    page.pdf(path=str(printed), format="A4", prefer_css_page_size=True, print_background=True)
    context.close()
    [posted] = write_letter_pdfs(PROJECT, tmp_path / "post", records=[RECORDS[ref]])

    browser_text = squeeze(pdf_text(printed))
    pdf = squeeze(PAGE_NUMBER.sub("", pdf_text(posted)))
    blocks = html_blocks(document(RECORDS[ref]))
    assert len(blocks) > 15
    assert [b for b in blocks if squeeze(b) not in browser_text] == []
    assert [b for b in blocks if squeeze(b) not in pdf] == []
    # Only the letter is printed: not the staff note, the site's menu or its search box.
    for screen_only in ("Internal:", "Search", "Letterto"):
        assert screen_only not in browser_text, screen_only
