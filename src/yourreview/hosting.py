"""Safe to host: the HTTP headers a council's web host should send with the built site.

The Content-Security-Policy allows no inline script or style except by hash, and the hashes are
computed from the built pages, so the policy matches exactly what was built. The build hashes
each page as it writes it (`scan_inline`, a tokenizer over the page text in memory) and reads
from disk only the files no page event saw; `inline_code` reads a built site with html.parser,
the slower audit the tests check the build against. The headers are
written as a `_headers` file (Netlify, Cloudflare Pages) and as an nginx snippet, because
councils host static sites on both. The audit functions report what a strict policy would
break or what should never be in the site at all (event-handler attributes, `javascript:` URLs).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from .council import LOOPBACK

Audience = Literal["public", "internal"]
InlineKind = Literal["script", "style", "style-attribute"]

HEADERS_FILE = "_headers"
NGINX_FILE = "nginx-headers.conf"
# Cloudflare Pages ignores a `_headers` line longer than this; Netlify has no stated limit.
HEADER_LINE_LIMIT = 2000

# Script types a browser runs, so CSP governs them. Any other type (Material's
# `<script id="__config" type="application/json">`) is a data block: never run, never checked.
_RUN_TYPES = frozenset(
    {
        "",
        "module",
        "importmap",
        "speculationrules",
        "text/javascript",
        "application/javascript",
        "application/ecmascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
    }
)
# Attributes whose value a browser follows as a URL (where `javascript:` would run).
_URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "poster",
        "cite",
        "background",
        "ping",
        "codebase",
        "longdesc",
    }
)
_EVENT_HANDLER = re.compile(r"^on[a-z]")
_URL_NOISE = re.compile(r"[\t\n\r]")
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?$")


@dataclass(frozen=True)
class Inline:
    """One piece of inline code in a built page."""

    kind: InlineKind
    file: str  # relative to the site folder, with forward slashes
    line: int
    text: str

    @property
    def hash(self) -> str:
        return csp_hash(self.text)


@dataclass(frozen=True)
class Hashes:
    """CSP source expressions ('sha256-…', quoted) for everything inline in a site."""

    scripts: frozenset[str]
    styles: frozenset[str]  # <style> elements
    style_attributes: frozenset[str] = frozenset()  # need 'unsafe-hashes' as well


def csp_hash(text: str) -> str:
    """The CSP source expression for inline text: base64 of the SHA-256 of its UTF-8 bytes."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class _Scanner(HTMLParser):
    def __init__(self, file: str) -> None:
        super().__init__(convert_charrefs=True)
        self.file = file
        self.inline: list[Inline] = []
        self.unsafe: list[str] = []
        self._open: tuple[InlineKind, int] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if _EVENT_HANDLER.match(name):
                self.unsafe.append(f"{self.file}:{line}: <{tag}> has an event handler {name}=")
            if name in _URL_ATTRIBUTES and is_javascript_url(value):
                self.unsafe.append(f"{self.file}:{line}: <{tag}> {name}= is a javascript: URL")
        if "style" in values:
            self.inline.append(Inline("style-attribute", self.file, line, values["style"]))
        # html.parser reads <script>/<style> content raw (no entity decoding), as browsers do.
        if tag == "script" and "src" not in values:
            if values.get("type", "").strip().lower() in _RUN_TYPES:
                self._open, self._text = ("script", line), []
        elif tag == "style":
            self._open, self._text = ("style", line), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<script/>` is not self-closing in HTML, but nothing we build writes it.
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            kind, line = self._open
            self.inline.append(Inline(kind, self.file, line, "".join(self._text)))
            self._open = None


def is_javascript_url(value: str) -> bool:
    """As a browser parses a URL: leading controls and spaces, tabs and newlines ignored."""
    cleaned = _URL_NOISE.sub("", value).lstrip("".join(chr(c) for c in range(0x21)))
    return cleaned.lower().startswith("javascript:")


def _scan(site_dir: Path, suffixes: tuple[str, ...]) -> Iterator[_Scanner]:
    for path in sorted(site_dir.rglob("*")):
        if path.suffix.lower() in suffixes and path.is_file():
            scanner = _Scanner(path.relative_to(site_dir).as_posix())
            # read_text translates CRLF and CR to LF, as a browser does before hashing a script.
            scanner.feed(path.read_text(encoding="utf-8", errors="replace"))
            scanner.close()
            yield scanner


def inline_code(site_dir: Path) -> list[Inline]:
    """Every inline script a browser would run, every <style> and every style="…" attribute."""
    return [item for scanner in _scan(site_dir, (".html", ".htm")) for item in scanner.inline]


def inline_hashes(site_dir: Path) -> Hashes:
    return hashes_of(inline_code(site_dir))


def hashes_of(found: Iterable[Inline]) -> Hashes:
    found = list(found)
    return Hashes(
        scripts=frozenset(i.hash for i in found if i.kind == "script"),
        styles=frozenset(i.hash for i in found if i.kind == "style"),
        style_attributes=frozenset(i.hash for i in found if i.kind == "style-attribute"),
    )


# The page as html.parser tokenizes it, for the three things a policy needs: <script>/<style>
# elements (raw text up to their end tag, as browsers read them) and start tags with a style
# attribute. Each match first skips, inside the regex engine, text, comments, declarations, end
# tags and start tags with no `style` outside their quoted values (almost every tag), then takes
# one tag of interest, or the end of the page. Quoted attribute values are consumed whole, so a
# `<script` inside one is not a tag. tests/test_hosting.py checks this against html.parser on
# every built page.
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_SKIP = (
    r"(?:[^<]++"
    r"|<!--.*?(?:--!?>|\Z)"
    r"|<![^>]*+>"
    r"|</[^>]*+>"
    r"""|<(?!(?:script|style)[\s/>])[a-zA-Z][^\s/>]*+(?:[^>"'s]++|"[^"]*+"|'[^']*+'|s(?!tyle))*+>"""
    r"|<(?![a-zA-Z!/]))*+"
)
_TOKENS = re.compile(
    _SKIP + rf"(?P<tag><(?P<element>script|style)(?=[\s/>])(?P<attrs>{_ATTRS})>(?P<body>.*?)"
    rf"(?:(?P<end></(?P=element)(?=[\s/>])[^>]*>)|\Z)|<[a-zA-Z][^\s/>]*(?P<other>{_ATTRS})>|\Z)",
    re.S | re.I,
)
# One attribute as html.parser reads it: a name, then optionally = and a quoted or bare value.
_ATTR = re.compile(
    r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?"""
)


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(" " + text):
        value = match[3] or ""
        if value[:1] in ("'", '"') and value[-1:] == value[:1] and len(value) > 1:
            value = value[1:-1]
        found.setdefault(match[1].lower(), html.unescape(value))
    return found


def scan_inline(text: str, file: str) -> list[Inline]:
    """What `inline_code` finds in one page, from its text: scripts a browser runs, <style>
    elements and style attributes. `file` names the page in what is returned."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as a browser reads it
    found: list[Inline] = []
    line, counted = 1, 0  # lines are counted once, up to each tag of interest
    for match in _TOKENS.finditer(text):
        element, other = match["element"], match["other"]
        if element is None and other is None:
            continue  # the end of the page
        values = _attributes(match["attrs"] if element else other)
        line += text.count("\n", counted, match.start("tag"))
        counted = match.start("tag")
        if "style" in values:
            found.append(Inline("style-attribute", file, line, values["style"]))
        if element is None or match["end"] is None:
            continue  # not an element, or one the page ends inside: browsers never run it
        if element.lower() == "style":
            found.append(Inline("style", file, line, match["body"]))
        elif "src" not in values and values.get("type", "").strip().lower() in _RUN_TYPES:
            found.append(Inline("script", file, line, match["body"]))
    return found


def site_inline(site_dir: Path, seen: Mapping[str, Sequence[Inline]]) -> list[Inline]:
    """Every inline piece in the site: `seen` holds pages already scanned as they were written
    (site-relative path -> what they hold); any other HTML file is read from disk."""
    found = [item for items in seen.values() for item in items]
    for path in sorted(site_dir.rglob("*")):
        if path.suffix.lower() in (".html", ".htm") and path.is_file():
            rel = path.relative_to(site_dir).as_posix()
            if rel not in seen:
                found += scan_inline(path.read_text(encoding="utf-8", errors="replace"), rel)
    return found


def style_attributes(site_dir: Path) -> list[str]:
    """Where the site uses style="…": each forces 'unsafe-hashes' into the policy."""
    return [
        f"{i.file}:{i.line}: style={i.text!r}"
        for i in inline_code(site_dir)
        if i.kind == "style-attribute"
    ]


def find_unsafe_markup(site_dir: Path) -> list[str]:
    """Every on…= attribute and javascript: URL in the site's HTML and SVG files."""
    return [
        problem
        for scanner in _scan(site_dir, (".html", ".htm", ".svg", ".xhtml"))
        for problem in scanner.unsafe
    ]


def origin_of(url: str) -> str:
    """The origin of a form endpoint, checked so it cannot add anything else to the policy."""
    parts = urlsplit(url.strip())
    host = (parts.netloc or "").lower()
    if url.startswith(LOOPBACK) and parts.scheme == "http":
        return f"http://{host}"  # the browser tests' own server on this machine
    if parts.scheme != "https" or not _HOST.match(host):
        raise ValueError(
            f'"{url}" is not an https:// address — write the form service\'s address, '
            "e.g. https://forms.anytown.gov.uk/reviews"
        )
    return f"https://{host}"


def content_security_policy(hashes: Hashes, form_action_origins: Iterable[str] = ()) -> str:
    """The policy for the whole site: same origin only, inline code only by hash."""
    styles = sorted(hashes.styles)
    if hashes.style_attributes:
        styles += ["'unsafe-hashes'", *sorted(hashes.style_attributes - hashes.styles)]
    form_action = ["'self'", *sorted({origin_of(o) for o in form_action_origins})]
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", *sorted(hashes.scripts)]),
        ("style-src", ["'self'", *styles]),
        ("img-src", ["'self'", "data:"]),
        ("font-src", ["'self'"]),
        ("connect-src", ["'self'"]),
        ("form-action", form_action),
        ("frame-ancestors", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("object-src", ["'none'"]),
    ]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


def security_headers(
    site_dir: Path,
    audience: Audience,
    form_action_origins: Iterable[str] = (),
    hashes: Hashes | None = None,
) -> list[tuple[str, str]]:
    """The headers for the site; `hashes` (from the build) saves reading every page again."""
    found = inline_hashes(site_dir) if hashes is None else hashes
    headers = [
        ("Content-Security-Policy", content_security_policy(found, form_action_origins)),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if audience == "internal":
        # Letters hold personal data: keep them out of search engines and shared caches.
        headers += [("X-Robots-Tag", "noindex, nofollow"), ("Cache-Control", "no-store")]
    return headers


def write_headers(
    site_dir: Path,
    audience: Audience,
    form_action_origins: Iterable[str] = (),
    hashes: Hashes | None = None,
) -> tuple[Path, Path]:
    """Write `_headers` and `nginx-headers.conf` into the built site; return their paths."""
    headers = security_headers(site_dir, audience, form_action_origins, hashes)
    netlify = site_dir / HEADERS_FILE
    netlify.write_text(
        "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers), encoding="utf-8"
    )
    nginx = site_dir / NGINX_FILE
    nginx.write_text(
        "# Security headers for this build of the site. Include this file in the nginx\n"
        "# `server` or `location` block that serves it: add_header in a nested block\n"
        "# replaces these, so include it there as well. Rebuilt with every build.\n"
        + "".join(f'add_header {name} "{value}" always;\n' for name, value in headers),
        encoding="utf-8",
    )
    return netlify, nginx
