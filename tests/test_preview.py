"""`yourreview preview` for real: one process on a free port, problems shown in the browser,
fixed letters back by themselves, and nothing left answering once it is killed."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from yourreview.preview import PreviewApp, State

SAM = "/letters/AT-2026-0877/"  # minutes/2026/sam-3.yml
RUBY = "/letters/AT-2026-0540/"  # minutes/2026/ruby-2.yml
PREVIEW = (sys.executable, "-m", "yourreview.cli", "--project")
WAIT = 90.0  # a build takes a few seconds; a shared machine can be slow


def get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers)


def wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@contextmanager
def preview(project: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [*PREVIEW, str(project), "preview", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    try:
        assert process.stdout is not None
        base = ""
        for line in process.stdout:
            found = re.search(r"http://127\.0\.0\.1:\d+", line)
            if found:
                base = found.group(0)
                break
        assert base, "the preview never said where it is"
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def build_number(base: str) -> int:
    return int(get(base + "/_preview/build")[1])


def rebuilt(base: str, after: int) -> Callable[[], bool]:
    return lambda: build_number(base) > after


def refuses(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/", timeout=2)
    except urllib.error.URLError as error:
        return isinstance(error.reason, ConnectionRefusedError)
    except ConnectionError:
        return True
    return False


def test_preview_shows_problems_then_the_fixed_letter_and_dies_with_its_pid(
    example: Path,
) -> None:
    record = example / "minutes/2026/sam-3.yml"
    good = record.read_text(encoding="utf-8")
    with preview(example) as (process, base):
        wait_for(lambda: get(base + SAM)[0] == 200, "the first build")
        status, page, headers = get(base + SAM)
        assert "Dear Sam," in page
        assert '<script src="/_preview/reload.js" data-build="1"></script>' in page
        # The site's own policy, as the council's host would send it, allows the reload script.
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert get(base + "/_preview/reload.js")[0] == 200

        before = build_number(base)
        record.write_text(good.replace("date: 2026-11-05", "date: 05/11/2026"), encoding="utf-8")
        wait_for(rebuilt(base, before), "the build after a broken save")
        status, page, _ = get(base + SAM)
        assert status == 500
        assert "<code>minutes/2026/sam-3.yml</code>" in page
        assert "line 4, <code>review.date</code>: &quot;05/11/2026&quot; is not a date" in page
        assert "write 2026-11-05" in page
        assert 'src="/_preview/reload.js"' in page  # it reloads itself once fixed
        status, other, _ = get(base + RUBY)
        assert status == 200 and "Dear Ruby," in other  # every other letter stays readable
        assert "1 problem to fix" in other and 'href="/_preview/problems"' in other

        before = build_number(base)
        fixed = good.replace("You love going swimming", "The LAC nurse says you love swimming")
        record.write_text(fixed, encoding="utf-8")
        wait_for(rebuilt(base, before), "the build after the fix")
        status, page, _ = get(base + SAM)
        assert status == 200 and "Dear Sam," in page
        box = page[page.index('<section class="yr-findings') :]
        assert "&#34;LAC&#34; is a word children have asked us not to use" in box

        builds = example / ".yourreview-preview" / str(process.pid)
        assert builds.is_dir()
        process.send_signal(signal.SIGTERM)  # `kill PID`
        process.wait(timeout=30)
        assert refuses(base)
        assert not builds.exists()  # the letters it built are deleted


def test_a_preview_killed_outright_leaves_nothing_on_its_port(example: Path) -> None:
    with preview(example) as (process, base):
        wait_for(lambda: get(base + SAM)[0] == 200, "the first build")
        process.kill()  # SIGKILL: no clean-up runs, so no child may outlive it
        process.wait(timeout=30)
        assert refuses(base)
        left = example / ".yourreview-preview" / str(process.pid)
        assert left.is_dir()  # nothing could delete it as it was killed...
    with preview(example) as (process, base):
        assert not left.exists()  # ...so the next preview does
        process.terminate()


def call(app: Any, path: str, method: str = "GET") -> tuple[str, bytes]:
    seen: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen.append(status)

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": method}, start_response))
    return seen[0], body


def test_other_wsgi_apps_mount_under_a_prefix(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "letters").mkdir(parents=True)
    (site / "index.html").write_text("<html><body>home</body></html>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the site", encoding="utf-8")
    app = PreviewApp(State(site=site, build=3))

    def answers(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [f"{environ['SCRIPT_NAME']}|{environ['PATH_INFO']}".encode()]

    app.mount("/answers", answers)
    assert call(app, "/answers/child-feedback", "POST") == ("200 OK", b"/answers|/child-feedback")
    assert call(app, "/answers") == ("200 OK", b"/answers|/")
    assert call(app, "/answersheet")[0] == "404 Not Found"  # a prefix is a whole segment
    status, body = call(app, "/")
    assert status == "200 OK" and b'data-build="3"' in body
    assert call(app, "/letters")[0] == "301 Moved Permanently"
    assert call(app, "/../secret.txt")[0] == "404 Not Found"
    assert call(app, "/", "POST")[0] == "405 Method Not Allowed"


@pytest.mark.parametrize("path", ["/_preview/build", "/_preview/problems"])
def test_the_previews_own_pages(tmp_path: Path, path: str) -> None:
    status, _ = call(PreviewApp(State()), path)
    assert status == "200 OK"


def test_the_browser_reloads_by_itself_to_the_problem_and_back(example: Path, browser: Any) -> None:
    import browser_support as bs

    record = example / "minutes/2026/sam-3.yml"
    good = record.read_text(encoding="utf-8")
    with preview(example) as (_, base):
        wait_for(lambda: get(base + SAM)[0] == 200, "the first build")
        context = bs.new_context(browser, 1280)
        page = context.new_page()
        refused: list[str] = []  # what the Content-Security-Policy blocked, if anything
        page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else 0)
        page.goto(base + SAM)
        assert page.locator(".yr-greeting").inner_text() == "Dear Sam,"

        record.write_text(good.replace("date: 2026-11-05", "date: 05/11/2026"), encoding="utf-8")
        page.wait_for_selector("text=is not a date", timeout=WAIT * 1000)  # no one pressed F5
        assert "minutes/2026/sam-3.yml" in page.inner_text("main")

        record.write_text(good, encoding="utf-8")
        page.wait_for_selector(".yr-greeting", timeout=WAIT * 1000)
        assert page.locator(".yr-greeting").inner_text() == "Dear Sam,"
        assert refused == []
        context.close()


def test_a_port_in_use_is_a_message_not_a_traceback(example: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*PREVIEW, str(example), "preview", "--port", str(port)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"Cannot serve on port {port}" in result.stderr and "--port 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_settings_or_templates_are_shown_not_raised(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yourreview.preview import Preview, problems_page
    from yourreview.project import Paths

    monkeypatch.setenv("YOURREVIEW_AUDIENCE", "internal")
    council = example / "site_config/council.yml"
    good = council.read_text(encoding="utf-8")
    council.write_text(good + "council: [\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    preview = Preview(Paths.under(example), example / "mkdocs.yml", work)
    preview.build_once()
    assert preview.state.site is None  # nothing built yet: every page is the problems page
    assert [p.file for p in preview.state.errors] == ["site_config/council.yml"]
    assert b"nothing else to show" in problems_page(preview.state)

    council.write_text(good, encoding="utf-8")
    own = example / "templates/letters/child.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text('{% extends "letters/base.html" %}\n{{ oops\n', encoding="utf-8")
    preview.build_once()
    (problem,) = preview.state.errors
    assert (problem.file, problem.line) == ("templates/letters/child.html", 2)
    assert "could not be built (TemplateSyntaxError" in problem.message

    own.unlink()
    preview.build_once()
    assert preview.state.site is not None and not preview.state.errors
    assert (preview.state.site / "letters/AT-2026-0877/index.html").is_file()
    assert preview.state.build == 3


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the test reads the 303 itself


def test_a_form_opened_from_a_letter_is_answered_in_the_preview_and_shows_on_it(
    example: Path,
) -> None:
    with preview(example) as (_, base):
        wait_for(lambda: get(base + SAM)[0] == 200, "Sam's letter")
        letter = get(base + SAM)[1]
        # The link typed beside the letter's QR code leads into this preview, with his token.
        typed = re.search(r'<span class="yr-link">(.*?)</span></span>', letter)
        assert typed, "no typed link on Sam's letter"
        link = re.sub(r"<[^>]+>", "", typed.group(1))
        found = re.fullmatch(rf"{re.escape(base[len('http://') :])}/f/([\w-]+)/\?t=(\w+)", link)
        assert found, link
        url, form_id, token = "http://" + link, found.group(1), found.group(2)
        status, form, _ = get(url)
        assert status == 200
        action = re.search(r'<form class="yr-form-body" method="post" action="([^"]+)"', form)
        assert action and action.group(1) == f"{base}/answers/"  # the receiver, same origin
        version = re.search(r'name="form_version" value="(\d+)"', form)
        text = re.search(r'<textarea[^>]* name="([\w-]+)"', form)
        assert version and text, "the form has no version or no place to write"
        words = "PREVIEW canary: I like my swimming <b>lessons</b>"
        body = urllib.parse.urlencode(
            {
                "form_id": form_id,
                "form_version": version.group(1),
                "token": token,
                text.group(1): words,
            }
        ).encode()
        before = build_number(base)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(urllib.request.Request(action.group(1), data=body), timeout=10)
            raise AssertionError("the receiver did not redirect")
        except urllib.error.HTTPError as answer:
            assert answer.code == 303, answer.read()
            thanks = answer.headers["Location"]
        assert thanks == f"/f/{form_id}/thanks/"
        assert get(base + thanks)[0] == 200
        # The answer reached the store: the preview rebuilds, and Sam's letter shows it as text.
        wait_for(rebuilt(base, before), "a rebuild after the answer")
        wait_for(
            lambda: "I like my swimming &lt;b&gt;lessons&lt;/b&gt;" in get(base + SAM)[1],
            "the answer on Sam's letter page",
        )


PREVIEW_ONLY = (
    re.compile(rb'<script src="/_preview/reload\.js" data-build="\d+"></script>'),
    re.compile(rb'<div class="yr-preview-banner" role="alert">.*?</div>'),
)


def fetch_bytes(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), dict(response.headers)


def test_a_saved_record_changes_only_its_pages_as_a_clean_build_writes_them(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yourreview.plugin import build_site
    from yourreview.preview import read_headers

    record = example / "minutes/2026/sam-3.yml"
    good = record.read_text(encoding="utf-8")
    with preview(example) as (process, base):
        wait_for(lambda: get(base + SAM)[0] == 200, "the first build")
        before = build_number(base)
        fixed = good.replace("You love going swimming", "The LAC nurse says you love swimming")
        record.write_text(fixed, encoding="utf-8")
        # Two steps, each a new build number: the letter, then the pages that list it.
        wait_for(lambda: build_number(base) >= before + 2, "the letter and the Checks page")
        monkeypatch.setenv("YOURREVIEW_AUDIENCE", "internal")
        monkeypatch.setenv("YOURREVIEW_PREVIEW_ORIGIN", base)  # as the preview's own build
        clean = tmp_path / "clean"
        build_site(example / "mkdocs.yml", clean)
        compared = 0
        for file in sorted(clean.rglob("*")):
            rel = file.relative_to(clean).as_posix()
            if not file.is_file() or rel == "_headers":
                continue
            url = base + "/" + (rel.removesuffix("index.html") if rel.endswith(".html") else rel)
            served, headers = fetch_bytes(url)
            for preview_only in PREVIEW_ONLY:
                served = preview_only.sub(b"", served)
            assert served == file.read_bytes(), rel
            compared += 1
        assert compared > 200  # every letter, page, asset and the search index
        csp = dict(read_headers(clean))["Content-Security-Policy"]
        assert headers["Content-Security-Policy"] == csp
        assert "&#34;LAC&#34; is a word children have asked us not to use" in get(base + SAM)[1]
        process.terminate()
        process.wait(timeout=30)
        assert process.stdout is not None
        said = process.stdout.read()
    # One full build at the start; after the save, two pages made again, not the site.
    assert said.count("Built in") == 1, said
    assert "Updated 1 letter in" in said and "Updated 1 page in" in said, said
