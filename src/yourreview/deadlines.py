"""What is due when: each child's next review and each review's letter, against the review clock.

Pure: records and the clock in, rows and findings out. `yourreview deadlines`, the internal
"Checks" page and (as counts only) the public timeliness figures are all built from these rows.

Only two kinds of deadline can be tracked from the records: a review (held by the date the clock
or the IRO set) and the letter ("minutes sent", `review.minutes_sent`). The clock also gives a
date for the minutes to be *written* (`minutes_written_working_days`), but no record field says
when they were written, so no "minutes written" row is made: a row that could never be done
would only ever show as late.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from .clock import (
    DAY_NAMES,
    ClockRules,
    Status,
    WorkingCalendar,
    first_review_due,
    long_date,
    minutes_due,
    review_due_after,
    status,
)
from .errors import Problem, Severity
from .records import Minutes, Record

Kind = Literal["next review", "minutes written", "minutes sent"]
KINDS: Final[tuple[Kind, ...]] = ("next review", "minutes written", "minutes sent")


@dataclass(frozen=True)
class Deadline:
    """One thing due by a date, and where it stands.

    `source` and `ref` are the record the date comes from: for a first review, that review's
    own record (it is due from `in_care_since`); for any later review, the review before it;
    for a letter, its review. `name` is the child's name: internal pages and reports only.

    `working_days_left` counts from `as_of` to `due` while not done, and from the day it was done
    once done: negative when late (0 on the due day, and on a weekend straight after it).
    `limit` is the latest date the clock allows; it differs from `due` only when the IRO planned
    the next review earlier, so statutory figures can count against `limit` while the IRO's own
    list keeps to the plan.
    """

    kind: Kind
    child_id: str
    name: str
    source: str
    ref: str
    due: date
    done: date | None
    status: Status
    working_days_left: int
    limit: date


COLUMNS: Final = (
    "kind", "child_id", "name", "source", "ref", "due", "done", "status",
    "working_days_left", "limit",
)  # fmt: skip


def deadlines(
    minutes: Minutes, rules: ClockRules, calendar: WorkingCalendar, as_of: date
) -> list[Deadline]:
    """Every child's reviews and letters, late first (most overdue first), then due soon
    (soonest first), then the rest by due date.

    Per child: the first review (only when the child's earliest record is review 1: before
    that, the history is not in `minutes/`); after each review, the next one, done when the
    child's following record was held; and each review's letter.
    """

    def row(kind: Kind, record: Record, due: date, limit: date, done: date | None) -> Deadline:
        left = calendar.working_days_between(done or as_of, due)
        state = status(due, done, as_of, rules, calendar)
        return Deadline(
            kind, record.child_id, record.name, record.source, record.ref, due, done, state,
            left, limit,
        )  # fmt: skip

    rows: list[Deadline] = []
    for reviews in minutes.by_child().values():
        reviews = sorted(reviews, key=lambda r: (r.review_date, r.ref))
        first = reviews[0]
        if first.number == 1:
            due = first_review_due(first.in_care_since, rules, calendar)
            rows.append(row("next review", first, due, due, first.review_date))
        following: list[Record | None] = [*reviews[1:], None]
        for record, after in zip(reviews, following, strict=True):
            limit = review_due_after(record.number, record.review_date, rules, calendar)
            planned = record.next_review
            due = planned if planned is not None and planned < limit else limit
            held = after.review_date if after is not None else None
            rows.append(row("next review", record, due, limit, held))
            sent_by = minutes_due(record.review_date, rules, calendar).sent_by
            rows.append(row("minutes sent", record, sent_by, sent_by, record.minutes_sent))
    rows.sort(key=_order)
    return rows


def _order(row: Deadline) -> tuple[int, int, date, str, str, str]:
    if row.status == "late":
        rank, overdue = 0, row.working_days_left
    else:
        rank, overdue = (1 if row.status == "due soon" else 2), 0
    return rank, overdue, row.due, row.child_id, row.kind, row.ref


def deadline_findings(
    minutes: Minutes,
    rules: ClockRules,
    calendar: WorkingCalendar,
    only: Collection[str] | None = None,
) -> list[Problem]:
    """What `yourreview check` reports about the clock, whatever today's date.

    A `next_review` later than the clock allows is an error: the letter would promise the child
    a review after it is due. A letter sent late is a warning: nothing in the record is wrong,
    but the IRO should see it before it shows in the figures. `only`: just these files' (each
    record's findings are its own).
    """
    problems: list[Problem] = []
    for record in minutes.records:
        if only is not None and record.source not in only:
            continue
        limit = review_due_after(record.number, record.review_date, rules, calendar)
        if record.next_review is not None and record.next_review > limit:
            months = rules.second_review_months if record.number == 1 else rules.later_review_months
            line, column = record.where.get("next_review", (0, 0))
            problems.append(
                Problem(
                    record.source,
                    line,
                    column,
                    "next_review",
                    f"{record.next_review.isoformat()} is later than the review clock allows "
                    f"({long_date(limit)}: {months} months after review {record.number})",
                    f"set next_review on or before {limit.isoformat()}, "
                    "or leave it out to use that date",
                    Severity.ERROR,
                    "deadline",
                )
            )
        sent_by = minutes_due(record.review_date, rules, calendar).sent_by
        sent = record.minutes_sent
        if sent is not None and sent > sent_by:
            late = calendar.working_days_between(sent_by, sent)
            how_late = f"{_working_days(late)} late" if late > 0 else "after it was due"
            line, column = record.where.get("review.minutes_sent", (0, 0))
            problems.append(
                Problem(
                    record.source,
                    line,
                    column,
                    "review.minutes_sent",
                    f"the letter was sent {how_late} (due by {long_date(sent_by)})",
                    "nothing to change if the date is right: it counts as late in the figures",
                    Severity.WARNING,
                    "deadline",
                )
            )
    return sorted(problems)


def step_findings(minutes: Minutes, today: date) -> list[Problem]:
    """Next steps that fall due on or before the day the letter is sent (`minutes_sent`, or
    `today` while it is unsent): the child would read "by Friday 28 August" in September. The
    letter then says kindly that it should have happened, and to say if it has not."""
    problems: list[Problem] = []
    for record in minutes.records:
        sent = record.minutes_sent or today
        for i, step in enumerate(record.next_steps):
            if step.by is None or step.by > sent:
                continue
            where = f"next_steps[{i}].by"
            line, column = record.where.get(where, (0, 0))
            when = "was sent" if record.minutes_sent else "goes out (today, as it is not sent yet)"
            problems.append(
                Problem(
                    record.source,
                    line,
                    column,
                    where,
                    f"{long_date(step.by)} has passed by the time the letter {when}: "
                    "the letter says it should have happened, and to tell you if it has not",
                    "if it has happened, say so in the letter (a reply or a note next time); "
                    "if it has not, agree a new date and write it here",
                    Severity.WARNING,
                    "date",
                )
            )
    return problems


def _working_days(n: int) -> str:
    return f"{n} working day{'' if n == 1 else 's'}"


# -- output ------------------------------------------------------------------------------------


def as_dict(row: Deadline) -> dict[str, str | int | None]:
    """One row with ISO dates: what JSON and CSV both hold."""
    return {
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


def to_json(rows: Iterable[Deadline]) -> str:
    return json.dumps([as_dict(r) for r in rows], indent=2, ensure_ascii=False) + "\n"


# A cell starting with one of these is run as a formula by spreadsheet programs. Names and ids
# are typed by people, so such a cell gets a leading apostrophe, which spreadsheets hide.
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_TEXT_COLUMNS: Final = frozenset({"child_id", "name", "source", "ref"})


def to_csv(rows: Iterable[Deadline]) -> str:
    """A header row, then one line per row; empty cell for not done. Encode it as UTF-8.

    Lines end in "\\n" so text-mode writing does not double the line ends on Windows.
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        cells = as_dict(row)
        for column in _TEXT_COLUMNS:
            value = cells[column]
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                cells[column] = "'" + value
        writer.writerow(cells)
    return out.getvalue()


def to_text(
    rows: Sequence[Deadline],
    as_of: date,
    due_soon_working_days: int = ClockRules().due_soon_working_days,
) -> str:
    """A table for a terminal: late, due soon and coming up in full; what is done as counts."""
    groups: dict[str, list[Deadline]] = {"late": [], "due soon": [], "not yet due": []}
    done = {"done on time": 0, "done late": 0}
    for row in rows:
        if row.status in groups:
            groups[row.status].append(row)
        else:
            done[row.status] += 1
    titles = {
        "late": "Late",
        "due soon": f"Due within {due_soon_working_days} working days",
        "not yet due": "Coming up",
    }
    lines = [f"Deadlines on {long_date(as_of)}"]
    for state, title in titles.items():
        found = groups[state]
        lines += ["", f"{title} ({len(found)})"]
        lines += _table(found) if found else ["  none"]
    lines += [
        "",
        f"Done ({sum(done.values())}): {done['done on time']} on time, {done['done late']} late",
    ]
    return "\n".join(lines) + "\n"


def _table(rows: Sequence[Deadline]) -> list[str]:
    cells = [
        (
            f"{DAY_NAMES[r.due.weekday()][:3]} {r.due.isoformat()}",
            r.kind,
            r.name,
            r.child_id,
            r.ref,
            _left(r),
        )
        for r in rows
    ]
    header = ("due", "what", "child", "child id", "ref", "")
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(len(header))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        for line in [header, *cells]
    ]


def _left(row: Deadline) -> str:
    n = row.working_days_left
    if row.status == "late":
        return f"{_working_days(-n)} late" if n < 0 else "late"
    if n == 0:
        return "due today"
    return f"in {_working_days(n)}"
