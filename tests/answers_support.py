"""Exports as councils really get them, made in tests: Microsoft Forms .xlsx, Excel CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

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
    book.save(path)
    return path
