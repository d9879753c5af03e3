"""The receiver, through its real server (Waitress) on 127.0.0.1: answers kept, refusals told."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from answers_support import serving, stored
from conftest import copy_example
from yourreview.feedback import store
from yourreview.feedback.importer import run_import
from yourreview.feedback.receiver import export_jsonl, make_app
from yourreview.forms import load_forms
from yourreview.project import Paths

TOKEN = "abcdefghijklmnop"
GOOD = {
    "form_id": "after-review",
    "form_version": "2",
    "token": TOKEN,
    "how-was-it": "5",
    "listened": "4",
    "had-your-say": "yes",
    "better": "<script>alert(1)</script>",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "council")


Fields = dict[str, str] | bytes
Reply = tuple[int, dict[str, str], str]
FORM = "application/x-www-form-urlencoded"


def post(port: int, fields: Fields, content_type: str = FORM, path: str = "/") -> Reply:
    body = fields if isinstance(fields, bytes) else urlencode(fields).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body, {"Content-Type": content_type})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


class Server:
    """The receiver under Waitress on 127.0.0.1, for one test."""

    def __init__(self, root: Path, **options: Any) -> None:
        app = make_app(Paths.under(root), thanks_base="https://reviews.anytown.example/", **options)
        self._serving = serving(app)
        self.port = self._serving.__enter__()

    def post(self, fields: Fields, content_type: str = FORM, path: str = "/") -> Reply:
        return post(self.port, fields, content_type, path)

    def close(self) -> None:
        self._serving.__exit__(None, None, None)


@pytest.fixture
def server(project: Path) -> Iterator[Server]:
    running = Server(project, rate_limit=1000, busy_seconds=0.2)
    yield running
    running.close()


def test_a_good_answer_is_kept_then_redirected_to_the_thank_you_page(
    server: Server, project: Path
) -> None:
    status, headers, _ = server.post(GOOD)
    assert status == 303
    assert headers["Location"] == "https://reviews.anytown.example/f/after-review/thanks/"
    assert "Set-Cookie" not in headers
    (row,) = stored(project)
    assert row.token == TOKEN and row.source == "receiver" and row.status == "counted"
    assert json.loads(row.answers)["better"] == "<script>alert(1)</script>"
    # nothing about the sender is kept: the store holds only these columns
    conn = sqlite3.connect(store.store_path(project))
    columns = {r[1] for r in conn.execute("PRAGMA table_info(answers)")}
    conn.close()
    assert not columns & {"ip", "address", "user_agent", "referrer", "cookie"}
    for f in project.glob("answers.sqlite3*"):
        assert b"127.0.0.1" not in f.read_bytes()


def test_send_pressed_twice_keeps_one_answer_but_two_children_alike_keep_two(
    server: Server, project: Path
) -> None:
    assert [server.post(GOOD)[0] for _ in range(2)] == [303, 303]  # same token: one answer
    no_token = {k: v for k, v in GOOD.items() if k != "token"}
    assert [server.post(no_token)[0] for _ in range(2)] == [303, 303]  # no token: two
    assert len(stored(project)) == 3
    # With the id forms.js gives each opening of the form: one opening sent twice is one
    # answer; two carers on one review, answering alike from two openings, are two.
    opened = {**GOOD, "sent_id": "0123456789abcdef01234567"}
    assert [server.post(opened)[0] for _ in range(2)] == [303, 303]
    assert server.post({**opened, "sent_id": "fedcba9876543210fedcba98"})[0] == 303
    assert len(stored(project)) == 5
    assert server.post({**opened, "sent_id": "not-ours"})[0] == 303  # a malformed id is ignored
    assert len(stored(project)) == 5  # ...so the token and answers key it: one answer still


def test_an_older_approved_version_still_counts(server: Server, project: Path) -> None:
    status, _, _ = server.post({"form_id": "after-review", "form_version": "1", "how-was-it": "2"})
    assert status == 303
    assert stored(project)[0].form_version == 1


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({**GOOD, "form_id": "no-such-form"}, 404, "We could not find that form"),
        ({**GOOD, "form_version": "7"}, 404, "We could not find that form"),
        ({**GOOD, "favourite": "blue"}, 400, "&#34;favourite&#34; is not a question"),
        ({**GOOD, "how-was-it": "11"}, 400, "is not one of the answers"),
        ({**GOOD, "better": "x" * 5001}, 400, "at most 5,000 fit"),
        ({**GOOD, "token": "AT-2026-0412"}, 400, "code from the letter"),
        ({k: v for k, v in GOOD.items() if k != "form_id"}, 400, "did not say which form"),
        ({**GOOD, "form_id": "after-13-plus"}, 404, "not one we use now"),
        ({**GOOD, "about_form": "carer"}, 400, "Children in Care Council"),
    ],
    ids=[
        "unknown-form",
        "unknown-version",
        "unknown-question",
        "bad-choice",
        "too-long",
        "bad-token",
        "no-form",
        "draft",
        "about-on-wrong-form",
    ],
)
def test_refusals_are_pages_a_child_can_read(
    server: Server, project: Path, fields: dict[str, str], status: int, words: str
) -> None:
    got, headers, body = server.post(fields)
    assert got == status, body
    assert words in body
    assert "Other ways to answer" in body and "01632 960000" in body
    assert "Traceback" not in body and headers["Cache-Control"] == "no-store"
    assert stored(project) == []


def test_other_refusals(server: Server, project: Path) -> None:
    status, _, body = server.post(b"x" * (64 * 1024 + 1))
    assert status == 413 and "too long to send" in body
    status, _, _ = server.post(json.dumps(GOOD).encode(), content_type="application/json")
    assert status == 400
    status, _, _ = server.post(b"form_id=after-review&better=\xff\xfe")
    assert status == 400
    assert server.post(GOOD, path="/elsewhere")[0] == 404
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.status == 405 and response.getheader("Allow") == "POST"
    conn.close()
    assert stored(project) == []


def test_hostile_text_in_the_refusal_page_is_shown_as_text(server: Server) -> None:
    _, _, body = server.post({**GOOD, "how-was-it": "<img src=x onerror=alert(1)>"})
    assert "<img" not in body and "&lt;img" in body


def test_a_flood_is_answered_429(project: Path) -> None:
    running = Server(project, rate_limit=5)
    try:
        statuses = [running.post({**GOOD, "better": f"flood {i}"})[0] for i in range(8)]
    finally:
        running.close()
    assert statuses == [303] * 5 + [429] * 3
    assert len(stored(project)) == 5


def test_a_locked_database_is_answered_503_with_nothing_half_written(
    server: Server, project: Path
) -> None:
    assert server.post(GOOD)[0] == 303
    blocker = sqlite3.connect(store.store_path(project), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        status, _, body = server.post({**GOOD, "how-was-it": "1"})
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert status == 503 and "Nothing was saved" in body and "01632 960000" in body
    assert len(stored(project)) == 1
    assert server.post({**GOOD, "how-was-it": "1"})[0] == 303  # and it recovers
    assert len(stored(project)) == 2


SERVE = """
import sys, waitress
from pathlib import Path
from yourreview.feedback.receiver import make_app
from yourreview.project import Paths
app = make_app(Paths.under(Path(sys.argv[1])), rate_limit=0)
server = waitress.create_server(app, host="127.0.0.1", port=0)
print(server.effective_port, flush=True)
server.run()
"""


def test_a_server_killed_mid_request_leaves_the_store_consistent(project: Path) -> None:
    command = [sys.executable, "-c", SERVE, str(project)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8") as proc:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        assert post(port, GOOD)[0] == 303
        body = urlencode({**GOOD, "better": "half"}).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            head = (
                "POST / HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            sock.sendall(head.encode() + body[: len(body) // 2])
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    conn = sqlite3.connect(store.store_path(project))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept = [json.loads(r[0]) for r in conn.execute("SELECT answers FROM answers")]
    conn.close()
    assert [k["better"] for k in kept] == ["<script>alert(1)</script>"]


def test_the_receivers_export_imports_as_already_had(server: Server, project: Path) -> None:
    for rating in "12345":
        assert server.post({**GOOD, "how-was-it": rating})[0] == 303
    assert server.post({"form_id": "carer", "who": "Parent"})[0] == 303
    comment = {"form_id": "cicc-comments", "about_form": "carer", "about_version": "2"}
    assert server.post({**comment, "overall": "4"})[0] == 303
    target = project / "feedback" / "received.jsonl"
    assert export_jsonl(project, target) == 7
    forms = load_forms(project / "site_config" / "questions.yml")
    again = run_import(project, forms, [target])
    assert (again.total.read, again.total.had, again.total.new) == (7, 7, 0)
    elsewhere = copy_example(project.parent / "other")
    fresh = run_import(elsewhere, forms, [target])
    assert fresh.total.new == 7
    assert {r.answers for r in stored(elsewhere)} == {r.answers for r in stored(project)}


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "systemd"])
def test_yourreview_receive_serves_with_waitress(project: Path, stop: signal.Signals) -> None:
    with socket.socket() as probe:  # a free port; the command takes a number, not 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "yourreview.cli", "--project", str(project), "receive"]
    command += ["--port", str(port), "--rate-limit", "3"]
    # Started with SIGINT ignored, as a script's background job is: Ctrl+C must still stop it.
    ignore_ctrl_c = partial(signal.signal, signal.SIGINT, signal.SIG_IGN)
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, encoding="utf-8", preexec_fn=ignore_ctrl_c
    )
    try:
        assert proc.stdout is not None
        assert "Receiving answers at http://127.0.0.1:" in proc.stdout.readline()
        replies = []
        for _ in range(60):
            try:
                replies = [post(port, {**GOOD, "better": str(i)}) for i in range(4)]
                break
            except ConnectionRefusedError:
                threading.Event().wait(0.1)
        assert [r[0] for r in replies] == [303, 303, 303, 429]
        assert "Server" not in replies[0][1] or replies[0][1]["Server"] == ""
    finally:
        proc.send_signal(stop)
        try:
            code = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()  # never leave the test waiting: the assertion below says what failed
            code = proc.wait()
        if proc.stdout:
            proc.stdout.close()
    assert code == 0, "the receiver did not stop cleanly on the signal"
    assert len(stored(project)) == 3


def test_a_half_saved_questions_file_keeps_the_last_good_forms(
    server: Server, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    questions = project / "site_config" / "questions.yml"
    good = questions.read_text(encoding="utf-8")
    questions.write_text(good[: len(good) // 2] + "\n  - id: [broken\n", encoding="utf-8")
    os.utime(questions, (1, 1))  # a new modification time, whatever the clock's resolution
    assert server.post(GOOD)[0] == 303
    assert "settings not reloaded" in caplog.text
    questions.write_text(good, encoding="utf-8")
    assert len(stored(project)) == 1


def test_a_port_in_use_is_a_message_not_a_traceback(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "yourreview.cli", "--project", str(project), "receive"]
        done = subprocess.run(
            [*command, "--port", str(port)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
    assert done.returncode == 1
    assert "Choose another --port" in done.stderr and "Traceback" not in done.stderr
