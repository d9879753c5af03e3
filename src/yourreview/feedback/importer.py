"""`yourreview import`: exports and typed-in paper forms into the store, nothing lost or twice.

For every run: each raw file is copied once into feedback/raw/<sha256> (never changed); every
row becomes new, had (already in the store), a conflict (same response id, other answers: both
kept, the older counted) or set aside (feedback/set-aside/<sha256>.txt with file, line and
reason). `read = new + had + conflicts + set_aside` is checked, and the store's own row count
must agree, before the one transaction of the run commits.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, YourReviewError, display_path
from ..forms import Forms
from . import store
from .answers import Answer
from .rows import Row, problem, read_rows

FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl"}
FORMATS |= {".ndjson": "jsonl", ".yml": "paper", ".yaml": "paper"}


@dataclass
class Tally:
    read: int = 0
    new: int = 0
    had: int = 0
    conflicts: int = 0
    set_aside: int = 0

    def add(self, other: Tally) -> None:
        for name in ("read", "new", "had", "conflicts", "set_aside"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def balanced(self) -> bool:
        return self.read == self.new + self.had + self.conflicts + self.set_aside

    def line(self) -> str:
        return (
            f"rows read {self.read} = new {self.new} + already had {self.had} + "
            f"conflicts {self.conflicts} + set aside {self.set_aside}"
        )


@dataclass
class FileResult:
    name: str
    sha256: str
    format: str
    tally: Tally
    set_aside: list[tuple[int, str]] = field(default_factory=list)
    seen_before: bool = False


@dataclass
class Result:
    files: list[FileResult]
    total: Tally
    problems: list[Problem]

    def as_dict(self) -> dict[str, object]:
        t = self.total
        return {
            "read": t.read,
            "new": t.new,
            "had": t.had,
            "conflicts": t.conflicts,
            "set_aside": t.set_aside,
            "files": [
                {"file": f.name, "sha256": f.sha256, "format": f.format, **vars(f.tally)}
                for f in self.files
            ],
            "problems": [p.as_dict() for p in self.problems],
        }


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the files in it we can read (paper forms)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in FORMATS)
        else:
            found.append(path)
    return found


def run_import(
    root: Path,
    forms: Forms,
    paths: Sequence[Path],
    form_id: str | None = None,
    encoding: str | None = None,
) -> Result:
    """Import every file in one transaction; files that cannot be mapped import nothing."""
    problems: list[Problem] = []
    parsed: list[tuple[Path, FileResult, list[Row]]] = []
    for path in expand(paths):
        name = display_path(path, root)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(problem(name, 0, f"cannot be read ({exc.strerror})", "check the path"))
            continue
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            problems.append(
                problem(
                    name, 0, "is not a kind of file we import", "give .xlsx, .csv, .jsonl, .yml"
                )
            )
            continue
        try:
            rows = read_rows(fmt, path, data, name, forms, form_id, encoding, problems)
        except YourReviewError as exc:
            problems += exc.problems
            continue
        sha = hashlib.sha256(data).hexdigest()
        parsed.append((path, FileResult(name, sha, fmt, Tally()), rows))
    conn = store.connect(store.store_path(root))
    try:
        with store.transaction(conn):
            before = store.count(conn)
            total = Tally()
            for path, result, rows in parsed:
                _keep_raw(root, path, result.sha256)
                _import_rows(conn, result, rows)
                _write_set_aside(root, result)
                total.add(result.tally)
            added = store.count(conn) - before
            if not total.balanced or added != total.new + total.conflicts:
                raise RuntimeError(  # a bug, never a user's mistake: nothing is committed
                    f"the count does not add up ({total.line()}; {added} rows added)"
                )
    finally:
        conn.close()
    return Result([r for _, r, _ in parsed], total, problems)


def _import_rows(conn: sqlite3.Connection, result: FileResult, rows: list[Row]) -> None:
    seen = conn.execute("SELECT 1 FROM imports WHERE sha256 = ?", (result.sha256,)).fetchone()
    result.seen_before = seen is not None
    t = result.tally
    answers: list[tuple[Answer, int]] = []
    for line, row in rows:
        t.read += 1
        if isinstance(row, str):
            t.set_aside += 1
            result.set_aside.append((line, row))
            conn.execute(
                "INSERT OR IGNORE INTO set_aside (sha256, file, line, reason) VALUES (?, ?, ?, ?)",
                (result.sha256, result.name, line, row),
            )
        else:
            answers.append((row, line))
    now = store.now()  # one moment for the whole file
    outcomes = store.add_many(conn, answers, result.sha256, now)
    t.new += outcomes.count("new")
    t.had += outcomes.count("had")
    t.conflicts += outcomes.count("conflict")
    counts = (t.read, t.new, t.had, t.conflicts, t.set_aside)
    conn.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE"
        " SET last_imported = excluded.last_imported",
        (result.sha256, result.name, result.format, now, now, *counts),
    )


def atomic_write(target: Path, data: bytes, check: Callable[[], None] | None = None) -> None:
    """Write to a temporary name, then rename: a file is whole or absent, never half. `check`
    runs just before the rename; if it raises, the file is left as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        if check is not None:
            check()
    except BaseException:
        temp.unlink()
        raise
    os.replace(temp, target)


def _keep_raw(root: Path, path: Path, sha: str) -> None:
    target = root / "feedback" / "raw" / f"{sha}{path.suffix.lower()}"
    if not target.exists():  # the same bytes are kept once, whatever the file was called
        atomic_write(target, path.read_bytes())


def _write_set_aside(root: Path, result: FileResult) -> None:
    if not result.set_aside:
        return
    lines = [f"# Rows of {result.name} (sha256 {result.sha256}) that could not be read."]
    lines += [f"{result.name}:{line}: {reason}" for line, reason in result.set_aside]
    target = root / "feedback" / "set-aside" / f"{result.sha256}.txt"
    atomic_write(target, ("\n".join(lines) + "\n").encode("utf-8"))
