"""What the internal site shows of the store: answers joined to reviews by token, the answers
per form and version, what was set aside and why, conflicts to resolve, and everyone who asked
their IRO to get in touch (so nobody who asks is missed).

Answers are read here as data; the templates escape every word of them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..forms import Form, Forms, asks_for_iro
from . import store


@dataclass(frozen=True)
class Shown:
    """One stored answer in words: each question's label and the answer as the person saw it."""

    stored: store.Stored
    form_title: str
    lines: tuple[tuple[str, str], ...]  # (question, answer)
    asks_for_iro: bool = False  # said yes to a get-in-touch question
    reach: tuple[tuple[str, str], ...] = ()  # who they said they are and how to reach them


@dataclass(frozen=True)
class Overview:
    shown: tuple[Shown, ...]
    counts: tuple[tuple[str, int, int, int], ...]  # (form id, version, counted, conflicts)
    set_aside: tuple[tuple[str, int, str], ...]
    conflicts: tuple[tuple[Shown, Shown | None], ...]  # (the newer, the older one counted)
    exists: bool

    def for_token(self, token: str) -> list[Shown]:
        return list(self._counted_by_token.get(token, ()))

    @cached_property
    def _counted_by_token(self) -> dict[str | None, list[Shown]]:
        # Each letter's page asks for its review's answers: one pass, not one per letter.
        return _by_token(s for s in self.shown if s.stored.status == "counted")

    @cached_property
    def _asked_by_token(self) -> dict[str | None, list[Shown]]:
        return _by_token(self.asked_for_iro)

    @cached_property
    def asked_for_iro(self) -> tuple[Shown, ...]:
        """Every answer that asks the IRO to get in touch, newest first: a conflict's too,
        since a person waiting for a reply must not wait for the conflict to be resolved."""
        asked = [s for s in self.shown if s.asks_for_iro]
        return tuple(sorted(asked, key=lambda s: s.stored.received_at, reverse=True))

    @property
    def asked_with_code(self) -> tuple[Shown, ...]:
        return tuple(s for s in self.asked_for_iro if s.stored.token)

    @property
    def asked_without_code(self) -> tuple[Shown, ...]:
        """Asks no review can be joined to: only what they wrote says who to get in touch with."""
        return tuple(s for s in self.asked_for_iro if not s.stored.token)

    def asked_for_iro_by(self, token: str) -> list[Shown]:
        return list(self._asked_by_token.get(token, ()))


def _by_token(answers: Iterable[Shown]) -> dict[str | None, list[Shown]]:
    """The answers grouped by their review's token, each group in the order given."""
    grouped: dict[str | None, list[Shown]] = {}
    for answer in answers:
        grouped.setdefault(answer.stored.token, []).append(answer)
    return grouped


def read_overview(root: Path, forms: Forms) -> Overview:
    path = store.store_path(root)
    if not path.exists():  # never create a store just to show that it is empty
        return Overview((), (), (), (), False)
    conn = store.connect(path)
    try:
        rows, aside = store.answers(conn), store.set_aside_rows(conn)
    finally:
        conn.close()
    shown = tuple(describe(forms, r) for r in rows)
    tally: Counter[tuple[str, int, str]] = Counter(
        (r.form_id, r.form_version, r.status) for r in rows
    )
    keys = sorted({(f, v) for f, v, _ in tally})
    counts = tuple((f, v, tally[(f, v, "counted")], tally[(f, v, "conflict")]) for f, v in keys)
    counted = {
        (s.stored.form_id, s.stored.response_key): s for s in shown if s.stored.status == "counted"
    }
    conflicts = tuple(
        (s, counted.get((s.stored.form_id, s.stored.response_key)))
        for s in shown
        if s.stored.status == "conflict"
    )
    return Overview(shown, counts, tuple(aside), conflicts, True)


def describe(forms: Forms, row: store.Stored) -> Shown:
    answers = json.loads(row.answers)
    extra = answers.pop("_extra", {})
    try:
        form: Form | None = forms.by_id(row.form_id)
    except KeyError:
        form = None
    lines: list[tuple[str, str]] = []
    reach: list[tuple[str, str]] = []
    # In the words of the version answered; the newest version knows every question asked.
    asked = form.newest.questions_in(row.form_version) if form else ()
    questions = {q.id: q for q in asked}
    order = list(questions)
    asks = asks_for_iro(asked, answers)
    for qid, value in sorted(answers.items(), key=lambda kv: _position(order, kv[0])):
        question = questions.get(qid)
        words = dict(question.choices) if question else {}
        values = value if isinstance(value, list) else [value]
        line = (
            question.label if question else qid,
            "; ".join(str(words.get(v, v)) for v in values),
        )
        lines.append(line)
        if question and question.reach_for:
            reach.append(line)
    if extra.get("about_form"):
        lines.insert(
            0,
            (
                "About the form",
                f"{extra['about_form']} (version {extra.get('about_version', '?')})",
            ),
        )
    title = form.title if form else row.form_id
    return Shown(row, title, tuple(lines), asks, tuple(reach))


def _position(order: list[str], qid: str) -> int:
    """Where a question comes on its form; one no longer on it goes last."""
    return order.index(qid) if qid in order else len(order)
