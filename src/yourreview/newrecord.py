"""`yourreview new`: a review record to fill in, with a comment on every field.

The fields, their comments and their examples come from the record's declaration
(kinds.RecordFile); this module only knows what to carry forward. Given the child's previous
record it carries the child's details forward and lists last time's next steps under
`last_time`, so the IRO only has to say what happened to each.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .derived import template
from .kinds import RecordFile
from .records import Record

HEADER = """\
# A review record. Fill in every field; `yourreview check` says what is missing.
# Dates are YYYY-MM-DD. Write to the child ("You like…"), in plain words.
"""


def new_record(previous: Record | None = None, today: date | None = None, schema: str = "") -> str:
    """The record to fill in; `schema` is where its JSON Schema is, seen from the file."""
    today = today or date.today()
    modeline = f"# yaml-language-server: $schema={schema}\n" if schema else ""
    lines = template(RecordFile, carried_forward(previous, today))
    return modeline + HEADER + "\n".join(lines) + "\n"


def carried_forward(p: Record | None, today: date) -> dict[str, Any]:
    """What is already known: the day, and from the previous record the child and the IRO."""
    values: dict[str, Any] = {
        "review": {
            "ref": f"AT-{today.year}-0000",
            "date": today,
            "number": p.number + 1 if p else 1,
            "held": "in person",
        },
        "took_part": {"code": "PN1"},
        "people": [{"name": "Jo", "role": "your foster carer"}],
        # Written in full, so the reply and who is helping are asked for from the start.
        "told_me": [{}],
        "worries": [{}],
        "next_steps": [{}],
    }
    if p is None:
        return values
    values["child"] = {
        "id": p.child_id,
        "name": p.name,
        "date_of_birth": p.date_of_birth,
        "in_care_since": p.in_care_since,
        "style": p.requested_style,
        "words": dict(p.own_words) or None,
    }
    values["iro"] = {"name": p.iro.name, "phone": p.iro.phone, "email": p.iro.email}
    if p.people:
        values["people"] = [{"name": x.name, "role": x.role} for x in p.people]
    if p.next_steps:
        values["last_time"] = [
            {"step": f"{s.who} will {s.will}", "happened": "not done"} for s in p.next_steps
        ]
    return values
