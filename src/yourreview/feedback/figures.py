"""The figures from the review records: by reporting year (April to March) and quarter, never
finer, with every small number hidden (suppression.py).

One reporting year is one system of counts tied by sums: the quarters make the year, the ways a
review was held (on time, late, not known) make the reviews held, and so do the letters and the
eight ways children took part (PN0-PN7). All of it is suppressed together, once, and every page
and the annual report show cells of that one suppressed set: a figure hidden on one page cannot
be worked out from another, because no page shows a cell the set does not publish.

Only whole years are published. A year still under way changes with every build, and the
difference between two builds would give away the reviews added in between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, TypeVar

from ..cache import NO_CACHE, Cache
from ..clock import (
    MONTH_NAMES,
    ClockRules,
    WorkingCalendar,
    first_review_due,
    minutes_due,
    review_due_after,
)
from ..records import PN_CODES, Minutes, Record
from .suppression import Sum, disclosed, primary, remembered, suppress

T = TypeVar("T")
QUARTERS: Final = ("Q1", "Q2", "Q3", "Q4")
YEAR: Final = "year"
PERIODS: Final = (*QUARTERS, YEAR)
REVIEWS: Final = "reviews"
CHILDREN: Final = "children"
HELD: Final = ("held on time", "held late", "held not known")
LETTERS: Final = ("letter on time", "letter late", "letter not recorded")

# Each way of taking part in a child's words, as the pages and the report say it.
PN_WORDS: Final = {
    "PN0": "were under 4 years old",
    "PN1": "came and spoke for themselves",
    "PN2": "came, and someone else spoke for them",
    "PN3": "came and showed what they think without words",
    "PN4": "came but did not share what they think",
    "PN5": "did not come, and asked someone to speak for them",
    "PN6": "did not come, and sent what they think another way, like a form or a message",
    "PN7": "did not come, and did not share what they think",
}


@dataclass(frozen=True, order=True)
class ReportingYear:
    """April to March: `start` 2025 is "2025-26", 1 April 2025 to 31 March 2026."""

    start: int

    @classmethod
    def parse(cls, text: str) -> ReportingYear:
        """ "2025-26" (or "2025-2026"); ValueError saying what to write otherwise."""
        first, sep, second = text.strip().partition("-")
        if sep and first.isdigit() and len(first) == 4 and second.isdigit():
            year = cls(int(first))
            if second in (f"{(year.start + 1) % 100:02d}", str(year.start + 1)):
                return year
        raise ValueError(f'"{text}" is not a reporting year; write it like 2025-26')

    @classmethod
    def of(cls, day: date) -> ReportingYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def words(self) -> str:
        return f"April {self.start} to March {self.start + 1}"

    @property
    def first_day(self) -> date:
        return date(self.start, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start + 1, 3, 31)

    def quarter(self, day: date) -> str:
        """Q1 is April to June."""
        return QUARTERS[((day.month - 4) % 12) // 3]

    def quarter_words(self, quarter: str) -> str:
        """ "April to June 2025" """
        first = 4 + 3 * QUARTERS.index(quarter)
        year = self.start + (first > 12)
        start, end = MONTH_NAMES[(first - 1) % 12], MONTH_NAMES[(first + 1) % 12]
        return f"{start} to {end} {year}"


@dataclass(frozen=True)
class ReviewFacts:
    """One review as the figures see it: the quarter, never the date; the child's id only to
    count children once."""

    quarter: str
    child_id: str
    took_part: str
    held: str  # one of HELD
    letter: str  # one of LETTERS


def review_facts(
    minutes: Minutes, year: ReportingYear, rules: ClockRules, calendar: WorkingCalendar
) -> list[ReviewFacts]:
    """Every review held in `year`, timed by the review clock as `yourreview deadlines` times
    it: the first review within 20 working days of coming into care, the next one against the
    limit the child's review before it set. A later review whose earlier one is not in
    `minutes/` cannot be timed, so it counts as "not known", never as on time."""
    found = []
    clock = _Clock(rules, calendar)
    for record in minutes.records:
        if not year.first_day <= record.review_date <= year.last_day:
            continue
        found.append(
            ReviewFacts(
                quarter=year.quarter(record.review_date),
                child_id=record.child_id,
                took_part=record.took_part,
                held=_held(record, minutes, clock),
                letter=_letter(record, clock),
            )
        )
    return found


class _Clock:
    """The review clock's limits, each worked out once for the same arguments: thousands of
    reviews share a few hundred days, and counting working days is the slow part."""

    def __init__(self, rules: ClockRules, calendar: WorkingCalendar) -> None:
        self.rules, self.calendar = rules, calendar
        self.known: dict[tuple[object, ...], object] = {}

    def due(self, limit: Callable[..., T], *args: object) -> T:
        """`limit(*args, rules, calendar)`, from memory after the first time."""
        key = (limit, *args)
        if key not in self.known:
            self.known[key] = limit(*args, self.rules, self.calendar)
        return self.known[key]  # type: ignore[return-value]  # stored just above, as a T


def _held(record: Record, minutes: Minutes, clock: _Clock) -> str:
    if record.number == 1:
        due = clock.due(first_review_due, record.in_care_since)
    else:
        before = minutes.previous(record)
        if before is None:
            return "held not known"
        # Only whether it was the first review changes the limit (review_due_after).
        due = clock.due(review_due_after, min(before.number, 2), before.review_date)
    return "held on time" if record.review_date <= due else "held late"


def _letter(record: Record, clock: _Clock) -> str:
    if record.minutes_sent is None:
        return "letter not recorded"
    sent_by = clock.due(minutes_due, record.review_date).sent_by
    return "letter on time" if record.minutes_sent <= sent_by else "letter late"


def cell(row: str, period: str) -> str:
    return f"{row}|{period}"


def year_system(facts: Iterable[ReviewFacts]) -> tuple[dict[str, int], list[list[Sum]]]:
    """Every count of one year, and every sum a reader could use to work one out, in linked
    tables: how reviews were timed, how letters were timed, how children took part. The
    tables share the reviews held, so they are suppressed as one system (`suppress_year`)."""
    facts = list(facts)
    values: dict[str, int] = {}
    for row in (REVIEWS, *HELD, *LETTERS):
        for quarter in QUARTERS:
            values[cell(row, quarter)] = sum(
                1 for f in facts if f.quarter == quarter and row in (REVIEWS, f.held, f.letter)
            )
        values[cell(row, YEAR)] = sum(values[cell(row, q)] for q in QUARTERS)
    for code in PN_CODES:
        values[cell(code, YEAR)] = sum(1 for f in facts if f.took_part == code)
    # Children are not a sum of anything: a child reviewed twice is one child.
    values[cell(CHILDREN, YEAR)] = len({f.child_id for f in facts})
    tables = []
    for parts in (HELD, LETTERS):
        sums = [
            Sum(cell(row, YEAR), tuple(cell(row, q) for q in QUARTERS)) for row in (REVIEWS, *parts)
        ]
        sums += [Sum(cell(REVIEWS, p), tuple(cell(r, p) for r in parts)) for p in PERIODS]
        tables.append(sums)
    tables.append([Sum(cell(REVIEWS, YEAR), tuple(cell(code, YEAR) for code in PN_CODES))])
    return values, tables


# The same counts give the same cells to hide: a build, `mkdocs serve` and the tests ask again
# and again about years whose records have not changed, and the search is the slow part.
_SUPPRESSED: dict[tuple[object, ...], frozenset[str]] = {}


def suppress_year(
    values: Mapping[str, int], tables: list[list[Sum]], threshold: int, store: Cache = NO_CACHE
) -> frozenset[str]:
    """The cells to hide in a year's tables; `store` keeps them between builds."""
    key = (tuple(sorted(values.items())), tuple(tuple(t) for t in tables), threshold)
    if key not in _SUPPRESSED:
        _SUPPRESSED[key] = remembered(
            store, key, lambda: _suppress_linked(values, tables, threshold)
        )
    return _SUPPRESSED[key]


def _suppress_linked(
    values: Mapping[str, int], tables: list[list[Sum]], threshold: int
) -> frozenset[str]:
    """Suppress linked tables: each table on its own (small, so fast), carrying every cell
    hidden in one table into the others that share it, until nothing changes. Tables solved
    one at a time can still, together, give a cell away, so the whole system is then audited
    exactly, and suppressed as one if the audit finds anything."""
    hidden = set(primary(values, threshold))
    while True:
        before = set(hidden)
        for sums in tables:
            cells = {c for s in sums for c in (s.total, *s.parts)}
            table = {c: values[c] for c in cells}
            hidden |= suppress(table, sums, threshold, hidden & cells)
        if hidden == before:
            break
    every_sum = [s for sums in tables for s in sums]
    if disclosed(values, every_sum, hidden, threshold):
        hidden |= suppress(values, every_sum, threshold, hidden)
    return frozenset(hidden)


@dataclass(frozen=True)
class Figures:
    """One year's counts and the cells to hide. `exact` figures hide nothing (the council's
    own use, never the public site)."""

    year: ReportingYear
    values: Mapping[str, int]
    hidden: frozenset[str]
    threshold: int
    exact: bool = False

    def shown(self, cell_id: str) -> int | None:
        """The count as published, or None when it is hidden."""
        return None if cell_id in self.hidden else self.values[cell_id]

    def percent(self, part: str, base: Iterable[str]) -> int | None:
        """A whole-number percentage, only when the part and every cell of its base are shown
        and the base is at least the threshold (a percentage of a hidden count would give the
        count away; a percentage of a small base singles children out)."""
        base = list(base)
        if any(c in self.hidden for c in (part, *base)):
            return None
        total = sum(self.values[c] for c in base)
        if total == 0 or (total < self.threshold and not self.exact):
            return None
        # Half up, as people round: 62.5% is 63%, never banker's 62%.
        return (200 * self.values[part] + total) // (2 * total)


def year_figures(
    minutes: Minutes,
    year: ReportingYear,
    rules: ClockRules,
    calendar: WorkingCalendar,
    threshold: int,
    exact: bool = False,
    store: Cache = NO_CACHE,
) -> Figures:
    values, tables = year_system(review_facts(minutes, year, rules, calendar))
    hidden = frozenset() if exact else suppress_year(values, tables, threshold, store)
    return Figures(year, values, hidden, threshold, exact)


def published_years(minutes: Minutes, as_of: date) -> list[ReportingYear]:
    """Reporting years with reviews that have ended by `as_of`, newest first."""
    years = {ReportingYear.of(r.review_date) for r in minutes.records}
    return sorted((y for y in years if y.last_day < as_of), reverse=True)
