"""One year's figures as tables, exactly as they are published: the public pages, the easy-read
summary and `yourreview report` all show these tables and nothing else, so one figure is one
cell everywhere and a hidden one reads the same everywhere (the symbol)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..records import PN_CODES
from .figures import (
    CHILDREN,
    HELD,
    LETTERS,
    PERIODS,
    PN_WORDS,
    QUARTERS,
    REVIEWS,
    YEAR,
    Figures,
    cell,
)


@dataclass(frozen=True)
class Shown:
    """A published figure: `value` is None when it is hidden, and `text` is then the symbol."""

    value: int | None
    text: str
    percent: bool = False


@dataclass(frozen=True)
class Row:
    key: str  # what the row counts, e.g. "PN1" or "held on time"
    label: str
    cells: tuple[Shown, ...]


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    columns: tuple[str, ...]  # the header of each column after the row's label
    rows: tuple[Row, ...]
    note: str = ""


class Publisher:
    """Turns one suppressed year into shown figures: the one place a hidden cell is written."""

    def __init__(self, figures: Figures, symbol: str) -> None:
        self.figures = figures
        self.symbol = symbol

    def count(self, cell_id: str) -> Shown:
        value = self.figures.shown(cell_id)
        return Shown(value, self.symbol if value is None else str(value))

    def percent(self, part: str, base: Iterable[str]) -> Shown:
        value = self.figures.percent(part, base)
        return Shown(value, self.symbol if value is None else f"{value}%", percent=True)


def year_tables(figures: Figures, symbol: str) -> list[Table]:
    """The year's tables, in the order the annual report gives them."""
    out = Publisher(figures, symbol)
    year = figures.year
    quarter_names = tuple(year.quarter_words(q) for q in QUARTERS)
    columns = (*quarter_names, "The whole year")

    def by_period(key: str, label: str) -> Row:
        return Row(key, label, tuple(out.count(cell(key, p)) for p in PERIODS))

    def percent_row(key: str, label: str, part: str, base: tuple[str, ...]) -> Row:
        cells = tuple(out.percent(cell(part, p), [cell(b, p) for b in base]) for p in PERIODS)
        return Row(key, label, cells)

    reviews = Table(
        "reviews",
        "Reviews held on time",
        columns,
        (
            by_period(REVIEWS, "Reviews held"),
            by_period("held on time", "Held on time"),
            by_period("held late", "Held late"),
            by_period("held not known", "We could not check"),
            percent_row(
                "percent held on time",
                "Held on time, out of the reviews we could check",
                "held on time",
                ("held on time", "held late"),
            ),
        ),
        note="On time: a first review within 20 working days of coming into care, a second "
        "within 3 months, and every one after that within 6 months. We cannot check a review "
        "when the review before it is not in our records.",
    )
    letters = Table(
        "letters",
        "Letters sent within 20 working days",
        columns,
        (
            by_period("letter on time", "Sent within 20 working days"),
            by_period("letter late", "Sent later"),
            by_period("letter not recorded", "No date sent written down"),
            percent_row(
                "percent letters on time",
                "Sent within 20 working days, out of all reviews",
                "letter on time",
                LETTERS,
            ),
        ),
        note="After each review the Independent Reviewing Officer writes a letter to the child "
        "about it. It should be sent within 20 working days.",
    )
    took_part = Table(
        "took-part",
        "How children took part in their reviews",
        ("Reviews", "Out of all reviews"),
        (
            *(
                Row(
                    code,
                    f"Children who {PN_WORDS[code]}",
                    (
                        out.count(cell(code, YEAR)),
                        out.percent(cell(code, YEAR), [cell(REVIEWS, YEAR)]),
                    ),
                )
                for code in PN_CODES
            ),
            Row(
                REVIEWS,
                "All reviews",
                (out.count(cell(REVIEWS, YEAR)), Shown(100, "100%", percent=True)),
            ),
        ),
    )
    summary = Table(
        "summary",
        "Reviews and children",
        ("The whole year",),
        (
            Row(REVIEWS, "Reviews held", (out.count(cell(REVIEWS, YEAR)),)),
            Row(CHILDREN, "Children who had a review", (out.count(cell(CHILDREN, YEAR)),)),
        ),
        note="A child who had two reviews in the year is one child.",
    )
    return [summary, reviews, letters, took_part]


def headline(figures: Figures, symbol: str) -> dict[str, Shown]:
    """The year's few big numbers for the summaries: cells of the same tables."""
    out = Publisher(figures, symbol)
    return {
        "reviews": out.count(cell(REVIEWS, YEAR)),
        "children": out.count(cell(CHILDREN, YEAR)),
        "held on time": out.count(cell("held on time", YEAR)),
        "percent held on time": out.percent(
            cell("held on time", YEAR), [cell(h, YEAR) for h in HELD[:2]]
        ),
        "letter on time": out.count(cell("letter on time", YEAR)),
        "percent letters on time": out.percent(
            cell("letter on time", YEAR), [cell(h, YEAR) for h in LETTERS]
        ),
    }
