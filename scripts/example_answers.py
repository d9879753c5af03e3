"""Write the example council's answers: feedback/ as a council really gets it.

Run from the repository's root: `.venv/bin/python scripts/example_answers.py`. The output is
fixed (a seeded generator, fixed timestamps), so running it again rewrites the same answers;
tests/test_example_answers.py checks the files still match what this script makes.

Everything here is fictional. Microsoft Forms .xlsx (cumulative downloads, one response edited
after it was sent), CSV saved by Excel (UTF-8 with a byte-order mark, and plain "CSV", which is
Windows-1252), paper forms typed in, and the receiver's JSON Lines exports.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
import warnings
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yourreview.tokens import DEMO_KEY, review_token  # noqa: E402

FEEDBACK = ROOT / "feedback"
MS = ["ID", "Start time", "Completion time", "Email", "Name"]
FIXED = datetime(2026, 4, 1, 9, 0, 0)  # the files' own "modified" date: fixed, so reruns match

CHILD_SAYS = [
    "More time to talk on my own before the meeting",
    "It was too long and I got bored",
    "I liked that it was at my house",
    "Please don't use so many big words",
    "Can we have it after school not in the day",
    "My IRO listened to me, thank you",
    "I want to see my brother more",
    "The snacks were good",
    "",
    "",
    "I didn't know who everyone was",
    "Less people in the room",
]
CARER_SAYS = [
    "The papers came two days before, which was not enough time to read them",
    "Really well chaired, the young person felt listened to",
    "It would help to have the meeting at a time that fits around school",
    "",
    "The social worker's report was not shared beforehand",
    "Good to have it online, saved a long drive",
]


def token(ref: str) -> str:
    return review_token(ref, DEMO_KEY.encode("utf-8"))


def stamp(start: datetime, rng: random.Random) -> tuple[str, str]:
    begin = start + timedelta(minutes=rng.randint(0, 60 * 24 * 20))
    end = begin + timedelta(seconds=rng.randint(40, 400))
    return begin.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S")


def after_review_rows(
    rng: random.Random, first_id: int, n: int, start: datetime, v1: bool
) -> list[list[object]]:
    rows: list[list[object]] = []
    for i in range(n):
        begin, end = stamp(start + timedelta(days=20 * i), rng)
        rating = rng.choice([2, 3, 4, 4, 5, 5])
        row: list[object] = [first_id + i, begin, end, "anonymous", None]
        if not v1:
            row.append(end)  # Last modified time
        row.append(rating)
        if not v1:
            row.append(rng.choice([3, 4, 5, 5]))
        said = rng.choice(CHILD_SAYS)
        row += [rng.choice(["Yes", "Yes", "No"]), rng.choice(["Yes", "No"]), said]
        row.append(rng.choice(["Yes", "No"]) if said else None)
        rows.append(row)
    return rows


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.properties.created = book.properties.modified = FIXED
    book.properties.creator = "Microsoft Forms"
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # openpyxl's writer opens a temporary file without naming an encoding: not ours to fix.
        warnings.simplefilter("ignore", EncodingWarning)
        book.save(path)


AFTER_V1 = [
    "How was your review?",
    "Did you get to say what you wanted?",
    "Do you understand what will happen next?",
    "What could we do better next time?",
    "Can we share what you wrote, without your name?",
]
AFTER_V2 = [*AFTER_V1[:1], "Did your IRO listen to you?", *AFTER_V1[1:]]


def microsoft_forms(rng: random.Random) -> None:
    old = after_review_rows(rng, 1, 12, datetime(2024, 4, 8, 9), v1=True)
    write_xlsx(FEEDBACK / "exports/2024-25/after-review.xlsx", MS + AFTER_V1, old)
    # 2025-26: downloaded twice. Each download holds every response so far; by March one
    # young person had gone back and changed their answer (same ID, other answers).
    header = [*MS, "Last modified time", *AFTER_V2]
    autumn = after_review_rows(rng, 1, 7, datetime(2025, 4, 7, 9), v1=False)
    write_xlsx(FEEDBACK / "exports/2025-26/after-review-2025-10-06.xlsx", header, autumn)
    spring = [list(r) for r in autumn] + after_review_rows(
        rng, 8, 6, datetime(2025, 10, 13, 9), v1=False
    )
    spring[2][6], spring[2][5] = 2, "2025-11-02 18:20:00"
    write_xlsx(FEEDBACK / "exports/2025-26/after-review-2026-03-30.xlsx", header, spring)


def carer_csvs(rng: random.Random) -> None:
    who = ["Foster carer", "Family or friends carer", "Parent", "Residential worker"]
    went = ["The child was at the centre of the meeting", "The plan is clear"]
    header_v1 = ["Who are you?", "Overall, how was the review?", "Were your views listened to?"]
    header_v1 += ["What went well?", "What could be better?", "Can we share what you wrote?"]
    header_v1[-1] = "share"
    rows = []
    for _ in range(9):
        said = rng.choice(CARER_SAYS)
        rows.append(
            [
                rng.choice(who),
                str(rng.choice([3, 4, 4, 5])),
                str(rng.choice([2, 4, 5])),
                ";".join(rng.sample(went, rng.randint(0, 2))),
                said,
                rng.choice(["Yes", "No"]) if said else "",
            ]
        )
    rows[4][2] = "N/A"  # typed over in Excel: set aside at import, with its line
    write_csv(
        FEEDBACK / "exports/2024-25/carer.csv",
        ["Completion time", *header_v1],
        excel_dates(rows, datetime(2024, 5, 13, 10, 20), every_days=37),
        "utf-8-sig",
    )
    header = ["Who are you?", "Overall, how was the review?", "How did you take part?"]
    header += ["Did you get the invitation and papers in good time?", *header_v1[2:]]
    took = ["In the meeting, in person", "In the meeting, online", "I sent my views"]
    rows = []
    for i in range(8):
        said = rng.choice(CARER_SAYS) if i else "It’s the first review where I felt heard"
        rows.append(
            [
                rng.choice(who),
                str(rng.choice([3, 4, 5])),
                rng.choice(took),
                rng.choice(["Yes", "No"]),
                str(rng.choice([3, 4, 5])),
                ";".join(rng.sample(went, rng.randint(0, 2))),
                said,
                "No" if said else "",
            ]
        )
    # Excel's plain "CSV" is Windows-1252: imported with --encoding cp1252 (the ’ shows why).
    write_csv(
        FEEDBACK / "exports/2025-26/carer.csv",
        ["Completion time", *header],
        excel_dates(rows, datetime(2025, 4, 22, 14, 5), every_days=40),
        "cp1252",
    )


def excel_dates(rows: list[list[str]], first: datetime, every_days: int) -> list[list[str]]:
    """Each row with the day it was sent in front, as Excel writes a date in England (day
    first, no seconds): the import reads it so, and the answer counts in its own year."""
    return [
        [(first + timedelta(days=every_days * i)).strftime("%d/%m/%Y %H:%M"), *row]
        for i, row in enumerate(rows)
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue().encode(encoding))


PAPER = [
    # (year, id, form, version, received, token, answers)
    (
        "2024-25",
        "p-24a1",
        "before-4-7",
        1,
        "2024-06-11",
        None,
        {
            "home": "5",
            "school": "4",
            "come-to-review": "yes",
            "tell-us": "I like my new bed at Maggie's and I go to Anytown Academy now",
            "share": "yes",
        },
    ),  # noqa: E501
    (
        "2024-25",
        "p-24a2",
        "before-4-7",
        1,
        "2024-11-19",
        None,
        {"home": "4", "school": "2", "tell-us": "Drawing of a dog on the back", "share": "no"},
    ),  # noqa: E501
    (
        "2024-25",
        "p-24b1",
        "before-easy-read",
        1,
        "2025-01-14",
        None,
        {"home": "5", "school": "3", "come-to-review": "no"},
    ),  # noqa: E501
    (
        "2024-25",
        "p-24c1",
        "after-review-short",
        1,
        "2024-09-03",
        None,
        {"how-was-it": "4", "had-your-say": "yes", "better": "Shorter", "share": "yes"},
    ),  # noqa: E501
    (
        "2024-25",
        "p-24c2",
        "after-review-short",
        1,
        "2025-02-25",
        None,
        {"how-was-it": "3", "had-your-say": "no"},
    ),  # noqa: E501
    (
        "2025-26",
        "p-25a1",
        "before-8-12",
        2,
        "2025-05-20",
        None,
        {
            "home": "4",
            "school": "3",
            "family-time": "2",
            "take-part": ["Come to the meeting", "Write or draw something"],
            "tell-us": "I want more family time with my mum",
            "share": "no",
        },
    ),  # noqa: E501
    (
        "2025-26",
        "p-25a2",
        "before-8-12",
        3,
        "2025-12-02",
        None,
        {
            "home": "5",
            "school": "5",
            "family-time": "4",
            "take-part": ["Talk to my IRO before the meeting"],
            "share": "yes",
        },
    ),  # noqa: E501
    (
        "2025-26",
        "p-25b1",
        "before-13-plus",
        2,
        "2025-09-09",
        None,
        {
            "take-part": "Chair part of the meeting myself",
            "home": "4",
            "school": "2",
            "tell-us": "College and my part-time job",
            "not-in-front": "Stuff about my dad",
            "share": "no",
        },
    ),  # noqa: E501
    (
        "2025-26",
        "p-25c1",
        "after-review-short",
        1,
        "2025-07-15",
        None,
        {"how-was-it": "5", "had-your-say": "yes", "better": "Nothing it was good", "share": "yes"},
    ),  # noqa: E501
    (
        "2025-26",
        "p-25d1",
        "before-4-7",
        2,
        "2026-01-27",
        None,
        {"home": "3", "school": "4", "come-to-review": "yes"},
    ),  # noqa: E501
]


def paper_forms() -> None:
    for year, pid, form, version, received, tok, answers in PAPER:
        lines = [
            "# Typed in from the paper form (see `yourreview new --paper`).",
            f"id: {pid}",
            f"form: {form}",
            f"version: {version}",
            f"received: {received}",
        ]
        if tok:
            lines.append(f"token: {tok}")
        lines.append("answers:")
        for qid, value in answers.items():
            lines.append(f"  {qid}: {json.dumps(value, ensure_ascii=False)}")
        path = FEEDBACK / "paper" / year / f"{form}-{pid}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


RECEIVED = [
    # (export file, form, version, submitted, review ref for the token or None, answers)
    (
        "2025-26",
        "before-8-12",
        3,
        "2025-10-01",
        None,
        {
            "home": "4",
            "school": "4",
            "family-time": "3",
            "take-part": ["Come to the meeting"],
            "share": "no",
        },
    ),  # noqa: E501
    (
        "2025-26",
        "before-8-12",
        3,
        "2025-11-12",
        None,
        {"home": "2", "tell-us": "I don't like my school", "share": "no"},
    ),  # noqa: E501
    (
        "2025-26",
        "before-8-12",
        3,
        "2026-02-03",
        None,
        {"home": "5", "school": "4", "family-time": "5"},
    ),  # noqa: E501
    (
        "2025-26",
        "before-13-plus",
        2,
        "2025-10-21",
        None,
        {"take-part": "Talk to my IRO before it", "home": "3", "school": "3", "share": "no"},
    ),  # noqa: E501
    (
        "2025-26",
        "before-13-plus",
        2,
        "2026-03-10",
        None,
        {
            "take-part": "Come to the meeting",
            "tell-us": "Moving to my own flat in Millbrook when I'm 18 on 14 March",
            "share": "yes",
        },
    ),  # noqa: E501
    (
        "2025-26",
        "before-easy-read",
        1,
        "2025-12-09",
        None,
        {"home": "4", "school": "4", "come-to-review": "yes"},
    ),  # noqa: E501
    (
        "2025-26",
        "after-review",
        2,
        "2026-01-20",
        None,
        {"how-was-it": "4", "listened": "5", "had-your-say": "yes", "understood": "yes"},
    ),  # noqa: E501
    (
        "2025-26",
        "after-review",
        2,
        "2026-03-03",
        None,
        {
            "how-was-it": "2",
            "listened": "3",
            "had-your-say": "no",
            "better": "Ask me first who I want there",
            "share": "yes",
        },
    ),  # noqa: E501
    (
        "2025-26",
        "cicc-comments",
        1,
        "2025-11-05",
        None,
        {
            "overall": "4",
            "easy-words": "yes",
            "ready": "Yes, after the changes we ask for",
            "change": "Say family time not contact",
            "_about": ("before-8-12", "2"),
        },
    ),  # noqa: E501
    (
        "2025-26",
        "cicc-comments",
        1,
        "2026-02-11",
        None,
        {
            "overall": "5",
            "easy-words": "yes",
            "ready": "Yes, it is ready",
            "_about": ("after-review", "2"),
        },
    ),  # noqa: E501
    (
        "2026-27",
        "after-review",
        2,
        "2026-05-14",
        "AT-2026-0301",
        {
            "how-was-it": "4",
            "listened": "5",
            "had-your-say": "yes",
            "understood": "no",
            "better": "Tell me what the words mean",
            "share": "yes",
        },
    ),  # noqa: E501
    (
        "2026-27",
        "carer",
        2,
        "2026-05-15",
        "AT-2026-0301",
        {
            "who": "Foster carer",
            "how-was-it": "5",
            "took-part": "In the meeting, in person",
            "in-time": "yes",
            "listened": "5",
            "went-well": ["The child was at the centre of the meeting", "The plan is clear"],
            "share": "no",
        },
    ),  # noqa: E501
    (
        "2026-27",
        "after-review-short",
        1,
        "2026-07-23",
        "AT-2026-0455",
        {"how-was-it": "5", "had-your-say": "yes", "better": "Kai drew a rocket", "share": "no"},
    ),  # noqa: E501
    (
        "2026-27",
        "after-review",
        2,
        "2026-10-16",
        "AT-2026-0733",
        {
            "how-was-it": "3",
            "listened": "4",
            "had-your-say": "yes",
            "understood": "yes",
            "better": "It went on too long",
            "share": "no",
        },
    ),  # noqa: E501
]


def received() -> None:
    by_file: dict[str, list[str]] = {}
    for n, (year, form, version, submitted, ref, answers) in enumerate(RECEIVED, start=1):
        answers = dict(answers)
        about = answers.pop("_about", None)
        line: dict[str, object] = {
            "form_id": form,
            "form_version": version,
            "response_id": f"r-example-{n:04d}",
        }
        if ref:
            line["token"] = token(ref)
        line["submitted"] = submitted
        line["answers"] = answers
        if about:
            line["about_form"], line["about_version"] = about
        by_file.setdefault(year, []).append(json.dumps(line, ensure_ascii=False))
    for year, lines in by_file.items():
        path = FEEDBACK / "received" / f"{year}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    rng = random.Random(2026)
    microsoft_forms(rng)
    carer_csvs(rng)
    paper_forms()
    received()
    print(f"Wrote the example answers under {FEEDBACK}")


if __name__ == "__main__":
    main()
