"""Safe to host: the Content-Security-Policy and other headers, proved on real builds.

The hashes are recomputed here with a regular expression and hashlib, not with the module's
HTML parser, so a parsing mistake in hosting.py cannot hide itself. The browser test serves the
site with the headers from `_headers` and fails on any CSP violation Chromium reports.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import re
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, sync_playwright

from browser_support import launch_chromium, new_context, serve
from yourreview.hosting import (
    HEADER_LINE_LIMIT,
    HEADERS_FILE,
    NGINX_FILE,
    Hashes,
    content_security_policy,
    find_unsafe_markup,
    inline_hashes,
    is_javascript_url,
    origin_of,
    style_attributes,
    write_headers,
)

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
JS_TYPES = {"text/javascript", "application/javascript", "module"}
# Material 9.8.1's inline script after each page's content (partials/javascripts/content.html).
MATERIAL_TABS_SCRIPT = (
    "var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
    '(target.checked=target.name.startsWith("__tabbed_"))'
)


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def inline_by_regex(site: Path) -> tuple[set[str], set[str], set[str]]:
    """(scripts a browser runs, data-block types, styles), found independently of hosting.py."""
    scripts: set[str] = set()
    data_types: set[str] = set()
    styles: set[str] = set()
    for path in html_files(site):
        text = path.read_text(encoding="utf-8")
        for attrs, body in SCRIPT.findall(text):
            if re.search(r"\bsrc\s*=", attrs):
                continue
            kind = TYPE.search(attrs)
            if kind is None or kind[1].lower() in JS_TYPES:
                scripts.add(body)
            else:
                data_types.add(kind[1].lower())
        styles.update(STYLE.findall(text))
    return scripts, data_types, styles


def policy_of(site: Path) -> str:
    return content_security_policy(inline_hashes(site))


def directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in {policy}")


def copy_site(site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(site, tmp_path / "site"))


# ---------------------------------------------------------------- the policy


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_every_inline_script_and_style_is_in_the_policy(
    audience: str, public_site: Path, internal_site: Path
) -> None:
    site = public_site if audience == "public" else internal_site
    scripts, data_types, styles = inline_by_regex(site)
    policy = policy_of(site)
    script_src = directive(policy, "script-src")
    style_src = directive(policy, "style-src")
    assert scripts, "Material always writes inline scripts: the scan found none"
    assert sha256(MATERIAL_TABS_SCRIPT) in script_src
    for body in scripts:
        assert sha256(body) in script_src, f"no hash for inline script {body[:80]!r}"
    for body in styles:
        assert sha256(body) in style_src, f"no hash for inline style {body[:80]!r}"
    # Nothing more than what is on the pages: every hash allows something a page holds.
    assert len([s for s in script_src if s.startswith("'sha256-")]) == len(scripts)
    # Material's __config is JSON, which browsers never run; nothing else should be a data block.
    assert data_types <= {"application/json"}


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_policy_allows_nothing_inline_or_from_elsewhere(
    audience: str, public_site: Path, internal_site: Path
) -> None:
    policy = policy_of(public_site if audience == "public" else internal_site)
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:"):
        assert unsafe not in policy.split(), unsafe
    assert directive(policy, "default-src") == ["'self'"]
    assert directive(policy, "frame-ancestors") == ["'none'"]
    assert directive(policy, "object-src") == ["'none'"]
    assert directive(policy, "base-uri") == ["'self'"]
    assert directive(policy, "img-src") == ["'self'", "data:"]
    assert directive(policy, "form-action") == ["'self'"]


def test_a_script_added_after_the_build_is_not_allowed(public_site: Path, tmp_path: Path) -> None:
    site = copy_site(public_site, tmp_path)
    before = policy_of(site)
    (site / "extra.html").write_text(
        "<!doctype html><title>x</title><script>alert(1)</script><style>p{color:red}</style>",
        encoding="utf-8",
    )
    after = policy_of(site)
    assert sha256("alert(1)") not in before
    assert sha256("alert(1)") in directive(after, "script-src")
    assert sha256("p{color:red}") in directive(after, "style-src")
    assert "'unsafe-hashes'" not in after


def test_style_attributes_are_reported_and_need_unsafe_hashes(
    public_site: Path, tmp_path: Path
) -> None:
    site = copy_site(public_site, tmp_path)
    assert style_attributes(site) == []
    (site / "styled.html").write_text(
        '<!doctype html><title>x</title>\n<p style="color:&#114;ed">hi</p>', encoding="utf-8"
    )
    assert style_attributes(site) == ["styled.html:2: style='color:red'"]
    style_src = directive(policy_of(site), "style-src")
    assert style_src == ["'self'", "'unsafe-hashes'", sha256("color:red")]


def test_script_hash_ignores_windows_line_endings(tmp_path: Path) -> None:
    # Browsers turn CRLF into LF before running (and hashing) a script.
    (tmp_path / "crlf.html").write_bytes(b"<script>\r\na()\r\n</script>")
    assert inline_hashes(tmp_path).scripts == {sha256("\na()\n")}


def test_form_action_names_only_the_councils_form_service() -> None:
    hashes = Hashes(frozenset(), frozenset())
    policy = content_security_policy(hashes, ["https://Forms.Anytown.example/reviews?x=1"])
    assert directive(policy, "form-action") == ["'self'", "https://forms.anytown.example"]
    assert origin_of("https://forms.example:8443/a") == "https://forms.example:8443"
    for bad in (
        "http://forms.anytown.example/",
        "https://forms.example; script-src *",
        "https://forms.example'/",
        "javascript:alert(1)",
        "forms.anytown.example",
    ):
        with pytest.raises(ValueError, match="is not an https:// address"):
            content_security_policy(hashes, [bad])


# ---------------------------------------------------------------- unsafe markup


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_no_event_handlers_or_javascript_urls(
    audience: str, public_site: Path, internal_site: Path
) -> None:
    site = public_site if audience == "public" else internal_site
    assert html_files(site)
    assert find_unsafe_markup(site) == []
    # The same by a plain search of the text, so a parser blind spot would show here.
    for path in html_files(site):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", text), path
        assert "javascript:" not in text.lower(), path


def test_unsafe_markup_is_found(public_site: Path, tmp_path: Path) -> None:
    site = copy_site(public_site, tmp_path)
    page = site / "words-we-use" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("<h1", '<h1 onclick="steal()"', 1), encoding="utf-8")
    (site / "links.html").write_text(
        "<!doctype html><title>x</title>\n"
        '<a href="JavaScript:alert(1)">a</a>\n'
        '<a href=" java\tscript:alert(1)">b</a>\n'
        '<a href="&#106;avascript:alert(1)">c</a>\n'
        '<form action="javascript:x()"><button formaction="javascript:y()">d</button></form>\n'
        '<svg><a xlink:href="javascript:z()"><text>e</text></a></svg>\n'
        '<img src="ok.png" alt="not javascript: this is text" onerror="x()">\n'
        '<a href="/javascript-basics/">f</a>\n',
        encoding="utf-8",
    )
    found = find_unsafe_markup(site)
    line = text[: text.index("<h1")].count("\n") + 1
    assert found == [
        "links.html:2: <a> href= is a javascript: URL",
        "links.html:3: <a> href= is a javascript: URL",
        "links.html:4: <a> href= is a javascript: URL",
        "links.html:5: <form> action= is a javascript: URL",
        "links.html:5: <button> formaction= is a javascript: URL",
        "links.html:6: <a> xlink:href= is a javascript: URL",
        "links.html:7: <img> has an event handler onerror=",
        f"words-we-use/index.html:{line}: <h1> has an event handler onclick=",
    ]


def test_javascript_url_as_browsers_read_it() -> None:
    assert is_javascript_url("\x00 javascript:x")
    assert is_javascript_url("jav\nas\rcri\tpt:x")
    assert not is_javascript_url("/docs/javascript:x")
    assert not is_javascript_url("https://example.org/?q=javascript:")


# ---------------------------------------------------------------- the header files


def read_netlify(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "/*"
    headers: dict[str, str] = {}
    for line in lines[1:]:
        assert line.startswith("  ") and len(line) <= HEADER_LINE_LIMIT, line
        name, value = line.strip().split(": ", 1)
        headers[name] = value
    return headers


def read_nginx(path: Path) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        match = re.fullmatch(r'add_header ([A-Za-z-]+) "([^"\\$]*)" always;', line)
        assert match, line
        headers[match[1]] = match[2]
    return headers


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_header_files(
    audience: str, public_site: Path, internal_site: Path, tmp_path: Path
) -> None:
    site = copy_site(public_site if audience == "public" else internal_site, tmp_path)
    netlify, nginx = write_headers(site, audience, ["https://forms.anytown.example/reviews"])
    assert (netlify, nginx) == (site / HEADERS_FILE, site / NGINX_FILE)
    headers = read_netlify(netlify)
    assert read_nginx(nginx) == headers
    csp = headers["Content-Security-Policy"]
    assert csp == content_security_policy(inline_hashes(site), ["https://forms.anytown.example"])
    assert "frame-ancestors 'none'" in csp
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    if audience == "internal":
        assert headers["X-Robots-Tag"] == "noindex, nofollow"
        assert headers["Cache-Control"] == "no-store"
    else:
        assert "X-Robots-Tag" not in headers
        assert "Cache-Control" not in headers
    # The files are not pages, and rewriting them changes nothing (no hashes of themselves).
    assert write_headers(site, audience, ["https://forms.anytown.example/"]) == (netlify, nginx)
    assert read_netlify(netlify) == headers


# ---------------------------------------------------------------- in a browser


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site with the headers its `_headers` file gives `/*`, as Netlify would."""

    def end_headers(self) -> None:
        for name, value in read_netlify(Path(self.directory) / HEADERS_FILE).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve_with_headers(site: Path) -> AbstractContextManager[str]:
    return serve(site, _HeadersHandler)


RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " "
    + (e.sourceFile || "") + ":" + e.lineNumber));
"""


LOADING_TAG = re.compile(r"<(script|link|img|source|iframe|video|audio|embed|object)\b[^>]*>", re.I)
URL_ATTR = re.compile(r"""\s(?:src|href|data|poster)\s*=\s*["']([^"']*)""", re.I)
TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*["']([^"']*)""", re.I)


def page_kinds(site: Path) -> list[str]:
    """One page for each mix of inline code, loaded files and elements used (which decide what
    the site's scripts do on the page): what CSP judges. Many letters are few kinds of page.
    """
    kinds: dict[tuple[frozenset[str], ...], str] = {}
    for path in html_files(site):
        rel = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8")
        inline = {body for _, body in SCRIPT.findall(text)} | set(STYLE.findall(text))
        inline |= set(STYLE_ATTR.findall(text))
        loaded = set()
        for tag in LOADING_TAG.finditer(text):
            if tag[1].lower() == "link" and "stylesheet" not in tag[0] and "icon" not in tag[0]:
                continue  # canonical, alternate: not loaded
            loaded |= {urljoin("/" + rel, url) for url in URL_ATTR.findall(tag[0])}
        elements = {tag.lower() for tag in TAG_NAME.findall(text)}
        kinds.setdefault((frozenset(inline), frozenset(loaded), frozenset(elements)), rel)
    return sorted(kinds.values())


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


def csp_violations(browser: Browser, site: Path, pages: list[str]) -> dict[str, list[str]]:
    """Open pages of the site in Chromium under its own headers; violations per page."""
    found: dict[str, list[str]] = {}
    with serve_with_headers(site) as base:
        context = new_context(browser, 1280)
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        console: list[str] = []
        page.on(
            "console",
            lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
        )
        for rel in pages:
            response = page.goto(base + rel, wait_until="load")
            assert response is not None and response.ok, rel
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            page.wait_for_timeout(50)
            # Material's first inline script defines __md_get: proof it ran under the policy.
            ran = page.evaluate("typeof __md_get") == "function" or rel == "extra.html"
            violations = page.evaluate("window.__csp") + console
            console.clear()
            if violations or not ran:
                found[rel] = violations or ["Material's inline script did not run"]
        context.close()
    return found


def search_under_policy(browser: Browser, site: Path) -> tuple[str, list[str]]:
    """Material's search runs a worker and fetches its index: both must pass the policy."""
    with serve_with_headers(site) as base:
        context = new_context(browser, 1280)
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.goto(base + "index.html", wait_until="load")
        page.keyboard.press("/")
        page.keyboard.type("review")
        meta = page.locator(".md-search-result__meta")
        meta.filter(has_text="matching").wait_for(timeout=10_000)
        result = meta.inner_text(), page.evaluate("window.__csp")
        context.close()
    return result


def test_page_kinds_cover_every_inline_script(public_site: Path, internal_site: Path) -> None:
    for site in (public_site, internal_site):
        chosen = page_kinds(site)
        assert "index.html" in chosen and "404.html" in chosen
        scripts = set()
        for rel in chosen:
            scripts |= {b for _, b in SCRIPT.findall((site / rel).read_text(encoding="utf-8"))}
        assert scripts == {
            b for p in html_files(site) for _, b in SCRIPT.findall(p.read_text(encoding="utf-8"))
        }


def test_chromium_reports_no_csp_violation_and_catches_a_new_script(
    public_site: Path, internal_site: Path, tmp_path: Path
) -> None:
    with chromium() as browser:
        for audience, built in (("public", public_site), ("internal", internal_site)):
            site = Path(shutil.copytree(built, tmp_path / audience))
            write_headers(site, audience)
            assert csp_violations(browser, site, page_kinds(site)) == {}, audience
        text, violations = search_under_policy(browser, site)
        assert re.fullmatch(r"\d+ matching documents?", text) and violations == [], text
        # The fault: a page gains an inline script after the headers were written.
        (site / "extra.html").write_text(
            "<!doctype html><title>x</title><script>document.title='ran'</script>",
            encoding="utf-8",
        )
        found = csp_violations(browser, site, ["index.html", "extra.html"])
    assert list(found) == ["extra.html"]
    assert any(v.startswith("script-src") for v in found["extra.html"]), found
