"""The review clock and `deadlines` over 3,600 reviews, beside a baseline measured in the same
run: reading the same 3,600 dates from a set of working days, the least a calendar could cost.
These were timed tests once; timing belongs here, where a noisy machine cannot fail the suite.

    python benchmarks/clock_rate.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from yourreview.clock import ClockRules, WorkingCalendar, minutes_due, review_due_after, status
from yourreview.deadlines import deadline_findings, deadlines
from yourreview.records import Minutes, load_minutes

ROOT = Path(__file__).resolve().parents[1]
N = 3600


def _timed(work: Callable[[], None]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    rules, calendar, today = ClockRules(), WorkingCalendar(), date(2026, 6, 1)
    helds = [date(2025, 1, 1) + timedelta(days=i % 900) for i in range(N)]
    working = {d for d in helds if d.weekday() < 5}

    def baseline() -> None:
        for held in helds:
            _ = held in working and held + timedelta(days=182)

    def clock() -> None:
        for i, held in enumerate(helds):
            due = review_due_after(1 + i % 4, held, rules, calendar)
            written = minutes_due(held, rules, calendar)
            for deadline in (due, written.written_by, written.sent_by):
                status(deadline, None, today, rules, calendar)

    base = load_minutes(ROOT / "minutes" / "2026", ROOT)
    many = [
        replace(r, ref=f"{r.ref}-{i}", child_id=f"{r.child_id}-{i}")
        for i in range(N // len(base.records) + 1)
        for r in base.records
    ][:N]
    minutes = Minutes(tuple(sorted(many, key=lambda r: (r.review_date, r.ref))))

    def table() -> None:
        deadlines(minutes, rules, calendar, today)
        deadline_findings(minutes, rules, calendar)

    floor = _timed(baseline)
    for name, work in (("review clock", clock), ("deadlines + findings", table)):
        seconds = _timed(work)
        print(f"{name}, {N:,} reviews: {seconds * 1000:.0f} ms ({seconds / floor:,.0f}× the floor)")
    print(f"floor, {N:,} set lookups: {floor * 1000:.2f} ms")


if __name__ == "__main__":
    main()
