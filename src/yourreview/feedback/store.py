"""The answers store: one SQLite file beside mkdocs.yml, in WAL mode, one transaction per write.

Schema (also in the README):

    answers    one row per response kept
      id            INTEGER PRIMARY KEY
      form_id       TEXT     the form's id in questions.yml
      form_version  INTEGER  the version the person answered
      response_key  TEXT     "id:<the source's response id>" or "hash:<sha256 of token+answers>"
      answers_hash  TEXT     sha256 of `answers`
      answers       TEXT     JSON: {question id: "text" | ["option", ...]} (+ "_extra")
      token         TEXT     the review's token, when the answer carried one
      submitted     TEXT     when the person answered, as the source wrote it
      source        TEXT     "receiver", or the sha256 of the raw file it came from
      source_line   INTEGER  the row or line in that file (0 for the receiver)
      received_at   TEXT     when it entered the store (UTC, ISO 8601)
      status        TEXT     "counted", or "conflict": same key, other answers, not counted
      UNIQUE (form_id, response_key, answers_hash)
    imports    one row per raw file imported (sha256, name, format, first/last import, counts)
    set_aside  rows that could not be read: raw file sha256, file, line, reason (UNIQUE per line)

A conflict keeps both rows: the older stays counted until a person resolves it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .answers import Answer

STORE_FILE = "answers.sqlite3"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    form_id TEXT NOT NULL,
    form_version INTEGER NOT NULL,
    response_key TEXT NOT NULL,
    answers_hash TEXT NOT NULL,
    answers TEXT NOT NULL,
    token TEXT,
    submitted TEXT,
    source TEXT NOT NULL,
    source_line INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'counted' CHECK (status IN ('counted', 'conflict')),
    UNIQUE (form_id, response_key, answers_hash)
);
CREATE INDEX IF NOT EXISTS answers_token ON answers (token);
CREATE TABLE IF NOT EXISTS imports (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    first_imported TEXT NOT NULL,
    last_imported TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_new INTEGER NOT NULL,
    rows_had INTEGER NOT NULL,
    rows_conflicts INTEGER NOT NULL,
    rows_set_aside INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS set_aside (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (sha256, line)
);
"""


@dataclass(frozen=True)
class Stored:
    """One answer as the internal pages read it."""

    id: int
    form_id: str
    form_version: int
    answers: str  # JSON
    token: str | None
    submitted: str | None
    source: str
    received_at: str
    status: str
    response_key: str


def store_path(root: Path) -> Path:
    """Where the store lives: beside mkdocs.yml, outside docs/ (never published)."""
    return root / STORE_FILE


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path, busy_seconds: float = 5.0) -> sqlite3.Connection:
    """Open (and if need be create) the store. Transactions are explicit (`transaction`)."""
    conn = sqlite3.connect(path, timeout=busy_seconds, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed answer survives a power cut, not only a crash of this process.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < SCHEMA_VERSION:
        with transaction(conn):
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: all of it or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def add(
    conn: sqlite3.Connection,
    answer: Answer,
    source: str,
    line: int = 0,
    received_at: str | None = None,
) -> str:
    """Add one answer inside the caller's transaction: "new", "had" or "conflict"."""
    return add_many(conn, [(answer, line)], source, received_at)[0]


def add_many(
    conn: sqlite3.Connection,
    items: list[tuple[Answer, int]],
    source: str,
    received_at: str | None = None,
) -> list[str]:
    """Add (answer, line) pairs inside the caller's transaction; for each, "new", "had" or
    "conflict". What the store holds is read once, so a big export costs one query, not one
    a row; a row repeated within the same file is "had" like any other."""
    forms = sorted({a.form_id for a, _ in items})
    known: dict[tuple[str, str], set[str]] = {}
    for form_id in forms:
        rows = conn.execute(
            "SELECT response_key, answers_hash FROM answers WHERE form_id = ?", (form_id,)
        )
        for key, digest in rows:
            known.setdefault((form_id, key), set()).add(digest)
    when = received_at or now()
    outcomes: list[str] = []
    inserts = []
    for answer, line in items:
        key, digest = answer.key(), answer.answers_hash()
        same = known.setdefault((answer.form_id, key), set())
        if digest in same:
            outcomes.append("had")
            continue
        status = "conflict" if same else "counted"
        outcomes.append("conflict" if same else "new")
        same.add(digest)
        inserts.append(
            (
                answer.form_id,
                answer.form_version,
                key,
                digest,
                answer.canonical,
                answer.token,
                answer.submitted,
                source,
                line,
                when,
                status,
            )
        )
    conn.executemany(
        "INSERT INTO answers (form_id, form_version, response_key, answers_hash, answers, token,"
        " submitted, source, source_line, received_at, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        inserts,
    )
    return outcomes


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0])


def answers(conn: sqlite3.Connection) -> list[Stored]:
    rows = conn.execute(
        "SELECT id, form_id, form_version, answers, token, submitted, source, received_at,"
        " status, response_key FROM answers ORDER BY id"
    ).fetchall()
    return [Stored(*row) for row in rows]


def set_aside_rows(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """(file, line, reason) for every row set aside, in file order."""
    rows = conn.execute("SELECT file, line, reason FROM set_aside ORDER BY file, line").fetchall()
    return [(str(f), int(n), str(r)) for f, n, r in rows]
