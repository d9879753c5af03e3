"""Exports as councils really get them, made in tests: Microsoft Forms .xlsx, Excel CSV."""

from __future__ import annotations

import csv
import io
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import waitress

from yourreview.feedback.store import Stored, answers, connect, store_path
from yourreview.forms import Forms, load_forms

ROOT = Path(__file__).resolve().parents[1]
MS_COLUMNS = ["ID", "Start time", "Completion time", "Email", "Name"]
# after-review's questions, by their words, as Microsoft Forms heads its columns
AFTER = [
    "How was your review?",
    "Did your IRO listen to you?",
    "Did you get to say what you wanted?",
    "Do you understand what will happen next?",
    "What could we do better next time?",
    "Can we share what you wrote, without your name?",
]


def example_forms() -> Forms:
    return load_forms(ROOT / "site_config" / "questions.yml")


def ms_row(n: int, better: str = "More time to talk", rating: str = "4") -> list[str]:
    return [
        str(n),
        "2025-06-03 10:00:00",
        "2025-06-03 10:02:10",
        "anonymous",
        "",
        rating,
        "5",
        "Yes",
        "No",
        better,
        "No",
    ]


def csv_bytes(
    rows: Sequence[Sequence[str]],
    header: Sequence[str] = (*MS_COLUMNS, *AFTER),
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    with warnings.catch_warnings():
        # openpyxl's writer opens a temporary file without naming an encoding: not ours to fix.
        warnings.simplefilter("ignore", EncodingWarning)
        book.save(path)
    return path


def stored(root: Path) -> list[Stored]:
    """Every answer in the store under `root`."""
    conn = connect(store_path(root))
    try:
        return answers(conn)
    finally:
        conn.close()


@contextmanager
def serving(app: Any, threads: int = 4) -> Iterator[int]:
    """A WSGI app under a real Waitress server on 127.0.0.1 (a free port); yields the port.
    Waitress's loop runs a step at a time so that the thread running it also stops it
    (closing its sockets from another thread races the loop)."""
    server: Any = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        server.asyncore.close_all(server._map)

    thread = threading.Thread(target=run, name="waitress", daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)
    finally:
        stop.set()
        thread.join(timeout=10)
