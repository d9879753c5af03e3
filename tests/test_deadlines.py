"""Deadlines and clock findings, against dates worked out by hand from a printed calendar.

England's bank holidays used below (gov.uk): 2026 — Mon 4 May, Mon 25 May, Mon 31 Aug,
Fri 25 Dec, Mon 28 Dec (Boxing Day is a Saturday). 2027 — Fri 1 Jan, Fri 26 Mar (Good Friday),
Mon 29 Mar (Easter Monday), Mon 3 May. There are none in September, October or November 2026.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from yourreview.clock import ClockRules, WorkingCalendar
from yourreview.deadlines import (
    COLUMNS,
    Deadline,
    deadline_findings,
    deadlines,
    to_csv,
    to_json,
    to_text,
)
from yourreview.errors import Severity
from yourreview.records import Minutes, Record, load_minutes, parse_record
from yourreview.yamlsafe import parse_text

ROOT = Path(__file__).resolve().parents[1]
RULES = ClockRules()
ENGLAND = WorkingCalendar()
D = date


def record(
    ref: str,
    held: str,
    number: int,
    *,
    child: str = "T-1",
    name: str = "Tia",
    in_care: str = "2026-12-14",
    sent: str | None = None,
    next_review: str | None = None,
) -> Record:
    text = f"""\
review:
  ref: {ref}
  date: {held}
  number: {number}
{f"  minutes_sent: {sent}" if sent else ""}
child:
  id: {child}
  name: {name}
  date_of_birth: 2015-01-01
  in_care_since: {in_care}
iro: {{name: Alex Fernhill}}
took_part: {{code: PN1}}
{f"next_review: {next_review}" if next_review else ""}
"""
    source = f"minutes/{ref}.yml"
    parsed, problems = parse_record(parse_text(text, source), source)
    assert problems == []
    return parsed


def minutes(*records: Record) -> Minutes:
    return Minutes(tuple(sorted(records, key=lambda r: (r.review_date, r.ref))))


def rows_for(m: Minutes, as_of: date) -> list[Deadline]:
    return deadlines(m, RULES, ENGLAND, as_of)


def find(rows: list[Deadline], kind: str, ref: str) -> Deadline:
    (row,) = [r for r in rows if r.kind == kind and r.ref == ref]
    return row


# Tia comes into care on Monday 14 December 2026. Twenty working days, counted on the calendar:
# 15–18 Dec (4), 21–24 Dec (8), [25 and 28 Dec bank holidays] 29–31 Dec (11), [1 Jan bank
# holiday] 4–8 Jan (16), 11–14 Jan (20): the first review is due Thursday 14 January 2027.
TIA_1 = record("T-0001", "2027-01-12", 1, sent="2027-02-05")
# Second review within 3 months of the first (12 Jan): Monday 12 April 2027, a working day.
TIA_2 = record("T-0002", "2027-04-08", 2, sent="2027-05-10")
# Third within 6 months of the second (8 Apr): Friday 8 October 2027.
TIA_3 = record("T-0003", "2027-10-08", 3)


def test_first_review_is_due_20_working_days_after_coming_into_care_over_christmas() -> None:
    rows = rows_for(minutes(TIA_1, TIA_2, TIA_3), D(2027, 10, 11))
    first = [r for r in rows if r.kind == "next review" and r.ref == "T-0001"]
    assert [(r.due, r.done, r.status) for r in first] == [
        (D(2027, 1, 14), D(2027, 1, 12), "done on time"),  # the first review itself
        (D(2027, 4, 12), D(2027, 4, 8), "done on time"),  # the second, 3 months after it
    ]
    # Held Tuesday 12 January for a Thursday 14 January limit: 2 working days to spare.
    assert first[0].working_days_left == 2
    assert first[0].source == "minutes/T-0001.yml"


def test_second_review_3_months_after_the_first_then_6_months() -> None:
    rows = rows_for(minutes(TIA_1, TIA_2, TIA_3), D(2027, 10, 11))
    after_2 = find(rows, "next review", "T-0002")
    assert (after_2.due, after_2.limit, after_2.done, after_2.status) == (
        D(2027, 10, 8), D(2027, 10, 8), D(2027, 10, 8), "done on time",
    )  # fmt: skip
    # After the third: 8 April 2028, a Saturday, so the Friday before; not done yet.
    after_3 = find(rows, "next review", "T-0003")
    assert (after_3.due, after_3.done, after_3.status) == (D(2028, 4, 7), None, "not yet due")


def test_a_review_held_after_its_limit_is_done_late() -> None:
    late_2 = record("T-0002", "2027-04-14", 2)  # limit Monday 12 April; held Wednesday 14
    rows = rows_for(minutes(TIA_1, late_2), D(2027, 4, 15))
    (row,) = [r for r in rows if r.kind == "next review" and r.done == D(2027, 4, 14)]
    assert row.ref == "T-0001"
    assert (row.due, row.done, row.status, row.working_days_left) == (
        D(2027, 4, 12), D(2027, 4, 14), "done late", -2,
    )  # fmt: skip


def test_only_a_childs_review_1_gets_a_first_review_row() -> None:
    # The history before review 2 is not in minutes/: no first review can be worked out.
    later = record("T-0002", "2027-04-08", 2)
    rows = rows_for(minutes(later), D(2027, 4, 9))
    assert [r.kind for r in rows if r.kind == "next review"] == ["next review"]
    assert find(rows, "next review", "T-0002").due == D(2027, 10, 8)


def test_a_planned_next_review_earlier_than_the_limit_is_used() -> None:
    planned = replace(TIA_3, next_review=D(2028, 3, 1))
    rows = rows_for(minutes(TIA_1, TIA_2, planned), D(2027, 10, 11))
    row = find(rows, "next review", "T-0003")
    assert (row.due, row.limit) == (D(2028, 3, 1), D(2028, 4, 7))
    assert deadline_findings(minutes(planned), RULES, ENGLAND) == []


def test_a_planned_next_review_later_than_the_limit_is_an_error_and_the_limit_is_used() -> None:
    # Sam's third review, Thursday 5 November 2026: 6 months on is Wednesday 5 May 2027.
    sam = record(
        "AT-2026-0877", "2026-11-05", 3, in_care="2026-01-19", next_review="2027-06-01",
        sent="2026-11-20",
    )  # fmt: skip
    row = find(rows_for(minutes(sam), D(2026, 11, 23)), "next review", "AT-2026-0877")
    assert (row.due, row.limit) == (D(2027, 5, 5), D(2027, 5, 5))
    (problem,) = deadline_findings(minutes(sam), RULES, ENGLAND)
    assert problem.severity is Severity.ERROR
    assert (problem.file, problem.field, problem.kind) == (
        "minutes/AT-2026-0877.yml", "next_review", "deadline",
    )  # fmt: skip
    assert problem.line > 0  # the line of `next_review:`, to go straight to it
    assert problem.message == (
        "2027-06-01 is later than the review clock allows "
        "(Wednesday 5 May 2027: 6 months after review 3)"
    )
    assert (
        problem.suggestion
        == "set next_review on or before 2027-05-05, or leave it out to use that date"
    )


def test_after_a_first_review_the_finding_names_3_months() -> None:
    # Review 1 on Tuesday 12 January 2027: 3 months on is Monday 12 April 2027.
    first = replace(TIA_1, next_review=D(2027, 4, 13))
    (problem,) = deadline_findings(minutes(first), RULES, ENGLAND)
    assert "(Monday 12 April 2027: 3 months after review 1)" in problem.message


# Review on Tuesday 15 September 2026: 20 working days on is Tuesday 13 October (16–18 Sep 3,
# 21–25 Sep 8, 28 Sep–2 Oct 13, 5–9 Oct 18, 12 Oct 19, 13 Oct 20).
SEPT = "2026-09-15"


@pytest.mark.parametrize(
    ("sent", "as_of", "status", "left"),
    [
        ("2026-10-13", D(2026, 11, 23), "done on time", 0),  # on the last day
        ("2026-10-09", D(2026, 11, 23), "done on time", 2),  # Friday: Mon 12 and Tue 13 spare
        ("2026-10-16", D(2026, 11, 23), "done late", -3),  # Wed 14, Thu 15, Fri 16
        (None, D(2026, 10, 14), "late", -1),
        (None, D(2026, 10, 13), "due soon", 0),
        (None, D(2026, 9, 29), "due soon", 10),  # 30 Sep–2 Oct 3, 5–9 Oct 8, 12–13 Oct 10
        (None, D(2026, 9, 28), "not yet due", 11),
    ],
)
def test_minutes_sent_on_time_late_or_missing(
    sent: str | None, as_of: date, status: str, left: int
) -> None:
    review = record("O-0001", SEPT, 2, in_care="2026-04-20", sent=sent)
    row = find(rows_for(minutes(review), as_of), "minutes sent", "O-0001")
    assert (row.due, row.done, row.status, row.working_days_left) == (
        D(2026, 10, 13), D.fromisoformat(sent) if sent else None, status, left,
    )  # fmt: skip


def test_a_letter_sent_late_is_a_warning_saying_how_late() -> None:
    late = record("O-0001", SEPT, 2, in_care="2026-04-20", sent="2026-10-16")
    (problem,) = deadline_findings(minutes(late), RULES, ENGLAND)
    assert problem.severity is Severity.WARNING
    assert (problem.field, problem.kind) == ("review.minutes_sent", "deadline")
    assert problem.message == (
        "the letter was sent 3 working days late (due by Tuesday 13 October 2026)"
    )
    one_day = record("O-0001", SEPT, 2, in_care="2026-04-20", sent="2026-10-14")
    assert (
        "sent 1 working day late" in deadline_findings(minutes(one_day), RULES, ENGLAND)[0].message
    )
    on_time = record("O-0001", SEPT, 2, in_care="2026-04-20", sent="2026-10-13")
    assert deadline_findings(minutes(on_time), RULES, ENGLAND) == []


def test_a_council_closure_day_moves_the_letter_due_date() -> None:
    closed = WorkingCalendar(frozenset({D(2026, 10, 1)}))
    review = record("O-0001", SEPT, 2, in_care="2026-04-20")
    (row,) = [
        r
        for r in deadlines(minutes(review), RULES, closed, D(2026, 9, 16))
        if r.kind == "minutes sent"
    ]
    assert row.due == D(2026, 10, 14)


def test_late_first_most_overdue_first_then_due_soon_soonest_first_then_by_date() -> None:
    def child(ref: str, held: str, number: int = 2, sent: str | None = None) -> Record:
        return record(ref, held, number, child=ref[0], in_care="2026-04-20", sent=sent)

    m = minutes(
        child("A-1", SEPT),  # letter due Tue 13 Oct; next review Mon 15 Mar 2027
        child("B-1", "2026-10-20"),  # letter due Tue 17 Nov; next Tue 20 Apr 2027
        child("C-1", "2026-11-03"),  # letter due Tue 1 Dec; next Fri 30 Apr (3 May is a holiday)
        child("D-1", "2026-10-28", sent="2026-11-02"),  # letter due Wed 25 Nov; next Wed 28 Apr
        # Wed 18 Nov: letter due Wed 16 Dec (19–20 Nov 2, 23 Nov–11 Dec 17, 14–16 Dec 20),
        # 17 working days after Mon 23 Nov; next review Tue 18 May 2027.
        child("D-2", "2026-11-18", 3),
        child("E-1", "2026-10-28"),  # letter due Wed 25 Nov; next Wed 28 Apr
    )
    rows = rows_for(m, D(2026, 11, 23))
    assert [(r.ref, r.kind, r.status, r.due) for r in rows] == [
        ("A-1", "minutes sent", "late", D(2026, 10, 13)),  # 29 working days late
        ("B-1", "minutes sent", "late", D(2026, 11, 17)),  # 4 working days late
        ("E-1", "minutes sent", "due soon", D(2026, 11, 25)),
        ("C-1", "minutes sent", "due soon", D(2026, 12, 1)),
        ("D-1", "minutes sent", "done on time", D(2026, 11, 25)),
        ("D-2", "minutes sent", "not yet due", D(2026, 12, 16)),
        ("A-1", "next review", "not yet due", D(2027, 3, 15)),
        ("B-1", "next review", "not yet due", D(2027, 4, 20)),
        ("D-1", "next review", "done on time", D(2027, 4, 28)),  # held as D-2
        ("E-1", "next review", "not yet due", D(2027, 4, 28)),
        ("C-1", "next review", "not yet due", D(2027, 4, 30)),
        ("D-2", "next review", "not yet due", D(2027, 5, 18)),
    ]
    assert [r.working_days_left for r in rows[:4]] == [-29, -4, 2, 6]


def test_csv_and_json_read_back_to_the_same_values() -> None:
    rows = rows_for(minutes(TIA_1, TIA_2, replace(TIA_3, name="Zoë")), D(2027, 10, 11))
    data = json.loads(to_json(rows))
    assert [list(d) for d in data] == [list(COLUMNS)] * len(rows)
    read = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert len(read) == len(rows) == len(data)
    for row, obj, line in zip(rows, data, read, strict=True):
        expected = {
            "kind": row.kind,
            "child_id": row.child_id,
            "name": row.name,
            "source": row.source,
            "ref": row.ref,
            "due": row.due.isoformat(),
            "done": row.done.isoformat() if row.done else None,
            "status": row.status,
            "working_days_left": row.working_days_left,
            "limit": row.limit.isoformat(),
        }
        assert obj == expected
        assert line == {k: "" if v is None else str(v) for k, v in expected.items()}
        assert date.fromisoformat(line["due"]) == row.due
        assert int(line["working_days_left"]) == row.working_days_left
    assert "Zoë" in to_csv(rows).encode("utf-8").decode("utf-8")
    assert '"name": "Zoë"' in to_json(rows)


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_defused() -> None:
    sly = replace(TIA_1, child_id="=1+1", name="@SUM(A1)")
    (line, *_) = csv.DictReader(io.StringIO(to_csv(rows_for(minutes(sly), D(2027, 1, 13)))))
    assert (line["child_id"], line["name"]) == ("'=1+1", "'@SUM(A1)")
    # Numbers are left alone: a late row's negative count stays a number.
    late = rows_for(minutes(record("O-0001", SEPT, 2, in_care="2026-04-20")), D(2026, 11, 23))
    assert "-29" in to_csv(late)


def test_text_report_groups_late_due_soon_coming_up_and_counts_what_is_done() -> None:
    as_of = D(2026, 11, 23)
    m = minutes(
        record("A-1", SEPT, 2, child="A", name="Ollie", in_care="2026-04-20"),
        record("C-1", "2026-11-03", 2, child="C", name="Mia", in_care="2026-04-20"),
        record("E-1", "2026-07-08", 2, child="E", name="Kai", in_care="2026-02-02",
               sent="2026-08-25"),
    )  # fmt: skip
    text = to_text(rows_for(m, as_of), as_of)
    assert text.startswith("Deadlines on Monday 23 November 2026\n")
    late = text.index("Late (1)")
    soon = text.index("Due within 10 working days (1)")
    coming = text.index("Coming up (3)")
    assert late < soon < coming < text.index("Done (1): 0 on time, 1 late")
    assert text.index("Ollie") < soon and "29 working days late" in text
    assert soon < text.index("Mia") < coming and "in 6 working days" in text
    empty = to_text([], as_of)
    assert "Late (0)\n  none" in empty and "Done (0): 0 on time, 0 late" in empty


# -- the example council -----------------------------------------------------------------------


# The example's own records, worked out by hand below; minutes/imported/ holds the earlier
# years' records made by scripts/example_history.py, whose deadlines all fall after these.
HAND_WRITTEN = ROOT / "minutes" / "2026"


@pytest.fixture(scope="module")
def anytown() -> list[Deadline]:
    return rows_for(load_minutes(HAND_WRITTEN, ROOT), D(2026, 11, 23))


def test_example_council_on_23_november_2026(anytown: list[Deadline]) -> None:
    def row(name: str, kind: str, ref: str) -> tuple[object, ...]:
        r = find(anytown, kind, ref)
        assert r.name == name
        return (r.due, r.done, r.status, r.working_days_left)

    # Sam's review 3, Thursday 5 November 2026, no next_review: 6 months on, Wednesday 5 May.
    assert row("Sam", "next review", "AT-2026-0877")[:3] == (D(2027, 5, 5), None, "not yet due")
    # Sam's review 2 (Tue 12 May) planned the next for Tue 10 Nov (the limit was Thu 12 Nov);
    # it was held Thu 5 Nov: Fri 6, Mon 9, Tue 10 to spare.
    assert row("Sam", "next review", "AT-2026-0301") == (
        D(2026, 11, 10), D(2026, 11, 5), "done on time", 3,
    )  # fmt: skip
    # Ollie, Tue 15 Sep, no letter sent: due Tue 13 Oct; 14–16 Oct 3, then 19 Oct–20 Nov 25
    # more, then Mon 23 Nov: 29 working days late.
    assert row("Ollie", "minutes sent", "AT-2026-0601") == (D(2026, 10, 13), None, "late", -29)
    # Poppy's first review (Wed 8 Jul 2026) was on its last day (in care Wed 10 Jun: 11–12 Jun
    # 2, 15 Jun–3 Jul 17, 6–8 Jul 20); the next was due 3 months on, Thu 8 Oct, and no record
    # of it yet: 9 Oct 1, 12 Oct–20 Nov 31, Mon 23 Nov 32 working days late.
    poppy = [r for r in anytown if r.name == "Poppy" and r.kind == "next review"]
    assert sorted((r.due, r.done, r.status, r.working_days_left) for r in poppy) == [
        (D(2026, 7, 8), D(2026, 7, 8), "done on time", 0),
        (D(2026, 10, 8), None, "late", -32),
    ]
    # Noah, Wed 28 Oct, no letter: due Wed 25 Nov (29–30 Oct 2, 2–20 Nov 17, 23–25 Nov 20).
    assert row("Noah", "minutes sent", "AT-2026-0791") == (D(2026, 11, 25), None, "due soon", 2)
    # Mia, Tue 3 Nov: 6 months on is Mon 3 May 2027, a bank holiday, so Friday 30 April.
    assert row("Mia", "next review", "AT-2026-0815")[0] == D(2027, 4, 30)
    # Amara, Tue 29 Sep: 6 months on is Easter Monday 29 Mar 2027; back past the weekend and
    # Good Friday to Thursday 25 March.
    assert row("Amara", "next review", "AT-2026-0644")[0] == D(2027, 3, 25)
    # Leah, Tue 4 Aug: letter due Wed 2 Sep (31 Aug is a bank holiday), sent Tue 8 Sep.
    assert row("Leah", "minutes sent", "AT-2026-0502") == (
        D(2026, 9, 2), D(2026, 9, 8), "done late", -4,
    )  # fmt: skip


def test_example_council_order_and_findings(anytown: list[Deadline]) -> None:
    # Late: Poppy's review (32), Ollie's letter (29), Isla's letter (Tue 20 Oct review, due
    # Tue 17 Nov, 4 late); due soon: Noah's letter (2), Mia's (Tue 3 Nov review, due Tue 1 Dec).
    assert [(r.name, r.kind, r.status, r.working_days_left) for r in anytown[:5]] == [
        ("Poppy", "next review", "late", -32),
        ("Ollie", "minutes sent", "late", -29),
        ("Isla", "minutes sent", "late", -4),
        ("Noah", "minutes sent", "due soon", 2),
        ("Mia", "minutes sent", "due soon", 6),
    ]
    assert all(r.status not in ("late", "due soon") for r in anytown[5:])
    # 14 reviews: 14 letters, 14 "next review" rows, and a first review for Finn, Noah and Poppy.
    assert len(anytown) == 14 + 14 + 3
    m = load_minutes(HAND_WRITTEN, ROOT)
    problems = deadline_findings(m, RULES, ENGLAND)
    assert [(p.file, p.severity, p.message) for p in problems] == [
        (
            "minutes/2026/leah-4.yml",
            Severity.WARNING,
            "the letter was sent 4 working days late (due by Wednesday 2 September 2026)",
        )
    ]


def test_3600_records_each_get_their_deadlines(tmp_path: Path) -> None:
    base = load_minutes(HAND_WRITTEN, ROOT)
    many = []
    for i in range(3600 // len(base.records) + 1):
        for r in base.records:
            many.append(replace(r, ref=f"{r.ref}-{i}", child_id=f"{r.child_id}-{i}"))
    m = Minutes(tuple(sorted(many[:3600], key=lambda r: (r.review_date, r.ref))))
    # Timed in benchmarks/clock_rate.py; here, only that every review is in the table.
    rows = deadlines(m, RULES, ENGLAND, D(2026, 11, 23))
    deadline_findings(m, RULES, ENGLAND)
    assert {row.ref for row in rows} == {r.ref for r in m.records}
