"""The review clock: England's working days, when reviews and minutes are due, and dates in words.

Statutory guidance counts in working days (weekends and England's bank holidays excluded) and
in calendar months. Bank holidays come from the maintained `holidays` package, which computes
them offline from rules (Easter, substitute days, one-off days such as a coronation); a council
adds its own closure days in `site_config/`. Everything here is pure: dates in, dates out.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from functools import lru_cache
from typing import Final, Literal

import holidays

from .errors import Severity
from .schema import Reader
from .yamlsafe import Node, Scalar

# Our own names rather than strftime's %A/%B, which follow the machine's locale: a build on a
# server set to French must still write "Monday 12 April" in a letter to an English child.
DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_ONE_DAY: Final = timedelta(days=1)


@lru_cache(maxsize=512)
def bank_holidays(year: int) -> frozenset[date]:
    """England's bank holidays in `year`, substitute ("observed") days included."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


@lru_cache(maxsize=1024)
def _weekdays_off(year: int, closures: frozenset[date]) -> frozenset[date]:
    """Monday-to-Friday days in `year` that are not working days (bank holidays, closures)."""
    off = bank_holidays(year) | {d for d in closures if d.year == year}
    return frozenset(d for d in off if d.weekday() < 5)


def _weekdays_to(d: date) -> int:
    """How many Mondays-to-Fridays there are from 1 January of year 1 (a Monday) up to `d`."""
    weeks, extra = divmod(d.toordinal(), 7)
    return 5 * weeks + min(extra, 5)


@dataclass(frozen=True)
class WorkingCalendar:
    """England's working days, less the council's own closure days."""

    closures: frozenset[date] = frozenset()
    # Days off by year, filled as asked: the clock asks about the same few years thousands of
    # times a build, and a dict lookup is several times cheaper than the shared lru_cache's.
    _off: dict[int, frozenset[date]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self._days_off(d.year)

    def _days_off(self, year: int) -> frozenset[date]:
        off = self._off.get(year)
        if off is None:
            off = self._off[year] = _weekdays_off(year, self.closures)
        return off

    def add_working_days(self, start: date, n: int) -> date:
        """The `n`th working day after `start` (`start` itself never counts).

        `n == 0` gives `start` unchanged; a negative `n` gives the `-n`th working day before it.
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        d, left = start, abs(n)
        while left:
            d += step
            if self.is_working_day(d):
                left -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after `start`, up to and including `end`.

        So the day after a Friday review, Saturday, counts 0; the Monday after counts 1, and
        `working_days_between(d, add_working_days(d, n)) == n` for every `n >= 0`. When `end` is
        before `start` the answer is `-working_days_between(end, start)` (negative or 0): how
        many working days late something is, seen from the other side. Equal dates give 0.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = _weekdays_to(end) - _weekdays_to(start)
        for year in range(start.year, end.year + 1):
            count -= sum(1 for d in self._days_off(year) if start < d <= end)
        return count

    def next_working_day_on_or_before(self, d: date) -> date:
        # Statutory limits say "within" 3 or 6 months: the review must happen by then. If the
        # limit lands on a Sunday or a bank holiday, the last day it can actually be held is the
        # working day before; moving it later would schedule a review that is already late.
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d


@dataclass(frozen=True)
class ClockRules:
    """The statutory timescales, which a council may shorten (but should not lengthen)."""

    first_review_working_days: int = 20
    second_review_months: int = 3
    later_review_months: int = 6
    minutes_written_working_days: int = 15
    minutes_sent_working_days: int = 20
    due_soon_working_days: int = 10


_RULE_NAMES: Final = tuple(f.name for f in fields(ClockRules))
# The statutory ones: a council setting a longer time gets a warning, not a refusal.
_STATUTORY: Final = {
    name: getattr(ClockRules(), name) for name in _RULE_NAMES if name != "due_soon_working_days"
}
# Upper bounds only stop a typo (200 months) from producing nonsense dates.
_MAX_WORKING_DAYS: Final = 260  # about a year
_MAX_MONTHS: Final = 12


def read_clock(
    reader: Reader, node: Node | None, field: str = "clock"
) -> tuple[ClockRules, WorkingCalendar]:
    """The council's clock settings (the `clock:` section of `site_config/council.yml`).

    Every key is optional; a missing section gives the statutory defaults. Anything wrong is
    recorded on `reader` and the default is used in its place, so one run reports everything.
    """
    if isinstance(node, Scalar) and node.value is None:
        return ClockRules(), WorkingCalendar()  # `clock:` written with nothing under it yet
    found = reader.fields(node, field, optional=(*_RULE_NAMES, "closures"))
    if not found:
        return ClockRules(), WorkingCalendar()
    values: dict[str, int] = {}
    for name in _RULE_NAMES:
        if name in found:
            number = _read_rule(reader, found[name], _join(field, name), name)
            if number is not None:
                values[name] = number
    rules = ClockRules(**values)
    if rules.minutes_written_working_days > rules.minutes_sent_working_days:
        name = "minutes_written_working_days"
        reader.error(
            found.get(name, found.get("minutes_sent_working_days")),
            _join(field, name),
            f"is {rules.minutes_written_working_days}, more than minutes_sent_working_days "
            f"({rules.minutes_sent_working_days}): minutes cannot be sent before they are written",
            "make minutes_written_working_days the smaller number (the defaults are 15 and 20)",
        )
    closures: set[date] = set()
    for path, item in reader.items(found.get("closures"), _join(field, "closures")):
        day = reader.date(item, path)
        if day is None:
            continue
        if day.weekday() >= 5:
            reader.error(
                item,
                path,
                f"{day.isoformat()} is a {DAY_NAMES[day.weekday()]}, never a working day anyway",
                "check the year; closures are weekdays when the council's offices are shut",
                Severity.WARNING,
            )
        closures.add(day)
    return rules, WorkingCalendar(frozenset(closures))


def _read_rule(reader: Reader, node: Node, path: str, name: str) -> int | None:
    default = getattr(ClockRules(), name)
    if isinstance(node, Scalar) and node.value is None:
        reader.error(
            node, path, "is empty", f"write a number such as {default}, or delete the line"
        )
        return None
    number = reader.integer(node, path, minimum=1)
    if number is None:
        return None
    unit = "months" if name.endswith("_months") else "working days"
    limit = _MAX_MONTHS if unit == "months" else _MAX_WORKING_DAYS
    if number > limit:
        reader.error(
            node, path, f"{number} {unit} is too long to be meant", f"write {limit} or fewer"
        )
        return None
    statutory = _STATUTORY.get(name)
    if statutory is not None and number > statutory:
        reader.error(
            node,
            path,
            f"{number} {unit} is longer than statutory guidance allows ({statutory})",
            f"write {statutory} or fewer, unless you mean to report against a looser target",
            Severity.WARNING,
        )
    return number


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


# -- deadlines ---------------------------------------------------------------------------------


def add_months(d: date, n: int) -> date:
    """`d` moved by `n` calendar months, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def first_review_due(in_care_since: date, rules: ClockRules, cal: WorkingCalendar) -> date:
    """The last day the first review can be held: the 20th working day after coming into care."""
    return cal.add_working_days(in_care_since, rules.first_review_working_days)


def review_due_after(
    review_number: int, review_date: date, rules: ClockRules, cal: WorkingCalendar
) -> date:
    """The last day for the review that follows review `review_number` (1 = the first review).

    The second review is due within 3 months of the first, every later one within 6 months of
    the one before; a limit on a non-working day moves to the working day before it.
    """
    if review_number < 1:
        raise ValueError(f"review numbers start at 1, not {review_number}")
    months = rules.second_review_months if review_number == 1 else rules.later_review_months
    return cal.next_working_day_on_or_before(add_months(review_date, months))


def next_review_due(
    in_care_since: date,
    previous_reviews: Sequence[date],
    rules: ClockRules,
    cal: WorkingCalendar,
) -> date:
    """The next review's due date from a child's whole history (every review held so far)."""
    if not previous_reviews:
        return first_review_due(in_care_since, rules, cal)
    return review_due_after(len(previous_reviews), max(previous_reviews), rules, cal)


@dataclass(frozen=True)
class MinutesDue:
    written_by: date
    sent_by: date


def minutes_due(review_date: date, rules: ClockRules, cal: WorkingCalendar) -> MinutesDue:
    return MinutesDue(
        written_by=cal.add_working_days(review_date, rules.minutes_written_working_days),
        sent_by=cal.add_working_days(review_date, rules.minutes_sent_working_days),
    )


Status = Literal["done on time", "done late", "late", "due soon", "not yet due"]
STATUSES: Final[tuple[Status, ...]] = (
    "done on time", "done late", "late", "due soon", "not yet due",
)  # fmt: skip


def status(
    due: date, done: date | None, as_of: date, rules: ClockRules, cal: WorkingCalendar
) -> Status:
    """Where one deadline stands on `as_of`.

    Once done, only whether it was done by `due` matters. Not done: "late" the day after `due`;
    "due soon" from `due_soon_working_days` working days before it up to the day itself.
    """
    if done is not None:
        return "done on time" if done <= due else "done late"
    if as_of > due:
        return "late"
    if cal.working_days_between(as_of, due) <= rules.due_soon_working_days:
        return "due soon"
    return "not yet due"


# -- dates in words, for letters ---------------------------------------------------------------


def long_date(d: date) -> str:
    """'Monday 12 April 2027': no leading zero, no 'th', no commas (easiest for young readers)."""
    return f"{DAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def short_date(d: date, reference: date) -> str:
    """'Friday 20 November', with the year only when it is not `reference`'s year."""
    text = f"{DAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]}"
    return text if d.year == reference.year else f"{text} {d.year}"


def by_when(d: date, reference: date) -> str:
    """'by the end of November' for a month's last day, otherwise 'by Friday 20 November'.

    The year is added ('by the end of January 2027') when it is not `reference`'s year, usually
    the year of the review the letter is about.
    """
    if d.day == calendar.monthrange(d.year, d.month)[1]:
        month = MONTH_NAMES[d.month - 1]
        text = f"by the end of {month}"
        return text if d.year == reference.year else f"{text} {d.year}"
    return f"by {short_date(d, reference)}"


def child_time(d: date) -> str:
    """A time a young child can hold, for beside the real date: "before the summer holidays".

    An under-8 knows Halloween, Christmas, Easter and the summer holidays better than a month's
    name. Each phrase is true of a step due by `d` (the landmark comes after it); the real date
    is always given beside it, for the grown-up reading the letter.
    """
    # Good Friday is the first of England's bank holidays in March or April.
    good_friday = min(h for h in bank_holidays(d.year) if h.month in (3, 4))
    if d < date(d.year, 2, 14):
        return "soon after Christmas"
    if d < good_friday:
        return "before the Easter holidays"
    if d < date(d.year, 7, 22):
        return "before the summer holidays"
    if d.month < 9:
        return "in the summer holidays"
    if d.month < 11:
        return "before Halloween"
    if d < date(d.year, 12, 20):
        return "before Christmas"
    return "in the Christmas holidays"
