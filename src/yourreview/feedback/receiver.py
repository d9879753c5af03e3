"""`yourreview receive`: the answers endpoint, a plain WSGI app served by Waitress.

Every POST is checked by the same `check_answer` the imports use, written to the store in one
transaction, and only then answered with a 303 to the form's thank-you page (its `asked/` page
after a yes to "get in touch" with no code from a letter: it says how to reach the IRO team).
Anything else gets a short page a child can read, with the right status and how else to answer.
Nothing about the sender is kept: no IP address, user agent, cookie or referrer. The rate limit
holds a keyed hash of the address, in memory only, for one minute.

`make_app` returns a WSGI callable that only looks at PATH_INFO, so it can be mounted under a
path prefix (e.g. /answers/) beside a static site, as the preview does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import signal
import sqlite3
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from markupsafe import escape

from ..council import Council, load_council
from ..errors import YourReviewError, display_path
from ..forms import Forms, asks_for_iro, load_forms
from ..project import Paths
from . import store
from .answers import Refused, check_answer

MAX_BODY = 64 * 1024
OWN_FIELDS = ("form_id", "form_version", "token", "about_form", "about_version", "sent_id")
# forms.js gives each opening of a form its own random id: Send pressed twice sends it twice.
SENT_ID = re.compile(r"^[a-z0-9]{16,32}$")
log = logging.getLogger(__name__)

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; form-action 'none'; frame-ancestors 'none'"),
]
STATUS = {
    303: "303 See Other",
    400: "400 Bad Request",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    413: "413 Content Too Large",
    429: "429 Too Many Requests",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}
# What each refusal says, in words a child can read: (title, what happened, what to do).
WORDS = {
    400: (
        "We could not take these answers",
        "Something in the form did not look right, so we did not keep your answers.",
        "Please go back to the form and send it again.",
    ),
    404: (
        "We could not find that form",
        "The form you sent is not one we use now, so we did not keep your answers.",
        "Please scan the code on your letter again, or use the link typed under it.",
    ),
    405: (
        "This is where answers arrive",
        "This address only takes answers sent from one of our forms.",
        "Open the form from your letter to answer it.",
    ),
    413: (
        "That was too long to send",
        "Your answers were longer than we can take in one go, so we did not keep them.",
        "Please make your writing a bit shorter and send it again.",
    ),
    429: (
        "Lots of answers at once",
        "We have had a lot of answers from here in the last minute, so we did not keep these.",
        "Please wait a minute, then send your answers again.",
    ),
    500: (
        "Something went wrong",
        "We could not keep your answers this time. It is not your fault.",
        "Please try again later.",
    ),
    503: (
        "We could not save your answers just now",
        "Nothing was saved. It is not your fault.",
        "Please try again in a few minutes.",
    ),
}


class RateLimit:
    """At most `limit` answers a minute from one address. Addresses are never held: only a
    keyed hash with a key made afresh each time the receiver starts."""

    def __init__(self, limit: int, seconds: float = 60.0) -> None:
        self.limit, self.seconds = limit, seconds
        self._key = secrets.token_bytes(32)
        self._hits: dict[bytes, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        if self.limit <= 0:
            return True
        key = hmac.new(self._key, address.encode(), hashlib.sha256).digest()[:16]
        now = time.monotonic()
        with self._lock:
            if len(self._hits) > 10_000:  # forget quiet addresses so memory stays small
                self._hits = {
                    k: v for k, v in self._hits.items() if v and v[-1] > now - self.seconds
                }
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True


@dataclass
class _Settings:
    """questions.yml and council.yml, read again when either file changes."""

    paths: Paths
    stamp: tuple[float, float] = (0.0, 0.0)
    forms: Forms | None = None
    council: Council | None = None

    def current(self) -> tuple[Forms, Council]:
        config = self.paths.site_config
        files = (config / "questions.yml", config / "council.yml")
        stamp = (files[0].stat().st_mtime, files[1].stat().st_mtime)
        if stamp != self.stamp or self.forms is None or self.council is None:
            try:
                forms = load_forms(files[0], display_path(files[0], self.paths.root))
                council = load_council(files[1], self.paths.root)
            except YourReviewError as exc:
                if self.forms is None or self.council is None:
                    raise  # at start: refuse to run on broken settings
                # A half-saved edit must not stop children answering: keep the last good ones.
                log.warning("settings not reloaded, still using the last good ones:\n%s", exc)
            else:
                self.forms, self.council = forms, council
            self.stamp = stamp
        return self.forms, self.council


def _response_id(sent_id: str, token: str | None) -> str | None:
    """What makes a sent form one answer. The id forms.js gives each opening of the form: Send
    pressed twice is one answer, while two carers on one review who answer alike are two.
    Without it (no JavaScript, or a page from before it), the token and answers are the key
    when there is a token (a double click); with neither, every POST is its own answer, since
    two children may well tick the same faces."""
    if SENT_ID.match(sent_id):
        return f"s-{sent_id}"
    return None if token else f"r-{uuid.uuid4().hex}"


def make_app(
    paths: Paths,
    *,
    thanks_base: str | None = None,
    rate_limit: int = 20,
    busy_seconds: float = 2.0,
    store_file: Path | None = None,
) -> WSGIApp:
    """The receiver. `thanks_base`: where the site is (default council.site_url; "/" when the
    receiver shares the site's origin, as in the preview)."""
    settings = _Settings(paths)
    settings.current()  # a broken questions.yml stops the start, not the first child's answer
    limiter = RateLimit(rate_limit)
    db = store_file or store.store_path(paths.root)
    local = threading.local()
    # One writer at a time inside this process: SQLite would serialise them anyway, but its busy
    # handler sleeps in steps of up to 100 ms, which is what a queue of children would feel.
    writing = threading.Lock()

    def connection() -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        if conn is None:
            conn = store.connect(db, busy_seconds)
            local.conn = conn
        return conn

    def app(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        forms, council = settings.current()
        base = thanks_base or council.site_url or "/"
        base = base if base.endswith("/") else base + "/"

        def page(
            status: int, reasons: Iterable[str] = (), form_id: str | None = None
        ) -> list[bytes]:
            body = refusal_page(status, council, reasons, base, form_id)
            headers = [*HEADERS, ("Content-Length", str(len(body)))]
            if status == 429:
                headers.append(("Retry-After", "60"))
            if status == 405:
                headers.append(("Allow", "POST"))
            start_response(STATUS[status], headers)
            return [body]

        if environ.get("PATH_INFO", "/") not in ("", "/"):
            return page(404)
        if environ.get("REQUEST_METHOD") != "POST":
            return page(405)
        if not limiter.allow(str(environ.get("REMOTE_ADDR", ""))):
            return page(429)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return page(400)
        if length > MAX_BODY:
            return page(413)
        body = environ["wsgi.input"].read(min(length, MAX_BODY + 1) if length else MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return page(413)
        kind = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            return page(400, ["the answers were not sent the way our forms send them"])
        try:
            fields = parse_qs(
                body.decode("utf-8"),
                keep_blank_values=True,
                strict_parsing=False,
                max_num_fields=500,
            )
        except (UnicodeDecodeError, ValueError):
            return page(400, ["the answers were not readable text"])
        one = {k: v for k, v in fields.items() if k in OWN_FIELDS}
        if any(len(v) > 1 for v in one.values()) or not one.get("form_id"):
            return page(400, ["the form did not say which form it is"])
        form_id = one["form_id"][0]
        token = one.get("token", [""])[0] or None
        try:
            extra = _about(forms, form_id, one)
            answer = check_answer(
                forms,
                form_id,
                one.get("form_version", [""])[0] or None,
                {k: v for k, v in fields.items() if k not in OWN_FIELDS},
                token=token,
                response_id=_response_id(one.get("sent_id", [""])[0], token),
                submitted=datetime.now(UTC).date().isoformat(),
                extra=extra,
            )
        except Refused as refused:
            known = refused.status != 404
            return page(refused.status, refused.reasons, form_id if known else None)
        try:
            conn = connection()
            with writing, store.transaction(conn):
                store.add(conn, answer, "receiver")
        except sqlite3.Error as exc:  # locked, disk full, read-only: nothing was kept
            log.warning(
                "an answer could not be saved (%s); the sender was told", type(exc).__name__
            )
            local.conn = None
            return page(503, (), form_id)
        location = f"{base}f/{form_id}/thanks/"
        asked = forms.by_id(form_id).questions_in(answer.form_version)
        if token is None and asks_for_iro(asked, answer.answers):
            location += "asked/"  # no review to join it to: how to reach the IRO team
        start_response(STATUS[303], [*HEADERS, ("Location", location), ("Content-Length", "0")])
        return [b""]

    def guarded(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        try:
            return app(environ, start_response)
        except Exception as exc:  # never a traceback to a child
            log.error("receiver error: %s", type(exc).__name__)
            body = refusal_page(500, None, (), "/", None)
            start_response(STATUS[500], [*HEADERS, ("Content-Length", str(len(body)))])
            return [body]

    return guarded


def _close(local: threading.local) -> None:
    """Drop this thread's connection after a failed write: the next answer opens afresh."""
    conn = getattr(local, "conn", None)
    local.conn = None
    if conn is not None:
        with suppress(sqlite3.Error):
            conn.close()


def _about(forms: Forms, form_id: str, one: dict[str, list[str]]) -> dict[str, str]:
    """A CiCC comment says which form (and version) it is about; no other form may."""
    about: dict[str, str] = {k: one[k][0] for k in ("about_form", "about_version") if k in one}
    if not about:
        return {}
    form = forms.by_id(form_id) if form_id in {f.id for f in forms.forms} else None
    if form is None or form.purpose != "cicc-comment":
        raise Refused(["only the Children in Care Council's form says which form it is about"])
    target = about.get("about_form", "")
    if target not in {f.id for f in forms.forms} or not about.get("about_version", "1").isdigit():
        raise Refused([f'there is no form called "{target}" to comment on'])
    return about


def refusal_page(
    status: int,
    council: Council | None,
    reasons: Iterable[str],
    base: str,
    form_id: str | None,
) -> bytes:
    title, what, todo = WORDS[status]
    noticed = "".join(f"<li>{escape(r)}</li>" for r in reasons)
    back = (
        f'<p><a href="{escape(base)}f/{escape(form_id)}/">Go back to the form</a></p>'
        if form_id
        else ""
    )
    other = escape(council.other_ways) if council else ""
    html = f"""<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title></head>
<body>
<main>
<h1>{escape(title)}</h1>
<p>{escape(what)}</p>
{f"<p>What we noticed:</p><ul>{noticed}</ul>" if noticed else ""}
<p>{escape(todo)}</p>
{back}
<h2>Other ways to answer</h2>
<p>{other or "You can also tell your Independent Reviewing Officer."}</p>
</main>
</body>
</html>
"""
    return html.encode("utf-8")


def mount(prefix: str, receiver: WSGIApp, site: WSGIApp) -> WSGIApp:
    """The receiver under `prefix` (e.g. "/answers/"), everything else to `site`: one origin
    for the site and its forms, as the preview serves them."""
    stem = "/" + prefix.strip("/")

    def app(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", "/"))
        if path == stem or path.startswith(stem + "/"):
            inner = dict(environ)
            inner["SCRIPT_NAME"] = str(environ.get("SCRIPT_NAME", "")) + stem
            inner["PATH_INFO"] = path[len(stem) :] or "/"
            return receiver(inner, start_response)
        return site(environ, start_response)

    return app


def export_jsonl(root: Path, target: Path) -> int:
    """Every answer the receiver took, as JSON Lines that `yourreview import` reads back."""
    conn = store.connect(store.store_path(root))
    try:
        rows = [r for r in store.answers(conn) if r.source == "receiver"]
    finally:
        conn.close()
    lines = []
    for row in rows:
        answers = json.loads(row.answers)
        extra = answers.pop("_extra", {})
        line = {
            "form_id": row.form_id,
            "form_version": row.form_version,
            "response_id": row.response_key.removeprefix("id:")
            if row.response_key.startswith("id:")
            else None,
            "token": row.token,
            "submitted": row.submitted,
            "answers": answers,
            **extra,
        }
        lines.append(
            json.dumps({k: v for k, v in line.items() if v is not None}, ensure_ascii=False)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temp.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    os.replace(temp, target)
    return len(lines)


def serve(paths: Paths, host: str, port: int, rate_limit: int, behind_proxy: bool) -> int:
    """Run the receiver under Waitress until stopped (Ctrl+C, or systemd)."""
    import waitress

    app = make_app(paths, rate_limit=rate_limit)
    proxy: dict[str, Any] = {}
    if behind_proxy:
        # Only so the rate limit sees each sender rather than nginx; nothing is logged or kept.
        proxy = {
            "trusted_proxy": "127.0.0.1",
            "trusted_proxy_headers": {"x-forwarded-for"},
            "clear_untrusted_proxy_headers": True,
        }
    # Ctrl+C and systemd's stop (SIGTERM) both end the loop the same way, after the answers
    # being written are committed; set here, because a receiver started in the background by a
    # script inherits SIGINT ignored, and Python then never raises KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop)
    print(f"Receiving answers at http://{host}:{port}/ (Ctrl+C to stop).", flush=True)
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=8,
        ident="",
        max_request_body_size=MAX_BODY * 4,
        **proxy,
    )
    return 0


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
