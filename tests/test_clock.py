"""The review clock against dates worked out by hand from a printed calendar.

England's bank holidays used below (gov.uk): 2026 — Fri 3 Apr, Mon 6 Apr, Mon 4 May, Mon 25 May,
Mon 31 Aug, Fri 25 Dec, Mon 28 Dec (Boxing Day falls on a Saturday). 2027 — Fri 1 Jan, Fri 26 Mar,
Mon 29 Mar, Mon 3 May, Mon 31 May, Mon 30 Aug, Mon 27 and Tue 28 Dec (25 and 26 Dec fall on the
weekend). 2028 — Mon 3 Jan (1 Jan is a Saturday), a leap year with 29 February a Tuesday.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yourreview.clock import (
    STATUSES,
    ClockRules,
    MinutesDue,
    WorkingCalendar,
    add_months,
    bank_holidays,
    by_when,
    first_review_due,
    long_date,
    minutes_due,
    next_review_due,
    read_clock,
    review_due_after,
    short_date,
    status,
)
from yourreview.errors import Severity
from yourreview.schema import Reader
from yourreview.yamlsafe import Mapping, Node, parse_text

ENGLAND = WorkingCalendar()
RULES = ClockRules()
D = date


# -- working days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 12, 24), True),  # Christmas Eve is an ordinary working day
        (D(2026, 12, 25), False),  # Christmas Day, a Friday
        (D(2026, 12, 26), False),  # Boxing Day, a Saturday...
        (D(2026, 12, 28), False),  # ...so the Monday is the substitute bank holiday
        (D(2026, 12, 29), True),
        (D(2027, 12, 24), True),
        (D(2027, 12, 27), False),  # 25 Dec 2027 is a Saturday: substitute Monday
        (D(2027, 12, 28), False),  # 26 Dec 2027 is a Sunday: substitute Tuesday
        (D(2027, 12, 29), True),
        (D(2028, 1, 3), False),  # 1 Jan 2028 is a Saturday: substitute Monday
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 4, 7), True),
        (D(2027, 3, 26), False),
        (D(2027, 3, 29), False),
        (D(2026, 5, 4), False),  # early May bank holiday
        (D(2026, 5, 25), False),  # spring bank holiday
        (D(2026, 8, 31), False),  # late August bank holiday
        (D(2027, 8, 30), False),
        (D(2026, 11, 14), False),  # a Saturday
        (D(2026, 11, 15), False),  # a Sunday
        (D(2026, 11, 16), True),
        (D(2028, 2, 29), True),  # leap day, a Tuesday
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert ENGLAND.is_working_day(day) is working


def test_bank_holidays_are_englands_not_scotlands() -> None:
    assert D(2027, 1, 4) not in bank_holidays(2027)  # 2 January is a holiday only in Scotland
    assert D(2026, 8, 3) not in bank_holidays(2026)  # Scotland's summer holiday is in early August
    assert D(2026, 8, 31) in bank_holidays(2026)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 12, 23), 1, D(2026, 12, 24)),
        (D(2026, 12, 23), 2, D(2026, 12, 29)),  # skips Fri 25, the weekend and Mon 28
        (D(2026, 12, 23), 5, D(2027, 1, 4)),  # and New Year's Day, Fri 1 Jan 2027
        (D(2027, 12, 24), 1, D(2027, 12, 29)),  # both substitute days, Mon 27 and Tue 28
        (D(2027, 12, 24), 3, D(2027, 12, 31)),
        (D(2027, 12, 24), 4, D(2028, 1, 4)),  # Mon 3 Jan 2028 is New Year's substitute
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Good Friday to Easter Monday
        (D(2026, 5, 1), 1, D(2026, 5, 5)),  # early May bank holiday
        (D(2026, 8, 28), 1, D(2026, 9, 1)),  # late August bank holiday
        (D(2028, 2, 28), 1, D(2028, 2, 29)),
        (D(2028, 2, 28), 2, D(2028, 3, 1)),
        (D(2026, 11, 14), 1, D(2026, 11, 16)),  # from a Saturday
        (D(2026, 11, 16), 0, D(2026, 11, 16)),
        (D(2026, 11, 14), 0, D(2026, 11, 14)),  # 0 leaves even a Saturday alone
        (D(2026, 4, 7), -1, D(2026, 4, 2)),  # backwards over Easter
        (D(2027, 1, 4), -5, D(2026, 12, 23)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert ENGLAND.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 4, 2), D(2026, 4, 7), 1),
        (D(2026, 4, 3), D(2026, 4, 6), 0),  # Good Friday to Easter Monday: none between
        (D(2026, 11, 13), D(2026, 11, 14), 0),  # Friday to Saturday
        (D(2026, 11, 13), D(2026, 11, 16), 1),
        (D(2026, 11, 16), D(2026, 11, 16), 0),
        (D(2028, 2, 25), D(2028, 3, 1), 3),  # Mon 28, Tue 29 Feb, Wed 1 Mar
        (D(2026, 12, 23), D(2027, 1, 4), 5),
        (D(2026, 4, 7), D(2026, 4, 2), -1),  # end before start: minus the count the other way
        (D(2027, 1, 4), D(2026, 12, 23), -5),
        # 2026 has 261 weekdays, less 8 bank holidays on weekdays (26 Dec is a Saturday).
        (D(2025, 12, 31), D(2026, 12, 31), 253),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert ENGLAND.working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 12, 28), D(2026, 12, 24)),  # Mon substitute → Sun → Sat → Fri 25 → Thu 24
        (D(2026, 4, 6), D(2026, 4, 2)),  # Easter Monday → Maundy Thursday
        (D(2026, 11, 15), D(2026, 11, 13)),  # Sunday → Friday
        (D(2026, 11, 16), D(2026, 11, 16)),  # a working day stays put
    ],
)
def test_next_working_day_on_or_before(day: date, expected: date) -> None:
    assert ENGLAND.next_working_day_on_or_before(day) == expected


CLOSED_FOR_CHRISTMAS = WorkingCalendar(
    frozenset({D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)})
)


def test_council_closure_days_are_not_working_days() -> None:
    assert not CLOSED_FOR_CHRISTMAS.is_working_day(D(2026, 12, 30))
    assert ENGLAND.is_working_day(D(2026, 12, 30))
    # Thu 24 Dec, then nothing open until Mon 4 Jan 2027.
    assert CLOSED_FOR_CHRISTMAS.add_working_days(D(2026, 12, 23), 2) == D(2027, 1, 4)
    assert CLOSED_FOR_CHRISTMAS.working_days_between(D(2026, 12, 23), D(2027, 1, 4)) == 2
    assert CLOSED_FOR_CHRISTMAS.next_working_day_on_or_before(D(2027, 1, 1)) == D(2026, 12, 24)


def test_closure_on_a_bank_holiday_or_weekend_is_not_counted_twice() -> None:
    cal = WorkingCalendar(frozenset({D(2026, 12, 25), D(2026, 12, 27)}))
    assert cal.working_days_between(D(2026, 12, 23), D(2027, 1, 4)) == 5


# -- months ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # into a leap February
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # into an ordinary one
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 10, 14), 6, D(2027, 4, 14)),
        (D(2026, 10, 31), 2, D(2026, 12, 31)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 1, 15), 0, D(2026, 1, 15)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


# -- reviews and minutes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_care_since", "expected"),
    [
        # Wed 9 Dec 2026: 10 working days to Wed 23 Dec, Thu 24 is the 11th, then 25 and 28 Dec
        # and 1 Jan are bank holidays; 29-31 Dec are 12-14, 4-8 Jan 15-19, Mon 11 Jan the 20th.
        (D(2026, 12, 9), D(2027, 1, 11)),
        # Mon 11 May 2026: 12-15 (4), 18-22 (9), Mon 25 spring bank holiday, 26-29 (13),
        # 1-5 Jun (18), Mon 8 (19), Tue 9 Jun the 20th.
        (D(2026, 5, 11), D(2026, 6, 9)),
        # Mon 2 Nov 2026, no holidays: four whole weeks later is Mon 30 Nov.
        (D(2026, 11, 2), D(2026, 11, 30)),
    ],
)
def test_first_review_due_in_20_working_days(in_care_since: date, expected: date) -> None:
    assert first_review_due(in_care_since, RULES, ENGLAND) == expected
    assert next_review_due(in_care_since, [], RULES, ENGLAND) == expected


def test_first_review_counts_council_closures() -> None:
    # As above from 9 Dec 2026, but 29-31 Dec closed: Thu 24 Dec is the 11th, then 4-8 Jan are
    # 12-16 and 11-14 Jan 17-20.
    assert first_review_due(D(2026, 12, 9), RULES, CLOSED_FOR_CHRISTMAS) == D(2027, 1, 14)


@pytest.mark.parametrize(
    ("number", "held", "expected"),
    [
        (1, D(2026, 10, 12), D(2027, 1, 12)),  # second review: 3 months after the first
        (1, D(2026, 11, 30), D(2027, 2, 26)),  # 3 months is Sun 28 Feb 2027 → Fri 26 Feb
        (2, D(2026, 10, 14), D(2027, 4, 14)),  # later reviews: 6 months
        (5, D(2026, 10, 14), D(2027, 4, 14)),
        (2, D(2026, 6, 26), D(2026, 12, 24)),  # Sat 26 Dec → (Fri 25 Dec) → Thu 24 Dec
        (2, D(2025, 10, 3), D(2026, 4, 2)),  # Good Friday 3 Apr 2026 → Thu 2 Apr
        (2, D(2027, 8, 31), D(2028, 2, 29)),  # leap day, a Tuesday
        (1, D(2026, 5, 29), D(2026, 8, 28)),  # 3 months: Sat 29 Aug → Fri 28 Aug
    ],
)
def test_review_due_after(number: int, held: date, expected: date) -> None:
    assert review_due_after(number, held, RULES, ENGLAND) == expected


def test_review_due_after_a_late_august_bank_holiday() -> None:
    # Reviewed Sun 31 May 2026 (unusual but possible): 3 months is Mon 31 Aug, a bank holiday,
    # so the review must be held by Fri 28 Aug.
    assert review_due_after(1, D(2026, 5, 31), RULES, ENGLAND) == D(2026, 8, 28)


def test_review_due_after_rejects_review_zero() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        review_due_after(0, D(2026, 10, 14), RULES, ENGLAND)


def test_next_review_due_from_history() -> None:
    since = D(2026, 6, 2)
    assert next_review_due(since, [D(2026, 6, 25)], RULES, ENGLAND) == D(2026, 9, 25)
    history = [D(2026, 9, 22), D(2026, 6, 25)]  # order does not matter; the latest counts
    assert next_review_due(since, history, RULES, ENGLAND) == D(2027, 3, 22)
    history = [*history, D(2027, 3, 10)]
    assert next_review_due(since, history, RULES, ENGLAND) == D(2027, 9, 10)


def test_rules_change_the_clock() -> None:
    rules = ClockRules(first_review_working_days=10, second_review_months=2, later_review_months=4)
    assert first_review_due(D(2026, 11, 2), rules, ENGLAND) == D(2026, 11, 16)
    assert review_due_after(1, D(2026, 10, 14), rules, ENGLAND) == D(2026, 12, 14)
    assert review_due_after(2, D(2026, 10, 14), rules, ENGLAND) == D(2027, 2, 12)  # Sun 14 → Fri


def test_minutes_due_across_easter_2027() -> None:
    # Review Mon 15 Mar 2027: 16-19 (4), 22-25 (8), Good Friday and Easter Monday, 30 Mar-2 Apr
    # (12), Mon 5-Wed 7 Apr (15); then Thu 8, Fri 9, Mon 12, Tue 13, Wed 14 Apr (20).
    assert minutes_due(D(2027, 3, 15), RULES, ENGLAND) == MinutesDue(
        written_by=D(2027, 4, 7), sent_by=D(2027, 4, 14)
    )


def test_minutes_due_with_other_rules() -> None:
    rules = ClockRules(minutes_written_working_days=5, minutes_sent_working_days=10)
    assert minutes_due(D(2026, 10, 14), rules, ENGLAND) == MinutesDue(
        D(2026, 10, 21), D(2026, 10, 28)
    )


# -- status ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done", "as_of", "expected"),
    [
        (D(2026, 11, 16), D(2026, 11, 16), D(2026, 12, 1), "done on time"),
        (D(2026, 11, 16), D(2026, 11, 10), D(2026, 12, 1), "done on time"),
        (D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 17), "done late"),
        (D(2026, 11, 16), None, D(2026, 11, 17), "late"),
        (D(2026, 11, 16), None, D(2026, 11, 16), "due soon"),  # due today
        (D(2026, 11, 16), None, D(2026, 11, 2), "due soon"),  # exactly 10 working days
        (D(2026, 11, 16), None, D(2026, 10, 30), "not yet due"),  # 11 working days
        # Across Christmas, counting only working days: from Wed 23 Dec 2026 to Mon 11 Jan 2027
        # is 24 Dec, 29-31 Dec, 4-8 Jan and 11 Jan: 10.
        (D(2027, 1, 11), None, D(2026, 12, 23), "due soon"),
        (D(2027, 1, 11), None, D(2026, 12, 22), "not yet due"),
    ],
)
def test_status(due: date, done: date | None, as_of: date, expected: str) -> None:
    result = status(due, done, as_of, RULES, ENGLAND)
    assert result == expected
    assert result in STATUSES


def test_status_due_soon_window_is_configurable() -> None:
    rules = ClockRules(due_soon_working_days=5)
    assert status(D(2026, 11, 16), None, D(2026, 11, 9), rules, ENGLAND) == "due soon"
    assert status(D(2026, 11, 16), None, D(2026, 11, 6), rules, ENGLAND) == "not yet due"


# -- dates in words ----------------------------------------------------------------------------


def test_long_date() -> None:
    assert long_date(D(2027, 4, 12)) == "Monday 12 April 2027"
    assert long_date(D(2026, 11, 1)) == "Sunday 1 November 2026"  # no leading zero
    assert long_date(D(2028, 2, 29)) == "Tuesday 29 February 2028"


@pytest.mark.parametrize(
    ("day", "reference", "expected"),
    [
        (D(2026, 11, 30), D(2026, 10, 14), "by the end of November"),
        (D(2027, 1, 31), D(2026, 10, 14), "by the end of January 2027"),
        (D(2026, 11, 20), D(2026, 10, 14), "by Friday 20 November"),
        (D(2027, 1, 5), D(2026, 10, 14), "by Tuesday 5 January 2027"),
        (D(2028, 2, 29), D(2028, 1, 10), "by the end of February"),
        (D(2027, 2, 28), D(2027, 1, 10), "by the end of February"),
        (D(2028, 2, 28), D(2028, 1, 10), "by Monday 28 February"),  # not the end in a leap year
        (D(2026, 12, 31), D(2026, 1, 1), "by the end of December"),
    ],
)
def test_by_when(day: date, reference: date, expected: str) -> None:
    assert by_when(day, reference) == expected


def test_short_date() -> None:
    assert short_date(D(2026, 10, 14), D(2026, 1, 1)) == "Wednesday 14 October"
    assert short_date(D(2026, 10, 14), D(2027, 1, 1)) == "Wednesday 14 October 2026"


# -- the council's settings --------------------------------------------------------------------


def clock_node(text: str) -> Node:
    root = parse_text(text, "site_config/council.yml")
    assert isinstance(root, Mapping)
    return root.items["clock"][1]


def test_read_clock_defaults_when_absent() -> None:
    reader = Reader("site_config/council.yml", "config")
    assert read_clock(reader, None) == (ClockRules(), WorkingCalendar())
    assert reader.problems == []


def test_read_clock_defaults_when_empty() -> None:
    reader = Reader("site_config/council.yml", "config")
    assert read_clock(reader, clock_node("clock:\n")) == (ClockRules(), WorkingCalendar())
    assert reader.problems == []


def test_read_clock_overrides_and_closures() -> None:
    node = clock_node(
        "clock:\n"
        "  first_review_working_days: 15\n"
        "  due_soon_working_days: 5\n"
        "  closures:\n"
        "    - 2026-12-29\n"
        "    - 2026-12-30\n"
    )
    reader = Reader("site_config/council.yml", "config")
    rules, cal = read_clock(reader, node)
    assert reader.problems == []
    assert rules == ClockRules(first_review_working_days=15, due_soon_working_days=5)
    assert cal.closures == frozenset({D(2026, 12, 29), D(2026, 12, 30)})


def test_read_clock_reports_every_problem_and_keeps_defaults() -> None:
    node = clock_node(
        "clock:\n"
        "  first_review_working_days: twenty\n"  # line 2
        "  second_review_months: 0\n"  # line 3
        "  later_review_months: 60\n"  # line 4
        "  minutes_sent_working_day: 20\n"  # line 5, a typo
        "  due_soon_working_days:\n"  # line 6
        "  closures:\n"
        "    - 29/12/2026\n"  # line 8
        "    - 2026-12-26\n"  # line 9, a Saturday
    )
    reader = Reader("site_config/council.yml", "config")
    rules, cal = read_clock(reader, node)
    assert rules == ClockRules()
    assert cal.closures == frozenset({D(2026, 12, 26)})
    found = {(p.line, p.field, p.severity) for p in reader.problems}
    assert found == {
        (2, "clock.first_review_working_days", Severity.ERROR),
        (3, "clock.second_review_months", Severity.ERROR),
        (4, "clock.later_review_months", Severity.ERROR),
        (5, "clock.minutes_sent_working_day", Severity.ERROR),
        (6, "clock.due_soon_working_days", Severity.ERROR),
        (8, "clock.closures[0]", Severity.ERROR),
        (9, "clock.closures[1]", Severity.WARNING),
    }
    by_line = {p.line: p for p in reader.problems}
    assert "did you mean `minutes_sent_working_days`" in by_line[5].suggestion
    assert "2026-12-29" in by_line[8].suggestion
    assert "Saturday" in by_line[9].message
    assert all(p.kind == "config" for p in reader.problems)


def test_read_clock_warns_when_looser_than_statute() -> None:
    node = clock_node("clock:\n  first_review_working_days: 25\n")
    reader = Reader("site_config/council.yml", "config")
    rules, _ = read_clock(reader, node)
    assert rules.first_review_working_days == 25
    [problem] = reader.problems
    assert problem.severity is Severity.WARNING
    assert "statutory" in problem.message


def test_read_clock_refuses_minutes_sent_before_written() -> None:
    node = clock_node(
        "clock:\n  minutes_written_working_days: 10\n  minutes_sent_working_days: 5\n"
    )
    reader = Reader("site_config/council.yml", "config")
    read_clock(reader, node)
    [problem] = reader.problems
    assert problem.severity is Severity.ERROR
    assert problem.field == "clock.minutes_written_working_days"
    assert problem.line == 2


def test_read_clock_wants_a_mapping() -> None:
    reader = Reader("site_config/council.yml", "config")
    assert read_clock(reader, clock_node("clock: 20\n")) == (ClockRules(), WorkingCalendar())
    [problem] = reader.problems
    assert problem.field == "clock"


# -- properties --------------------------------------------------------------------------------

dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31))
closure_sets = st.frozensets(
    st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31)), max_size=8
)


@given(dates, st.integers(min_value=-300, max_value=300), closure_sets)
def test_add_working_days_lands_on_a_working_day(
    start: date, n: int, closures: frozenset[date]
) -> None:
    cal = WorkingCalendar(closures)
    result = cal.add_working_days(start, n)
    if n:
        assert cal.is_working_day(result)
        assert (result > start) == (n > 0)


@given(dates, st.integers(min_value=1, max_value=300), closure_sets)
def test_counting_undoes_adding(start: date, n: int, closures: frozenset[date]) -> None:
    cal = WorkingCalendar(closures)
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n
    assert cal.working_days_between(end, start) == -n


@given(dates, dates)
def test_working_days_between_matches_counting_day_by_day(start: date, end: date) -> None:
    if abs((end - start).days) > 400:
        end = start + timedelta(days=(end - start).days % 400)
    low, high = min(start, end), max(start, end)
    slow = sum(
        1 for i in range(1, (high - low).days + 1) if ENGLAND.is_working_day(low + timedelta(i))
    )
    assert ENGLAND.working_days_between(start, end) == (slow if end >= start else -slow)


@given(dates, st.integers(min_value=-1200, max_value=1200))
def test_add_months_lands_in_the_right_month(start: date, n: int) -> None:
    result = add_months(start, n)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == n
    assert result.day == start.day or (result.day < start.day and (result + timedelta(1)).day == 1)


@given(dates, st.integers(min_value=1, max_value=40), st.sampled_from([1, 2, 7]))
def test_review_due_dates_are_working_days(held: date, number: int, months: int) -> None:
    rules = ClockRules(second_review_months=months)
    assert ENGLAND.is_working_day(review_due_after(number, held, rules, ENGLAND))
    assert ENGLAND.is_working_day(first_review_due(held, rules, ENGLAND))
    assert review_due_after(number, held, rules, ENGLAND) <= add_months(
        held, months if number == 1 else 6
    )


# -- many reviews ------------------------------------------------------------------------------


def test_a_big_council_gets_a_working_day_for_every_deadline() -> None:
    # 3,600 records, each needing a next review, both minutes dates and three statuses. How long
    # it takes is measured in benchmarks/clock_rate.py, not here: a busy machine must not fail it.
    cal = CLOSED_FOR_CHRISTMAS
    for i in range(3600):
        held = D(2025, 1, 1) + timedelta(days=i % 900)
        due = review_due_after(1 + i % 4, held, RULES, cal)
        minutes = minutes_due(held, RULES, cal)
        first_review_due(held - timedelta(days=400), RULES, cal)
        for deadline in (due, minutes.written_by, minutes.sent_by):
            assert cal.is_working_day(deadline)
            status(deadline, None, D(2026, 6, 1), RULES, cal)
