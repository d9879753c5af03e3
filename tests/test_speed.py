"""The speed work changes no byte of what is built: each shortcut is compared with the slow way.

- Our generated pages reach MkDocs as HTML without Python-Markdown: the site is the same as when
  Markdown parses them.
- The build hashes inline code with a tokenizer as it writes each page: the same hashes as
  html.parser reading the built site, on every page and on awkward markup.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from conftest import ROOT, build_site
from yourreview.hosting import (
    HEADERS_FILE,
    _Scanner,
    content_security_policy,
    inline_hashes,
    scan_inline,
)
from yourreview.pages import pages_for
from yourreview.plugin import YourReviewPlugin
from yourreview.project import Paths, load_project
from yourreview.render import one_html_block


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def same_trees(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(a) == sorted(b)
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, f"{len(differ)} files differ, e.g. {differ[:5]}"


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_skipping_markdown_builds_the_same_site(
    audience: str, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # sitemap.xml.gz's timestamp
    fast = tree(build_site(example, tmp_path / "fast", audience))
    monkeypatch.setattr(YourReviewPlugin, "skip_markdown", False)
    slow = tree(build_site(example, tmp_path / "slow", audience))
    assert any(name.startswith("letters/") for name in fast) == (audience == "internal")
    same_trees(fast, slow)


def test_every_generated_page_is_one_block_markdown_leaves_alone(example: Path) -> None:
    project = load_project(Paths.under(example))
    pages = [p for p in pages_for(project, "internal") if p.uri.endswith(".md")]
    assert len(pages) > 40
    for page in pages:
        body = page.content.partition("\n---\n")[2] or page.content
        assert one_html_block(body), page.uri
        md = markdown.Markdown(extensions=["toc", "admonition", "attr_list"])
        assert md.convert(body) == body.strip(), page.uri


@pytest.mark.parametrize(
    "body",
    [
        "Dear Sam,\n<div>x</div>",
        "<div>x</div>\nText after\n<div>y</div>",
        "<div>x</div>\n\n<div>y</div>",
        "<div><p>x</p>",
        "<p>x</p>",
    ],
)
def test_anything_else_goes_through_markdown(body: str) -> None:
    assert not one_html_block(body)


def test_the_built_policy_is_what_html_parser_finds(public_site: Path, internal_site: Path) -> None:
    endpoint = load_project(Paths.under(ROOT)).council.form_endpoint
    assert endpoint  # the example's forms post to its receiver: form-action names it
    for site in (public_site, internal_site):
        written = (site / HEADERS_FILE).read_text(encoding="utf-8")
        policy = content_security_policy(inline_hashes(site), [endpoint])
        assert f"Content-Security-Policy: {policy}\n" in written


def scanned_by_html_parser(text: str, file: str) -> list[object]:
    scanner = _Scanner(file)
    scanner.feed(text.replace("\r\n", "\n").replace("\r", "\n"))
    scanner.close()
    return list(scanner.inline)


def test_tokenizer_matches_html_parser_on_every_built_page(
    public_site: Path, internal_site: Path
) -> None:
    pages = 0
    for site in (public_site, internal_site):
        for path in sorted(site.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            rel = path.relative_to(site).as_posix()
            assert scan_inline(text, rel) == scanned_by_html_parser(text, rel), rel
            pages += 1
    assert pages > 60


@pytest.mark.parametrize(
    "html",
    [
        "<script>a()</script><SCRIPT type=module>b()</SCRIPT >",
        '<script type="application/json">{"a": 1}</script><script src="x.js"></script>',
        "<!-- <script>not()</script> --><script>yes()</script>",
        '<a title="<script>no()</script>" href=x>link</a>',
        '<p style=\'color:&#114;ed\' class="x">a</p><div data-style="s" STYLE = "b:c">',
        '<style>p{color:red}</style>\n\n<p\n  style="top:0">x</p>',
        "<script>\r\nif (a < b) {}\r\n</script>",
        '<svg><style>.q{fill:#000}</style></svg><input value="style=x">',
        "<script>document.write('<style>x</style>')</script>",
        "<script>never closed",
        "text < more text <3 and <!doctype html>",
    ],
)
def test_tokenizer_matches_html_parser_on_awkward_markup(html: str) -> None:
    assert scan_inline(html, "x.html") == scanned_by_html_parser(html, "x.html")
