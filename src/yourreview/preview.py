"""`yourreview preview`: the internal site on this computer, rebuilt when a file is saved.

One process: the site is built with MkDocs in this process into a private temporary folder and
served by Waitress from a small WSGI app, so stopping the process (even by its id) leaves
nothing answering on the port. A build runs in the background while the previous one is still
served. A record that does not read leaves every other letter readable, and a page the problems
took away is an error page naming file, line and what to write; every page reloads itself when
the next build is done, so the IRO sees the change, or the fix, as they save. A saved record
re-renders only the pages it changed (plugin.LiveSite), in seconds rather than the minutes a
full build of thousands of letters takes.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from types import FrameType
from typing import Any

from .cache import keep_in_memory
from .errors import Problem, Severity, YourReviewError, display_path, plural
from .feedback.receiver import WSGIApp, mount
from .feedback.store import store_path
from .hosting import HEADERS_FILE
from .plugin import LiveSite, build_live
from .project import PREVIEW_ORIGIN, Paths
from .watching import watch

PREFIX = "/_preview/"

# Polls the build number and reloads the page when a new build (or a fixed one) is ready. An
# external file, so the site's own Content-Security-Policy (script-src 'self') allows it.
RELOAD_JS = b"""(function () {
  var script = document.currentScript, seen = script && script.dataset.build;
  setInterval(function () {
    fetch("/_preview/build", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (now) { if (now !== seen) { location.reload(); } }, function () {});
  }, 1000);
})();
"""
PREVIEW_CSS = b"""body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 48rem;
  padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
h1 { font-size: 1.6rem; } code { background: #f2f2f2; padding: 0 0.2rem; }
li { margin-bottom: 0.5rem; } .error { border-left: 0.3rem solid #b00020; padding-left: 0.5rem; }
a { color: #1a4dbf; } a:focus { outline: 3px solid #1a1a1a; outline-offset: 2px; }
"""


@dataclass
class State:
    """What the preview shows now: the last good build and the last build's problems."""

    site: Path | None = None
    build: int = 0  # counts build attempts: a page reloads when it changes
    problems: list[Problem] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


class PreviewApp:
    """Serves the current build, the problems page and any app mounted under a prefix."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.dispatch: WSGIApp = self.site

    def mount(self, prefix: str, app: WSGIApp) -> None:
        """Hand every request under `prefix` (e.g. "/answers") to another WSGI app, so forms
        posted from the preview land on this computer."""
        self.dispatch = mount(prefix, app, self.dispatch)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        return self.dispatch(environ, start_response)

    def site(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO") or "/"
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return self.respond(start_response, "405 Method Not Allowed", b"", "text/plain")
        state = self.state  # one read: a build finishing meanwhile swaps the whole state
        if path.startswith(PREFIX):
            return self.own(path[len(PREFIX) :], state, start_response)
        if state.site is None:
            page = problems_page(state)
            return self.page(start_response, "503 Service Unavailable", page, banner=False)
        found = _file_for(state.site, path)
        if found is None:
            if state.errors:
                page = problems_page(state)
                return self.page(start_response, "500 Internal Server Error", page, banner=False)
            missing = state.site / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found"
            return self.page(start_response, "404 Not Found", body)
        if found.is_dir():
            location = environ.get("SCRIPT_NAME", "") + path + "/"
            return self.respond(
                start_response, "301 Moved Permanently", b"", "text/plain", [("Location", location)]
            )
        body = found.read_bytes()
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if kind == "text/html":
            return self.page(start_response, "200 OK", body)
        return self.respond(start_response, "200 OK", body, kind)

    def own(self, name: str, state: State, start_response: Callable[..., Any]) -> Any:
        if name == "build":
            return self.respond(start_response, "200 OK", str(state.build).encode(), "text/plain")
        if name == "reload.js":
            return self.respond(start_response, "200 OK", RELOAD_JS, "text/javascript")
        if name == "preview.css":
            return self.respond(start_response, "200 OK", PREVIEW_CSS, "text/css")
        if name == "problems":
            return self.page(start_response, "200 OK", problems_page(state), banner=False)
        return self.respond(start_response, "404 Not Found", b"Not found", "text/plain")

    def page(
        self, start_response: Callable[..., Any], status: str, html: bytes, banner: bool = True
    ) -> Any:
        """An HTML page with the reload script and, while there are errors, a banner."""
        body = with_reload(html, self.state, banner)
        return self.respond(start_response, status, body, "text/html")

    def respond(
        self,
        start_response: Callable[..., Any],
        status: str,
        body: bytes,
        kind: str,
        extra: Iterable[tuple[str, str]] = (),
    ) -> list[bytes]:
        charset = "; charset=utf-8" if kind.startswith("text/") else ""
        headers = [
            ("Content-Type", kind + charset),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *extra,
        ]
        # The headers the council's host would send (CSP included), so the preview breaks
        # wherever the real site would.
        headers += [(k, v) for k, v in self.state.headers if k != "Cache-Control"]
        start_response(status, headers)
        return [body]


def _file_for(site: Path, path: str) -> Path | None:
    """The built file a URL path names, never anything outside the site folder."""
    clean = posixpath.normpath("/" + path).lstrip("/")
    if clean.startswith(".."):
        return None
    target = site / clean if clean not in ("", ".") else site
    if target.is_dir():
        if not path.endswith("/"):
            return target
        target = target / "index.html"
    return target if target.is_file() else None


def with_reload(html: bytes, state: State, banner: bool = True) -> bytes:
    script = f'<script src="{PREFIX}reload.js" data-build="{state.build}"></script>'.encode()
    text = html.replace(b"</body>", script + b"</body>", 1) if b"</body>" in html else html + script
    if not state.errors or not banner:
        return text
    count = plural(len(state.errors), "problem")
    note = (
        f'<div class="yr-preview-banner" role="alert"><strong>{count} to fix:</strong> '
        f'<a href="{PREFIX}problems">see what to change</a>. '
        "A record that could not be read has no letter here until it is fixed.</div>"
    ).encode()
    start = text.find(b"<body")
    end = text.find(b">", start) + 1 if start >= 0 else 0
    return text[:end] + note + text[end:]


def problems_page(state: State) -> bytes:
    """Every problem of the last build, by file, with what to write: the preview's error page."""
    if state.site is None and not state.problems:
        title, intro = (
            "Building the preview…",
            "<p>This page reloads by itself when it is ready.</p>",
        )
    elif not state.problems:
        title, intro = "No problems", '<p>Every record read. <a href="/">Back to the site</a>.</p>'
    else:
        title = f"{plural(len(state.errors), 'problem')} to fix"
        rest = (
            'Every other letter can still be read: <a href="/letters/">Letters</a>.'
            if state.site is not None
            else "Until then there is nothing else to show."
        )
        intro = (
            "<p>Change what is listed here and save the file: this page reloads by itself when "
            f"it is fixed. {rest}</p>"
        )
    items: list[str] = []
    current = None
    for problem in sorted(state.problems):
        if problem.file != current:
            if current is not None:
                items.append("</ul>")
            current = problem.file
            items.append(f"<h2><code>{escape(problem.file)}</code></h2><ul>")
        where = f"line {problem.line}" if problem.line else "the whole file"
        if problem.field:
            where += f", <code>{escape(problem.field)}</code>"
        what = f" <strong>What to do:</strong> {escape(problem.suggestion)}." * bool(
            problem.suggestion
        )
        level = "error" if problem.severity is Severity.ERROR else "warning"
        items.append(
            f'<li class="{level}">{"Must change" if level == "error" else "Worth a look"}: '
            f"{where}: {escape(problem.message)}.{what}</li>"
        )
    if current is not None:
        items.append("</ul>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Preview: {title}</title>"
        f'<link rel="stylesheet" href="{PREFIX}preview.css"></head>'
        f"<body><main><h1>{title}</h1>{intro}{''.join(items)}</main></body></html>"
    ).encode()


def read_headers(site: Path) -> list[tuple[str, str]]:
    """The headers the build wrote for the council's host (`_headers`, one per line)."""
    file = site / HEADERS_FILE
    if not file.is_file():
        return []
    pairs = (line.strip().split(": ", 1) for line in file.read_text(encoding="utf-8").splitlines())
    return [(p[0], p[1]) for p in pairs if len(p) == 2]


class Preview:
    """Builds in the background, one build at a time, whenever a watched file changes."""

    def __init__(self, paths: Paths, config_file: Path, workdir: Path, poll: bool = False) -> None:
        self.paths, self.config_file, self.workdir = paths, config_file, workdir
        self.poll = poll  # look at every file's time twice a second instead of being told
        self.state = State()
        self.app = PreviewApp(self.state)
        self.wanted = threading.Event()
        self.saved: set[Path] = set()  # files saved since the last build looked
        self.lock = threading.Lock()
        self.live: LiveSite | None = None  # the last build, in memory: see `refresh_once`
        self.builds = 0
        self.stale: Path | None = None  # the build before last: deleted once nothing reads it

    def watched(self) -> list[Path]:
        root = self.paths.root
        extra = [root / "feedback", root / "docs"]
        # An answer the receiver took lands in the store's write-ahead log first.
        answers = store_path(root)
        stores = [answers, answers.with_name(answers.name + "-wal")]
        return [*self.paths.watched(), *(d for d in extra if d.is_dir()), *stores, self.config_file]

    def watch(self) -> None:
        watch(self.watched, self.saw, self.poll)

    def saw(self, saved: set[Path]) -> None:
        """Files saved, added or deleted (or folders): the next build looks at them."""
        with self.lock:
            self.saved |= saved
        self.wanted.set()

    def build_forever(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            with self.lock:
                saved, self.saved = self.saved, set()
            if self.live is not None and saved and all(map(self.only_pages, saved)):
                self.refresh_once(saved)
            else:
                self.build_once()

    def only_pages(self, saved: Path) -> bool:
        """Whether a saved file changes only our generated pages' content (a record, an answer
        taken), so the pages it changed can be made again without a full build."""
        answers = store_path(self.paths.root)
        return saved in (answers, answers.with_name(answers.name + "-wal")) or (
            self.paths.minutes in saved.parents
        )

    def refresh_once(self, saved: set[Path]) -> None:
        """Re-render only the pages a saved record changed, in the site being served, each as a
        full build would make it: first its letter (seconds, even with thousands of letters),
        then the pages that list it. Anything else (a page added or taken away, a template or
        setting changed): a full build."""
        live, old = self.live, self.state
        assert live is not None
        start = time.perf_counter()
        records = [p for p in saved if self.paths.minutes in p.parents]
        try:
            letters = live.refresh_letters(records)
            if letters and old.site is not None:  # shown now; the problems listed come next
                self.state = self.app.state = replace(old, build=old.build + 1)
                self.say(f"Updated {plural(len(letters), 'letter')}", start)
            changed = live.refresh(records)
        except Exception:  # whatever it was, a full build says it properly
            changed = None
        old = self.state
        if changed is None or old.site is None:
            self.build_once()
            return
        new = State(old.site, old.build + 1, list(live.problems), read_headers(old.site))
        self.state = self.app.state = new
        self.say(f"Updated {plural(len(changed), 'page')}", start)

    def build_once(self) -> None:
        self.builds += 1
        site = self.workdir / f"build-{self.builds}"
        start = time.perf_counter()
        old = self.state
        self.live = None  # until this build gives its own
        try:
            self.live = build_live(self.config_file, site)
            new = State(site, old.build + 1, list(self.live.problems), read_headers(site))
        except YourReviewError as exc:
            shutil.rmtree(site, ignore_errors=True)
            new = State(old.site, old.build + 1, list(exc.problems), old.headers)
        except Exception as exc:  # a council's template or page broke MkDocs: say so, go on
            shutil.rmtree(site, ignore_errors=True)
            new = State(old.site, old.build + 1, [crash_problem(exc, self.paths.root)], old.headers)
        self.state = self.app.state = new
        if old.site is not None and old.site != new.site:
            # A request may still be reading the build just replaced: delete the one before.
            if self.stale is not None:
                shutil.rmtree(self.stale, ignore_errors=True)
            self.stale = old.site
        self.say("Built", start)

    def say(self, done: str, start: float) -> None:
        errors = self.state.errors
        said = f"{plural(len(errors), 'problem')} to fix" if errors else "no problems"
        print(f"{done} in {time.perf_counter() - start:.1f} s: {said}.", flush=True)

    def start(self) -> None:
        self.wanted.set()
        for run in (self.build_forever, self.watch):
            threading.Thread(target=run, daemon=True).start()


def crash_problem(exc: Exception, root: Path) -> Problem:
    named = getattr(exc, "filename", None)  # a template's syntax error names its file
    file = display_path(Path(named), root) if isinstance(named, str) else "the site"
    line = getattr(exc, "lineno", None)
    return Problem(
        file,
        line if isinstance(line, int) else 0,
        0,
        "",
        f"the site could not be built ({type(exc).__name__}: {exc})",
        "undo the last change to this file, or see the terminal",
    )


PREVIEW_FOLDER = ".yourreview-preview"  # beside mkdocs.yml, like minutes/: never published


def preview_folder(root: Path) -> Path:
    """A folder for this preview's builds, inside the council's folder (where its personal data
    already is) rather than a shared /tmp. Builds left by a preview that was killed outright,
    so could not delete them, are deleted here by the next one."""
    base = root / PREVIEW_FOLDER
    base.mkdir(mode=0o700, exist_ok=True)
    for old in base.iterdir():
        if not (old.name.isdigit() and _running(int(old.name))):
            shutil.rmtree(old, ignore_errors=True)
    mine = base / str(os.getpid())
    mine.mkdir(mode=0o700)
    return mine


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: asks whether the process exists, sends nothing
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def serve(
    paths: Paths, port: int, mount: Iterable[tuple[str, WSGIApp]] = (), poll: bool = False
) -> int:
    """Serve until stopped (Ctrl+C or a kill); the built pages are deleted on the way out.
    `poll`: look for saved files twice a second instead of being told (network drives)."""
    from waitress.server import BaseWSGIServer, create_server

    os.environ["YOURREVIEW_AUDIENCE"] = "internal"
    keep_in_memory()  # one process, building again at every save
    preview = Preview(paths, paths.root / "mkdocs.yml", Path(), poll)
    for prefix, app in mount:
        preview.app.mount(prefix, app)
    try:
        server = create_server(preview.app, host="127.0.0.1", port=port, threads=4)
    except OSError as exc:
        print(
            f"Cannot serve on port {port} ({exc.strerror}): another program may be using it. "
            "Choose another with --port, or --port 0 for any free one.",
            file=sys.stderr,
        )
        return 1
    workdir = preview.workdir = preview_folder(paths.root)
    assert isinstance(server, BaseWSGIServer)  # one host and port, so one server
    port = int(server.getsockname()[1])

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    os.environ[PREVIEW_ORIGIN] = f"http://127.0.0.1:{port}"  # read by the build's plugin
    print(f"Preview at http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
    preview.start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        # A build may still be running in its thread, holding the interpreter lock between the
        # clean-up's system calls for up to 5 ms each: with thousands of pages to delete, that
        # made stopping take a minute. Hand the lock over sooner while we clean up.
        sys.setswitchinterval(0.0001)
        shutil.rmtree(workdir, ignore_errors=True)
        print("Preview stopped; its pages are deleted.", file=sys.stderr)
    return 0
