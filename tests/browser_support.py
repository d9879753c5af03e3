"""Helpers for the browser, accessibility and HTML-validity tests.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright for Python; nothing here
downloads a browser. axe-core and the Nu HTML Checker (vnu.jar) come from the npm registry
(package.json) and Java from Debian; scripts/install-test-tools.sh installs all of them.
A missing tool FAILS the test with the command that installs it: a skipped accessibility
check would let a broken site through unnoticed.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, Route

from yourreview.pages import asset

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = PROJECT_ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "run `make test`, which runs scripts/install-test-tools.sh to install it"

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
NARROW = 320
WIDE = 1280

# Without the background-networking flags Chromium keeps calling Google's services, which this
# closed network refuses; the browser tests must make no request but to the site under test.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--no-default-browser-check",
    "--no-pings",
)


def require_tool(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.fail(f"{what} is missing ({path}): {INSTALL_HINT}", pytrace=False)
    return path


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail(f"Java (for the Nu HTML Checker) is missing: {INSTALL_HINT}", pytrace=False)
    return java


# ---------------------------------------------------------------- building a site


def build_site(source: Path, work: Path, pages: dict[str, str] | None = None) -> Path:
    """Copy an MkDocs project to work/, add or replace docs pages, build it; returns site/.

    Uses this interpreter's MkDocs with --strict, as `make site` will.
    """
    project = work / "project"
    shutil.copytree(source, project)
    if "stylesheets/extra.css" in (project / "mkdocs.yml").read_text(encoding="utf-8"):
        # The mini site proves the package's own stylesheet, not a copy of it.
        sheet = project / "docs" / "stylesheets" / "extra.css"
        sheet.parent.mkdir(parents=True, exist_ok=True)
        sheet.write_text(asset("assets/yourreview.css"), encoding="utf-8")
    for name, text in (pages or {}).items():
        page = project / "docs" / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
    site = work / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert done.returncode == 0, f"mkdocs build failed:\n{done.stdout}\n{done.stderr}"
    return site


# ---------------------------------------------------------------- serving a built site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(
    directory: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler
) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 at a free port; yields the base URL ending in '/'."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# ---------------------------------------------------------------- the browser


def launch_chromium(playwright: Playwright) -> Browser:
    require_tool(CHROMIUM, "Debian's Chromium")
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
    )


def new_context(browser: Browser, width: int, height: int = 800) -> BrowserContext:
    # Service workers would answer requests out of sight of the request log.
    return browser.new_context(
        viewport={"width": width, "height": height},
        service_workers="block",
        reduced_motion="reduce",
    )


# ---------------------------------------------------------------- requests


def record_requests(target: Page | BrowserContext) -> list[str]:
    """Attach to a page or context; the returned list fills with every request URL it makes."""
    urls: list[str] = []

    def on_request(request: Request) -> None:
        urls.append(request.url)

    target.on("request", on_request)
    return urls


def guard_origin(context: BrowserContext, base_url: str) -> list[str]:
    """Record every request of the context and stop any bound for another origin.

    The returned list fills with every request URL, foreign ones included, for
    assert_same_origin; the foreign ones are aborted inside the browser, so a faulty page
    makes no connection to anyone else's server while it is being tested.
    """
    urls = record_requests(context)
    site = _origin(base_url)

    def route(route: Route) -> None:
        if _origin(route.request.url) == site:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", route)
    return urls


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def foreign_requests(requests: Iterable[str], base_url: str) -> list[str]:
    site = _origin(base_url)
    foreign: list[str] = []
    for url in requests:
        scheme = urlsplit(url).scheme
        if scheme == "data":
            continue
        if scheme == "blob" and _origin(url[len("blob:") :]) == site:
            continue
        if _origin(url) != site:
            foreign.append(url)
    return foreign


def assert_same_origin(requests: Iterable[str], base_url: str) -> None:
    foreign = foreign_requests(requests, base_url)
    assert not foreign, (
        f"{len(foreign)} request(s) left the site {base_url} (a visitor's address would go "
        "to another host):\n  " + "\n  ".join(sorted(set(foreign)))
    )


# ---------------------------------------------------------------- axe-core


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    summaries: tuple[str, ...]

    def __str__(self) -> str:
        lines = [f"{self.rule} ({self.impact}): {self.help} <{self.help_url}>"]
        for target, summary in zip(self.targets, self.summaries, strict=True):
            lines.append(f"    at {target}")
            lines.extend(f"       {line.strip()}" for line in summary.splitlines() if line.strip())
        return "\n".join(lines)


@functools.cache
def _axe_source() -> str:
    return require_tool(AXE_JS, "axe-core").read_text(encoding="utf-8")


def run_axe(page: Page, tags: Sequence[str] = AXE_TAGS) -> list[Violation]:
    """Run axe-core on the loaded page; returns its violations (empty when the page passes).

    axe is evaluated as a function through the DevTools protocol rather than added as a
    <script> tag: a page whose Content-Security-Policy forbids inline script would refuse
    the tag, and bypassing CSP for the whole context would hide the site's own CSP faults.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("() => {\n" + _axe_source() + "\n}")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        list(tags),
    )
    violations: list[Violation] = []
    for item in result["violations"]:
        nodes = item["nodes"]
        violations.append(
            Violation(
                rule=item["id"],
                impact=str(item.get("impact")),
                help=item["help"],
                help_url=item["helpUrl"],
                targets=tuple(" ".join(map(str, node["target"])) for node in nodes),
                summaries=tuple(str(node.get("failureSummary") or "") for node in nodes),
            )
        )
    return violations


def format_violations(violations: Sequence[Violation], where: str = "") -> str:
    head = f"{len(violations)} axe-core violation(s)" + (f" on {where}" if where else "")
    return head + ":\n" + "\n".join(str(v) for v in violations)


# ---------------------------------------------------------------- keyboard focus

# Runs in the page. Colours are read back through a 1x1 canvas so any CSS colour syntax
# (hex, hsl, oklch, color-mix) becomes sRGB bytes without a parser of our own.
_FOCUS_JS = r"""
const keys = new WeakMap();
let next = 1;
const canvas = document.createElement("canvas");
canvas.width = canvas.height = 1;
const ctx = canvas.getContext("2d", {willReadFrequently: true});

function key(el) {
  if (!keys.has(el)) keys.set(el, next++);
  return keys.get(el);
}
function describe(el) {
  let text = el.tagName.toLowerCase();
  if (el.id) text += "#" + el.id;
  for (const c of el.classList) text += "." + c;
  for (const a of ["href", "for", "type", "name"]) {
    if (el.hasAttribute(a)) text += `[${a}="${el.getAttribute(a)}"]`;
  }
  const label = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\s+/g, " ");
  return label ? `${text} "${label.slice(0, 40)}"` : text;
}
function rgba(color) {
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = "rgba(0, 0, 0, 0)";
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
  return a === 0 ? [0, 0, 0, 0] : [r * 255 / a, g * 255 / a, b * 255 / a, a / 255];
}
function over(top, under) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
}
// The opaque colour behind el, compositing translucent backgrounds of its ancestors over the
// page's white. Background images and gradients are not seen: such a page needs a look by eye.
function background(el) {
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let result = [255, 255, 255, 1];
  for (const layer of layers.reverse()) result = over(layer, result);
  return result;
}
function luminance(c) {
  const ch = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
function opacity(el) {
  let o = 1;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    o *= parseFloat(getComputedStyle(node).opacity);
  }
  return o;
}
function shadows(value) {
  if (!value || value === "none") return [];
  return value.split(/,(?![^(]*\))/).map(part => {
    const found = part.match(/(rgba?|hsla?|color|oklch|oklab|lab|lch)\([^)]*\)|#[0-9a-f]+/i);
    const color = found ? found[0] : "black";
    const rest = part.replace(color, "");
    const lengths = (rest.match(/-?[\d.]+px/g) || []).map(parseFloat);
    const [x = 0, y = 0, blur = 0, spread = 0] = lengths;
    return {color, x, y, blur, spread, inset: /\binset\b/.test(rest)};
  });
}
const MIN_CONTRAST = 3;  // WCAG 1.4.11 non-text contrast, also what 2.4.13 asks of the change

function judge(el) {
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  if (rect.width < 1 || rect.height < 1) return [false, "focused element has no size on screen"];
  if (style.visibility !== "visible") return [false, "focused element is invisible (visibility)"];
  if (opacity(el) < 0.5) return [false, "focused element is (nearly) transparent"];
  if (rect.right <= 0 || rect.bottom <= 0 || rect.left >= innerWidth || rect.top >= innerHeight) {
    return [false, "focused element is outside the window"];
  }
  const notes = [];
  const outlineWidth = parseFloat(style.outlineWidth) || 0;
  if (!["none", "hidden"].includes(style.outlineStyle) && outlineWidth >= 1) {
    const offset = parseFloat(style.outlineOffset) || 0;
    const behind = background(offset >= 0 ? (el.parentElement || el) : el);
    const ring = over(rgba(style.outlineColor), behind);
    const ratio = contrast(ring, behind);
    const what = `outline ${style.outlineStyle} ${outlineWidth}px`;
    if (ratio >= MIN_CONTRAST) return [true, `${what}, contrast ${ratio.toFixed(2)}:1`];
    notes.push(`outline contrast ${ratio.toFixed(2)}:1 is under ${MIN_CONTRAST}:1`);
  }
  for (const s of shadows(style.boxShadow)) {
    const reach = Math.max(s.spread, s.blur / 2, Math.abs(s.x), Math.abs(s.y));
    if (reach < 1) continue;
    const behind = background(s.inset ? el : (el.parentElement || el));
    const ring = over(rgba(s.color), behind);
    const ratio = contrast(ring, behind);
    const what = `box-shadow ${reach}px`;
    if (ratio >= MIN_CONTRAST) return [true, `${what}, contrast ${ratio.toFixed(2)}:1`];
    notes.push(`box-shadow contrast ${ratio.toFixed(2)}:1 is under ${MIN_CONTRAST}:1`);
  }
  const outline = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
  const shadow = style.boxShadow;
  notes.unshift(`no visible outline or box-shadow (outline: ${outline}; box-shadow: ${shadow})`);
  return [false, notes.join("; ")];
}

function active() {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el && el !== document.body && el !== document.documentElement ? el : null;
}
// Focus styles often arrive through a transition (Material's skip link fades in, its search
// opens a frame or two after its field takes focus): judge the settled state, not the first
// frame. Endless animations (spinners) are not waited for.
async function settle() {
  const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
  const deadline = performance.now() + 1500;
  await frame();
  await frame();
  while (performance.now() < deadline) {
    const running = document.getAnimations().filter(a => a.playState === "running"
      && Number.isFinite(a.effect?.getComputedTiming().endTime));
    if (!running.length) return;
    const timeout = new Promise(resolve => setTimeout(resolve, deadline - performance.now()));
    await Promise.race([Promise.all(running.map(a => a.finished.catch(() => null))), timeout]);
    await frame();
  }
}
function rendered(el) {
  const style = getComputedStyle(el);
  return el.getClientRects().length > 0 && style.visibility === "visible" && opacity(el) > 0;
}
const OPERABLE = [
  "a[href]", "area[href]", "button", "input:not([type=hidden])", "select", "textarea",
  "summary", "iframe", "[tabindex]", "[contenteditable]:not([contenteditable=false])",
  "audio[controls]", "video[controls]",
].join(",");

window.__yrFocus = {
  async inspect() {
    const el = active();
    if (!el) return null;
    await settle();
    const [visible, reason] = judge(el);
    return {key: key(el), element: describe(el), visible, reason};
  },
  interactive() {
    const found = [];
    for (const el of document.querySelectorAll(OPERABLE)) {
      if (el.matches(":disabled") || el.closest("[inert]") || el.tabIndex < 0) continue;
      if (el.closest("details:not([open])") && !el.matches("details > summary")) continue;
      if (rendered(el)) found.push({key: key(el), element: describe(el)});
    }
    // A label clicked to flip a hidden checkbox (Material's menu and search buttons) is a
    // control in all but name. It counts when a mouse user could click it: a pointer cursor
    // and the label on top at its own centre, which rules out labels used as headings or
    // clipped inside a closed drawer.
    for (const label of document.querySelectorAll("label[for]")) {
      if (label.matches(OPERABLE)) continue;
      const control = document.getElementById(label.htmlFor);
      if (!control || !control.matches("input[type=checkbox], input[type=radio]")) continue;
      if (rendered(control) || !rendered(label)) continue;
      if (getComputedStyle(label).cursor !== "pointer") continue;
      const r = label.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || !label.contains(hit)) continue;
      const what = `${describe(label)} (clickable label for hidden #${control.id})`;
      found.push({key: key(label), element: what});
    }
    return found;
  },
  overflowing(limit) {
    const out = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > innerWidth + 0.5) {
        out.push([r.right, `${describe(el)} reaches ${Math.round(r.right)}px`]);
      }
    }
    return out.sort((a, b) => b[0] - a[0]).slice(0, limit).map(x => x[1]);
  },
};
"""


@dataclass(frozen=True)
class FocusStop:
    """One element reached by Tab, and whether a person can see that it has focus."""

    key: int
    element: str
    visible: bool
    reason: str


def _install_focus_helpers(page: Page) -> None:
    if not page.evaluate("() => typeof window.__yrFocus === 'object'"):
        page.evaluate("() => {\n" + _FOCUS_JS + "\n}")


def focused_element(page: Page) -> FocusStop | None:
    """Describe the focused element and judge its focus indicator; None when nothing has focus."""
    _install_focus_helpers(page)
    found = page.evaluate("() => window.__yrFocus.inspect()")
    if found is None:
        return None
    return FocusStop(
        key=int(found["key"]),
        element=str(found["element"]),
        visible=bool(found["visible"]),
        reason=str(found["reason"]),
    )


def focus_indicator_visible(page: Page) -> bool:
    stop = focused_element(page)
    return stop is not None and stop.visible


def tab_through(page: Page, max_steps: int = 200) -> list[FocusStop]:
    """Press Tab from the top of the page until focus comes back round; one stop per element.

    Fails when max_steps Tabs never come back round (a keyboard trap or a page too long to
    check), because then some elements might never have been reached.
    """
    _install_focus_helpers(page)
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    stops: list[FocusStop] = []
    seen: set[int] = set()
    for _ in range(max_steps):
        page.keyboard.press("Tab")
        stop = focused_element(page)
        if stop is None:
            if stops:  # focus left the page for the browser's own UI: one full round done
                return stops
            continue
        if stop.key in seen:
            return stops
        seen.add(stop.key)
        stops.append(stop)
    pytest.fail(f"Tab did not come back round within {max_steps} steps", pytrace=False)


def interactive_elements(page: Page) -> list[FocusStop]:
    """Visible elements a person can operate, whether or not Tab reaches them.

    Includes a <label> that stands in for a hidden checkbox or radio (a CSS-only toggle):
    a mouse user can click it, so a keyboard user must reach it too.
    """
    _install_focus_helpers(page)
    found = page.evaluate("() => window.__yrFocus.interactive()")
    return [
        FocusStop(key=int(f["key"]), element=str(f["element"]), visible=True, reason="")
        for f in found
    ]


def unreachable_elements(page: Page, stops: Sequence[FocusStop]) -> list[str]:
    reached = {stop.key for stop in stops}
    return [e.element for e in interactive_elements(page) if e.key not in reached]


# ---------------------------------------------------------------- layout


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


def no_horizontal_scroll(page: Page) -> bool:
    return horizontal_overflow(page) <= 0


def widest_elements(page: Page, limit: int = 5) -> list[str]:
    """Elements reaching past the window's right edge: what to look at when the page scrolls."""
    _install_focus_helpers(page)
    return list(page.evaluate("limit => window.__yrFocus.overflowing(limit)", limit))


# ---------------------------------------------------------------- the Nu HTML Checker


def vnu(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Check HTML files or whole folders in one Java process (it takes seconds to start)."""
    return vnu_report(paths)[0]


def vnu_report(paths: Sequence[Path]) -> tuple[list[dict[str, Any]], set[Path]]:
    """vnu's error messages, and every file it checked (its --verbose list): a page with no
    error must still be shown to have been looked at."""
    if not paths:
        return [], set()
    java = require_java()
    jar = require_tool(VNU_JAR, "The Nu HTML Checker (vnu.jar)")
    command = [
        java,
        "-Xss4m",  # vnu's own advice: deep documents overflow the default stack
        "-jar",
        str(jar),
        "--format",
        "json",
        "--errors-only",
        "--skip-non-html",
        "--verbose",
        *(str(p) for p in paths),
    ]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)
    # vnu writes the name of each file it checks to stdout, and its JSON report to stderr.
    names = done.stdout
    try:
        report = json.loads(done.stderr)
    except json.JSONDecodeError:
        raise AssertionError(
            f"vnu.jar did not give a JSON report (exit {done.returncode}):\n{done.stderr[-2000:]}"
        ) from None
    checked = {Path(line.strip()).resolve() for line in names.splitlines() if line.strip()}
    return list(report.get("messages", [])), checked


def vnu_path(message: dict[str, Any]) -> Path:
    """The file a vnu message is about (vnu writes file:/path, not file:///path)."""
    return Path(unquote(urlsplit(str(message.get("url", ""))).path))


def format_vnu(messages: Sequence[dict[str, Any]]) -> str:
    lines = [f"{len(messages)} HTML error(s) from the Nu HTML Checker:"]
    for m in messages:
        where = vnu_path(m)
        lines.append(f"  {where}:{m.get('lastLine', '?')}: {m.get('message', '')}")
        if m.get("extract"):
            lines.append(f"      {m['extract'].strip()}")
    return "\n".join(lines)
