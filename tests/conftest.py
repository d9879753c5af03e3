"""Shared fixtures: real MkDocs builds of the example council, in temporary folders."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PARTS = ("mkdocs.yml", "docs", "minutes", "site_config", "templates", "feedback")

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_example(dest: Path) -> Path:
    """A copy of the example council to change freely in a test."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part)
        elif source.exists():
            shutil.copy2(source, dest / part)
    return dest


def set_endpoint(project: Path, endpoint: str | None) -> None:
    """Point the copy's forms at another endpoint, or (None) at none: offline forms."""
    council = project / "site_config" / "council.yml"
    text = council.read_text(encoding="utf-8")
    block = re.compile(r"^forms:\n(?:  .*\n)+", re.M)
    assert block.search(text), "the example's council.yml has no forms: block; edit set_endpoint"
    new = f"forms:\n  endpoint: {endpoint}\n" if endpoint else ""
    council.write_text(block.sub(lambda _: new, text, count=1), encoding="utf-8")


def build_site(project: Path, site_dir: Path, audience: str = "public") -> Path:
    """Build with real MkDocs, in this process, as `mkdocs build` would."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    previous = os.environ.get("YOURREVIEW_AUDIENCE")
    os.environ["YOURREVIEW_AUDIENCE"] = audience
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        if previous is None:
            del os.environ["YOURREVIEW_AUDIENCE"]
        else:
            os.environ["YOURREVIEW_AUDIENCE"] = previous
    return site_dir


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build_site(ROOT, tmp_path_factory.mktemp("public") / "site", "public")


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build_site(ROOT, tmp_path_factory.mktemp("internal") / "site", "internal")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "council")


@pytest.fixture
def failed_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Callable[[Path], str]:
    """Build the public site, expect MkDocs to stop, and return what it logged."""

    def run(project: Path) -> str:
        from mkdocs.exceptions import Abort

        caplog.clear()
        with pytest.raises(Abort):
            build_site(project, tmp_path / "failed-site", "public")
        return caplog.text

    return run


def run_cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`yourreview --project PROJECT ARGS…` in a fresh process, as an IRO would run it."""
    return subprocess.run(
        [sys.executable, "-m", "yourreview.cli", "--project", str(project), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


# -- browser fixtures --
# Shared by test_browser_pages.py, test_forms_browser.py and test_html_valid.py.


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, one per test module.

    Not one per session: Playwright's sync API refuses to start while another instance of it
    is running, and test_browser_infra.py starts its own; a launch costs well under a second.
    """
    from playwright.sync_api import sync_playwright

    import browser_support as bs

    with sync_playwright() as playwright:
        chromium = bs.launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def public_base(public_site: Path) -> Iterator[str]:
    import browser_support as bs

    with bs.serve(public_site) as base:
        yield base


@pytest.fixture(scope="session")
def internal_base(internal_site: Path) -> Iterator[str]:
    import browser_support as bs

    with bs.serve(internal_site) as base:
        yield base


@dataclass
class FormsServer:
    """The example council built with `forms.endpoint` on this server, which serves the built
    site and records every form POSTed to /submit: the council's endpoint, for tests."""

    base: str  # http://127.0.0.1:PORT/
    endpoint: str  # base + "submit"
    project: Path
    site: Path
    posts: list[dict[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def received(self) -> list[dict[str, list[str]]]:
        with self.lock:
            return list(self.posts)


class _FormsHandler(http.server.SimpleHTTPRequestHandler):
    recorder: FormsServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        if urlsplit(self.path).path != "/submit":
            self.send_error(404)
            return
        with self.recorder.lock:
            self.recorder.posts.append(parse_qs(body, keep_blank_values=True))
        reply = (
            b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thank you</title>'
            b'</head><body><main><h1 id="thanks">Thank you</h1></main></body></html>'
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


@contextmanager
def serve_forms(
    work: Path, prepare: Callable[[Path], object] | None = None
) -> Iterator[FormsServer]:
    """A copy of the example council (changed by `prepare`, if given) whose forms post to a
    server on 127.0.0.1."""
    project = copy_example(work / "council")
    if prepare is not None:
        prepare(project)
    site = work / "site"
    handler: type[_FormsHandler] = type("Handler", (_FormsHandler,), {})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    recorder = FormsServer(base=base, endpoint=base + "submit", project=project, site=site)
    handler.recorder = recorder
    set_endpoint(project, recorder.endpoint)
    build_site(project, site, "public")
    thread = threading.Thread(target=server.serve_forever, name="forms-server", daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def forms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FormsServer]:
    """A copy of the example council whose forms post to a server on 127.0.0.1."""
    with serve_forms(tmp_path_factory.mktemp("forms")) as recorder:
        yield recorder
