"""`yourreview new`: a review record to fill in, with a comment on every field.

Given the child's previous record it carries the child's details forward and lists last time's
next steps under `last_time`, so the IRO only has to say what happened to each.
"""

from __future__ import annotations

import json
from datetime import date

from .records import Record


def q(value: str) -> str:
    """A YAML double-quoted scalar: JSON strings are valid YAML and keep every character."""
    return json.dumps(value, ensure_ascii=False)


def new_record(previous: Record | None = None, today: date | None = None, schema: str = "") -> str:
    """The record to fill in; `schema` is where its JSON Schema is, seen from the file."""
    today = today or date.today()
    p = previous
    number = p.number + 1 if p else 1
    child = (
        f"""  id: {q(p.child_id)}            # the council's child reference: never published
  name: {q(p.name)}                 # the name the child likes to be called
  date_of_birth: {p.date_of_birth.isoformat()}     # YYYY-MM-DD
  in_care_since: {p.in_care_since.isoformat()}     # YYYY-MM-DD: when the child came into care
  style: {p.requested_style}    # auto (by age) | early-years | child | young-person | easy-read"""
        if p
        else """  id: AT-C-0000               # the council's child reference: never published
  name: Firstname             # the name the child likes to be called
  date_of_birth: 2015-01-31   # YYYY-MM-DD
  in_care_since: 2026-01-31   # YYYY-MM-DD: when the child came into care
  style: auto                 # auto (by age) | early-years | child | young-person | easy-read"""
    )
    if p and p.own_words:
        child += "\n  words:                      # the child's own words, used in the letter"
        child += "".join(f"\n    {key}: {q(value)}" for key, value in p.own_words)
    iro = (
        f"""  name: {q(p.iro.name)}
  phone: {q(p.iro.phone or "")}
  email: {q(p.iro.email or "")}"""
        if p
        else """  name: Your Name
  phone: "01632 960000"
  email: your.name@council.example"""
    )
    people = (
        "\n".join(f"  - {{name: {q(x.name)}, role: {q(x.role)}}}" for x in p.people)
        if p and p.people
        else '  - {name: "Jo", role: "your foster carer"}'
    )
    if p and p.next_steps:
        last = "\n".join(
            f"  - step: {q(f'{s.who} will {s.will}')}\n"
            "    happened: not done        # done | started | not done\n"
            '    note: ""                  # optional: what happened, in a few words'
            for s in p.next_steps
        )
        last_block = (
            "\n# What we agreed last time, and what happened: update each one.\nlast_time:\n" + last
        )
    else:
        last_block = ""
    modeline = f"# yaml-language-server: $schema={schema}\n" if schema else ""
    return (
        modeline
        + f"""# A review record. Fill in every field; `yourreview check` says what is missing.
# Dates are YYYY-MM-DD. Write to the child ("You like…"), in plain words.
review:
  ref: AT-{today.year}-0000         # the council's reference for this review: never published
  date: {today.isoformat()}           # the day of the review
  number: {number}                   # 1 = the first review after coming into care
  held: in person             # in person | online | mixed
  # minutes_sent: {today.isoformat()}   # when the letter was sent (for timeliness figures)
child:
{child}
iro:
{iro}
# How the child took part: PN0 (under 4), PN1 came and spoke, PN2 came and someone spoke for
# them, PN3 came and showed their views without words, PN4 came but did not say anything,
# PN5 did not come but told someone what to say, PN6 did not come but sent their views another
# way (text, video, a form), PN7 did not come and their views were not shared.
took_part:
  code: PN1
  # how: "in a video you made"   # optional: who spoke for them (PN2, PN5) or how (PN3, PN6)
# Who came (joined: in person | online | sent their views).
people:
{people}
# What the child told you, in their words where you can.
told_me:
  - ""
going_well:
  - ""
worries:
  - ""
# What will happen next: who will do it, and by when (YYYY-MM-DD).
next_steps:
  - {{who: "", will: "", by: {today.isoformat()}}}{last_block}
# next_review: YYYY-MM-DD   # leave out to have it worked out from the review clock
"""
    )
