"""`yourreview report --year 2025-26`: the annual report's tables, from the same suppressed
figures as the public pages (figurepages.year_figures and feedback.published.year_tables), as
Markdown, CSV or an Excel workbook.

`--exact` hides nothing, for the council's own use: every format says so on every table, so a
copy cannot pass for the public figures. Text that reaches a spreadsheet never starts with
= + - @ (a spreadsheet would run it as a formula).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .feedback.answerfigures import AnswerRow
from .feedback.figures import Figures, ReportingYear
from .feedback.published import Table, year_tables
from .figurepages import year_answer_tables, year_figures
from .project import Project

FORMATS = ("md", "csv", "xlsx")
EXACT_NOTE = (
    "EXACT FIGURES, for the council's own use only: small numbers are NOT hidden. "
    "Do not publish or share this file."
)


@dataclass(frozen=True)
class Report:
    council: str
    figures: Figures
    tables: list[Table]
    symbol: str
    as_of: date

    @property
    def title(self) -> str:
        return f"{self.council}: reviews of children in care, {self.figures.year.words}"

    @property
    def notes(self) -> list[str]:
        year = self.figures.year
        notes = [EXACT_NOTE] if self.figures.exact else []
        if self.as_of <= year.last_day:
            notes.append(
                f"The year has not ended (it ends on 31 March {year.start + 1}): "
                "these figures will change."
            )
        if not self.figures.exact:
            notes.append(
                f"{self.symbol} marks a hidden figure: every count from 1 to "
                f"{self.figures.threshold}, and any count that would let one be worked out. "
                "The same figures as the public site."
            )
        return notes


def make_report(
    project: Project,
    year: ReportingYear,
    exact: bool,
    as_of: date,
    answers: Sequence[AnswerRow] = (),
) -> Report:
    """The year's tables, then (given the answers store's answers) the answers' tables."""
    figures = year_figures(project, year, exact)
    symbol = project.figure_settings.symbol
    tables = year_tables(figures, symbol) + year_answer_tables(project, year, answers, exact)
    return Report(project.council.service, figures, tables, symbol, as_of)


def to_markdown(report: Report) -> str:
    lines = [f"# {_md(report.title)}", ""]
    lines += [f"> {_md(note)}" for note in report.notes]
    for table in report.tables:
        lines += ["", f"## {_md(table.title)}", ""]
        if report.figures.exact:
            lines += ["**Exact figures: not for publication.**", ""]
        lines.append("| " + " | ".join(_md(h) for h in ("", *table.columns)) + " |")
        lines.append("|---" + "|---:" * len(table.columns) + "|")
        for row in table.rows:
            cells = [_md(_label(table, row.key, row.label)), *(c.text for c in row.cells)]
            lines.append("| " + " | ".join(cells) + " |")
        if table.note:
            lines += ["", _md(table.note)]
    return "\n".join(lines) + "\n"


def _label(table: Table, key: str, label: str) -> str:
    """Managers read the PN codes: the report names them beside the child's words."""
    return f"{key}: {label}" if table.id == "took-part" and key.startswith("PN") else label


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


COLUMNS = ("figures", "year", "table", "row", "column", "value")


def rows(report: Report) -> list[list[str]]:
    """One line per published figure: easy to filter, and each line says if it is exact."""
    kind = "exact (not for publication)" if report.figures.exact else "published"
    out = []
    for table in report.tables:
        for row in table.rows:
            for column, shown in zip(table.columns, row.cells, strict=True):
                label = _label(table, row.key, row.label)
                out.append(
                    [kind, report.figures.year.label, table.title, label, column, shown.text]
                )
    return out


def to_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in rows(report):
        writer.writerow([spreadsheet_safe(v) for v in line])
    return buffer.getvalue()


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ (or tab, carriage return) would make
    it a formula, so it gets a leading apostrophe, as Excel's own escaping does."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook  # only this format needs it

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = report.figures.year.label
    sheet.append([spreadsheet_safe(report.title)])
    for note in report.notes:
        sheet.append([spreadsheet_safe(note)])
    for table in report.tables:
        sheet.append([])
        sheet.append([spreadsheet_safe(table.title)])
        sheet.append(["", *(spreadsheet_safe(c) for c in table.columns)])
        for row in table.rows:
            values: list[str | int] = [spreadsheet_safe(_label(table, row.key, row.label))]
            # Counts as numbers (a council adds them up); hidden figures and percentages as
            # the text the pages show.
            values += [
                c.value if c.value is not None and not c.percent else spreadsheet_safe(c.text)
                for c in row.cells
            ]
            sheet.append(values)
        if report.figures.exact:
            sheet.append([EXACT_NOTE])
    figures = book.create_sheet("figures")
    figures.append(list(COLUMNS))
    for line in rows(report):
        figures.append([spreadsheet_safe(v) for v in line])
    book.properties.title = report.title
    book.properties.creator = report.council
    book.save(path)
