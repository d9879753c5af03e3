"""Fictional review records for the example council's earlier years (April 2024 onwards), so
its public "What you told us" pages show whole years with real figures.

A council that starts using Your Review has its earlier reviews in its old system; once they are
records in `minutes/`, the figures count them like any other. This script plays that part for
Anytown, once: it is deterministic (the same seed writes the same files), and the files it
writes are committed, marked as made by it. Run it again only to change them:

    .venv/bin/python scripts/example_history.py   # rewrites minutes/imported/*/h-*.yml

Every child is still in care, with a review after the last one written here, so the example's
deadlines stay true; children in care before April 2024 start at a later review whose earlier
ones are not in `minutes/` (their timing cannot be checked, as in a real service).

`write_history` also returns what it meant each review to be (on time or late, how the child took
part), so a test can check the published figures against counts made without the figures code.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yourreview.clock import (  # noqa: E402  (the package may not be installed)
    ClockRules,
    WorkingCalendar,
    first_review_due,
    minutes_due,
    review_due_after,
)

MARK = "# Fictional example data, made by scripts/example_history.py: do not edit by hand.\n"
START = date(2024, 4, 1)
REVIEWS_END = date(2026, 10, 30)  # the last review written here
LETTERS_END = date(2026, 11, 20)  # no letter sent later than this
HORIZON = date(2026, 12, 31)  # every child's next review is due after this
FOLDER = "imported"  # minutes/imported/<year>/: as if brought over from an old case system
NAMES = (
    "Anouk",
    "Bartek",
    "Cosima",
    "Dashiell",
    "Efua",
    "Florin",
    "Giedre",
    "Haruto",
    "Idris",
    "Jolene",
    "Kasimir",
    "Leocadia",
    "Mireille",
    "Nnamdi",
    "Oksana",
    "Perpetua",
    "Quillon",
    "Radek",
    "Saoirse",
    "Tadhg",
    "Ulrike",
    "Vasilis",
    "Wilhelmina",
    "Xiomara",
    "Yevgeny",
    "Zuleika",
    "Aurelio",
    "Benedek",
    "Catalina",
    "Dimitri",
    "Emeric",
    "Fenella",
    "Gwilym",
    "Henrike",
)
IROS = (
    ("Alex Fernhill", "01632 960101", "alex.fernhill@anytown.example"),
    ("Robin Ashdown", "01632 960102", "robin.ashdown@anytown.example"),
    ("Jamie Whitlow", "01632 960103", "jamie.whitlow@anytown.example"),
)
# How children aged 4 and over took part, weighted roughly as the councils' reports show it.
CODES = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
WEIGHTS = (34, 4, 2, 2, 14, 38, 6)
GOING_WELL = (
    "You are settled at home.",
    "You have made new friends.",
    "You go to a club every week.",
    "You are doing well at school.",
)
STEPS = (
    "help you join a club you like",
    "ask school about extra help with reading",
    "plan more family time with you",
    "check that you have what you need for school",
)


@dataclass(frozen=True)
class Meant:
    """What the script meant one review to be: the truth a test checks the figures against."""

    child_id: str
    review_date: date
    code: str
    held: str  # "on time", "late" or "not known"
    letter: str  # "on time" or "late"


def _weekday(d: date) -> date:
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def write_history(
    minutes: Path,
    children: int = 24,
    seed: int = 11,
    late: float = 0.03,
    letters_late: float = 0.45,
) -> list[Meant]:
    rng = random.Random(seed)
    rules, calendar = ClockRules(), WorkingCalendar()
    meant: list[Meant] = []
    for i in range(children):
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i // len(NAMES)))
        child_id = f"AT-C-{5001 + i}"
        in_care = START + timedelta(days=rng.randrange(-500, 420))
        born = in_care - timedelta(days=rng.randrange(200, 14 * 365))
        iro = IROS[i % len(IROS)]
        if in_care < START:  # earlier reviews are in the old system, not here
            number = rng.randrange(2, 6)
            day = _weekday(START + timedelta(days=rng.randrange(0, 170)))
            held = "not known"
        else:
            number = 1
            due = first_review_due(in_care, rules, calendar)
            if rng.random() < late:
                day, held = _weekday(due + timedelta(days=rng.randrange(3, 12))), "late"
            else:
                day, held = calendar.add_working_days(due, -rng.randrange(0, 8)), "on time"
        while True:
            meant.append(
                _write(minutes, rng, rules, calendar, name, child_id, born, in_care, iro,
                       number, day, held, letters_late)
            )  # fmt: skip
            limit = review_due_after(number, day, rules, calendar)
            if limit > HORIZON:  # still in care, next review not due yet: deadlines stay true
                break
            if rng.random() < late:
                choice = _weekday(limit + timedelta(days=rng.randrange(3, 25)))
            else:
                choice = _weekday(limit - timedelta(days=rng.randrange(0, 30)))
            day = min(choice, REVIEWS_END)
            held = "on time" if day <= limit else "late"
            number += 1
    return meant


def _write(
    minutes: Path,
    rng: random.Random,
    rules: ClockRules,
    calendar: WorkingCalendar,
    name: str,
    child_id: str,
    born: date,
    in_care: date,
    iro: tuple[str, str, str],
    number: int,
    day: date,
    held: str,
    letters_late: float,
) -> Meant:
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    code = "PN0" if age < 4 else rng.choices(CODES, WEIGHTS)[0]
    sent_by = minutes_due(day, rules, calendar).sent_by
    if rng.random() < letters_late:
        sent, letter = calendar.add_working_days(sent_by, rng.randrange(1, 12)), "late"
    else:
        sent, letter = calendar.add_working_days(day, rng.randrange(8, 21)), "on time"
    if sent > LETTERS_END:
        sent = LETTERS_END
        letter = "on time" if sent <= sent_by else "late"
    sent_line = f"  minutes_sent: {sent.isoformat()}\n"
    # Still ahead when the letter arrives: a child must not read of a step already overdue.
    step_by = max(calendar.add_working_days(day, 30), calendar.add_working_days(sent, 10))
    text = (
        MARK
        + "review:\n"
        + f"  ref: AT-{day.year}-{child_id[-4:]}{number:02d}\n"
        + f"  date: {day.isoformat()}\n"
        + f"  number: {number}\n"
        + "  held: in person\n"
        + sent_line
        + "child:\n"
        + f"  id: {child_id}\n"
        + f"  name: {name}\n"
        + f"  date_of_birth: {born.isoformat()}\n"
        + f"  in_care_since: {in_care.isoformat()}\n"
        + "  style: auto\n"
        + f"iro:\n  name: {iro[0]}\n  phone: {iro[1]}\n  email: {iro[2]}\n"
        + f"took_part:\n  code: {code}\n"
        + f"going_well:\n  - {rng.choice(GOING_WELL)}\n"
        + "next_steps:\n"
        + f"  - {{who: your social worker, will: {rng.choice(STEPS)}, "
        + f"by: {step_by.isoformat()}}}\n"
    )
    folder = minutes / FOLDER / str(day.year)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"h-{name.lower()}-{number}.yml"
    path.write_text(text, encoding="utf-8")
    return Meant(child_id, day, code, held, letter)


def main() -> None:
    minutes = ROOT / "minutes"
    for old in minutes.glob(f"{FOLDER}/*/h-*.yml"):
        if old.read_text(encoding="utf-8").startswith(MARK):
            old.unlink()  # only files this script made: never a record someone wrote
    meant = write_history(minutes)
    print(f"Wrote {len(meant)} fictional records to {minutes}.")


if __name__ == "__main__":
    main()
