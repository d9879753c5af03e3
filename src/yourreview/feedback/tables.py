"""Spreadsheet exports as header + rows of text: CSV (any encoding a council meets) and .xlsx.

Nothing is guessed silently. A CSV that is not UTF-8 is refused with the encoding it most likely
is and the `--encoding` to give, never decoded into mojibake. Every cell stays text; an .xlsx
formula stays the text of the formula, never evaluated.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from ..errors import Problem, YourReviewError

# A cell far longer than any answer is set aside as too long by the answer check, with its line;
# csv's own limit (131,072) would instead stop reading the whole file at that row.
CELL_LIMIT = 50_000_000


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line or row number, cells)
    encoding: str = "utf-8"


def _refuse(name: str, line: int, message: str, suggestion: str) -> YourReviewError:
    return YourReviewError([Problem(name, line, 0, "", message, suggestion, kind="import")])


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). UTF-8 with or without BOM and UTF-16 with BOM are recognised."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise _refuse(
                name, 0, f'"{encoding}" is not an encoding we know', "try cp1252 or utf-16"
            ) from None
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _refuse(
                name, line, f"is not {encoding} (byte 0x{data[exc.start]:02x})", "check --encoding"
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        likely = likely_encoding(data)
        raise _refuse(
            name,
            line,
            f"is not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); "
            f"it looks like {likely[1]}",
            f"import it with `--encoding {likely[0]}`, or save it from Excel as "
            '"CSV UTF-8 (Comma delimited)"',
        ) from None


def likely_encoding(data: bytes) -> tuple[str, str]:
    """(codec, what people call it) for bytes that are not UTF-8."""
    if len(data) > 3 and data[1::2].count(0) > len(data) // 4:
        return "utf-16-le", "UTF-16 without its byte-order mark"
    if len(data) > 3 and data[0::2].count(0) > len(data) // 4:
        return "utf-16-be", "UTF-16 without its byte-order mark"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", "Latin-1 (ISO 8859-1)"
    return "cp1252", 'Windows-1252, what Excel\'s plain "CSV" save writes'


@contextmanager
def _cell_limit() -> Iterator[None]:
    old = csv.field_size_limit(CELL_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def read_csv(data: bytes, name: str, encoding: str | None = None) -> Sheet:
    text, used = decode(data, name, encoding)
    first = text.split("\n", 1)[0]
    # Excel's "Unicode text" is tab-separated; some European Excel settings use ';'.
    delimiter = max((",", "\t", ";"), key=first.count)
    rows: list[tuple[int, list[str]]] = []
    with _cell_limit():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    rows.append((start, cells))
                start = reader.line_num + 1
        except csv.Error as exc:
            raise _refuse(
                name, start, f"cannot be read as CSV ({exc})", "open it in Excel and save again"
            ) from None
    if not rows:
        raise _refuse(name, 0, "has no rows", "export the responses again")
    headers = rows[0][1]
    return Sheet(headers, rows[1:], used)


def read_xlsx(path: Path, name: str) -> Sheet:
    from openpyxl import load_workbook  # only imports need it

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _refuse(
            name, 0, f"cannot be read as .xlsx ({type(exc).__name__})", "download the export again"
        ) from None
    try:
        sheet = book.worksheets[0]
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if any(c.strip() for c in cells):
                rows.append((number, cells))
    finally:
        book.close()
    if not rows:
        raise _refuse(name, 0, "has no rows", "export the responses again")
    return Sheet(rows[0][1], rows[1:], "xlsx")


def _cell_text(value: object) -> str:
    """A cell as the text Excel shows: whole numbers without '.0', dates as ISO text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
