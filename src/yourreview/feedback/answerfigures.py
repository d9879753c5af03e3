"""Figures from the answers to the forms, per reporting year: how many answered each form online
and on paper, each question's faces or choices as counts and percentages, and how many
free-text answers touch each of the council's themes (`site_config/themes.yml`).

Pure functions over plain data (`AnswerRow`, one per answer to one question), so any store can
feed them. The text of an answer is never published: only counts. Every table goes through the
same suppression as the review figures, one system of sums per table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from ..declared import validate
from ..errors import YourReviewError, display_path
from ..forms import Form, Forms
from . import store
from .figures import Figures, ReportingYear, cell
from .kinds import ThemesFile
from .published import Publisher, Row, Table
from .settings import top_node
from .suppression import Sum, suppress

THEMES_FILE = "themes.yml"
TOTAL = "total"
AUDIENCE_WORDS = {
    "child-4-7": "ages 4 to 7",
    "child-8-12": "ages 8 to 12",
    "child-13-plus": "ages 13 and over",
    "easy-read": "easy read",
    "parent-carer": "parents and carers",
    "cicc": "the Children in Care Council",
}


def rows_from_store(root: Path) -> tuple[AnswerRow, ...]:
    """Every counted answer in the store beside mkdocs.yml, one AnswerRow per question answered
    (a conflict's second version waits for a person, so it is not counted). An answer counts in
    the quarter its source dates it (`submitted`), else the day it reached the store."""
    path = store.store_path(root)
    if not path.is_file():
        return ()  # no answers yet: reading must not create the store
    conn = store.connect(path)
    try:
        stored = store.answers(conn)
    finally:
        conn.close()
    rows = []
    for answer in stored:
        if answer.status != "counted":
            continue
        channel: Literal["online", "paper"] = (
            "paper" if answer.response_key.startswith("id:paper:") else "online"
        )
        received = answer_day(answer)
        if received is None:
            continue
        for qid, value in json.loads(answer.answers).items():
            if qid.startswith("_"):  # what the source sent besides the answers
                continue
            kept = tuple(value) if isinstance(value, list) else str(value)
            rows.append(
                AnswerRow(
                    str(answer.id),
                    answer.form_id,
                    answer.form_version,
                    qid,
                    kept,
                    channel,
                    received,
                )
            )
    return tuple(rows)


def answer_day(answer: store.Stored) -> date | None:
    """The day an answer counts on: the day its source dates it, else the day it was stored."""
    return _day(answer.submitted) or _day(answer.received_at)


def _day(text: str | None) -> date | None:
    """The date an ISO date or date-time starts with (what the receiver, paper forms and the
    importers write), or None."""
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def form_name(form: Form) -> str:
    """A form's title and who it is for: two forms may share a title."""
    who = " and ".join(AUDIENCE_WORDS.get(a, a) for a in form.audiences)
    return f"{form.title} ({who})"


@dataclass(frozen=True)
class AnswerRow:
    """One answer to one question. `response` groups the answers one person gave on one form
    (any opaque id: a store's row id); `value` is a face's number, a choice, or text."""

    response: str
    form_id: str
    version: int
    question_id: str
    value: str | tuple[str, ...]
    channel: Literal["online", "paper"]
    received: date


@dataclass(frozen=True)
class Theme:
    name: str
    keywords: tuple[str, ...]

    def pattern(self) -> re.Pattern[str]:
        words = "|".join(re.escape(k) for k in sorted(self.keywords, key=len, reverse=True))
        return re.compile(rf"\b(?:{words})\b", re.IGNORECASE)


def read_themes(path: Path, root: Path | None = None) -> tuple[Theme, ...]:
    """`site_config/themes.yml`: a list of `theme:` with `keywords:` (optional file)."""
    file = display_path(path, root)
    node = top_node(path, file)
    if node is None:
        return ()
    declared, _, problems = validate(ThemesFile, node, file, "config")
    if declared is None:
        raise YourReviewError(problems)
    return tuple(Theme(t.theme, t.keywords) for t in declared.root)


def _suppressed(values: dict[str, int], sums: list[Sum], threshold: int, exact: bool) -> Figures:
    hidden = frozenset() if exact else suppress(values, sums, threshold)
    return Figures(ReportingYear(0), values, hidden, threshold, exact)


def answer_tables(
    forms: Forms,
    answers: Iterable[AnswerRow],
    year: ReportingYear,
    themes: Sequence[Theme],
    threshold: int,
    symbol: str,
    exact: bool = False,
) -> list[Table]:
    """Every answers table of one year, suppressed, in the order the pages show them."""
    rows = [a for a in answers if year.first_day <= a.received <= year.last_day]
    tables: list[Table] = []
    for form in forms.approved:
        if form.purpose == "cicc-comment":
            continue  # the CiCC's comments on a form are for the forms' pages, not figures
        mine = [a for a in rows if a.form_id == form.id]
        if mine:
            tables.append(_channels(form, mine, threshold, symbol, exact))
            tables += _questions(form, mine, threshold, symbol, exact)
    written: dict[tuple[str, int], frozenset[str]] = {}  # per form version: asked once
    for a in rows:
        if (a.form_id, a.version) not in written:
            written[a.form_id, a.version] = _written_questions(forms, a.form_id, a.version)
    texts = [
        a
        for a in rows
        if isinstance(a.value, str) and a.question_id in written[a.form_id, a.version]
    ]
    if themes and texts:
        tables.append(_themes(themes, texts, threshold, symbol, exact))
    return tables


def _written_questions(forms: Forms, form_id: str, version: int) -> frozenset[str]:
    """The written questions of a form version whose words count in the themes: not a CiCC's
    comments (about a form, not a review), nor a form no longer defined."""
    try:
        if forms.by_id(form_id).purpose == "cicc-comment":
            return frozenset()
    except KeyError:
        return frozenset()
    return forms.text_questions(form_id, version) or frozenset()


def _channels(
    form: Form, answers: list[AnswerRow], threshold: int, symbol: str, exact: bool
) -> Table:
    online = len({a.response for a in answers if a.channel == "online"})
    paper = len({a.response for a in answers if a.channel == "paper"})
    values = {"online": online, "paper": paper, TOTAL: online + paper}
    figures = _suppressed(values, [Sum(TOTAL, ("online", "paper"))], threshold, exact)
    out = Publisher(figures, symbol)
    return Table(
        f"answered-{form.id}",
        f"{form_name(form)}: how many answered",
        ("People",),
        (
            Row("online", "Online", (out.count("online"),)),
            Row("paper", "On paper", (out.count("paper"),)),
            Row(TOTAL, "Everyone who answered", (out.count(TOTAL),)),
        ),
    )


def _questions(
    form: Form, answers: list[AnswerRow], threshold: int, symbol: str, exact: bool
) -> list[Table]:
    tables = []
    for question in form.questions:
        if not question.is_result:
            continue  # text is counted by theme; consent and asking for the IRO are not results
        given = [a for a in answers if a.question_id == question.id]
        counts = {
            value: sum(1 for a in given if value in _values(a.value))
            for value, _ in question.choices
        }
        values = {cell(v, "n"): n for v, n in counts.items()}
        people = len({a.response for a in given})
        values[cell(TOTAL, "n")] = people
        # One answer each (faces, one choice, yes or no): the choices add up to the people who
        # answered. Any-choices: a person may tick several, so there is no sum to use.
        parts = tuple(cell(v, "n") for v in counts)
        sums = [] if question.kind == "any-choices" else [Sum(cell(TOTAL, "n"), parts)]
        figures = _suppressed(values, sums, threshold, exact)
        out = Publisher(figures, symbol)
        rows = tuple(
            Row(
                value,
                words,
                (out.count(cell(value, "n")), out.percent(cell(value, "n"), [cell(TOTAL, "n")])),
            )
            for value, words in question.choices
        )
        total = Row(
            TOTAL,
            "People who answered",
            (out.count(cell(TOTAL, "n")), out.percent(cell(TOTAL, "n"), [cell(TOTAL, "n")])),
        )
        kind = "faces" if question.is_faces else "choices"
        tables.append(
            Table(
                f"{kind}-{form.id}-{question.id}",
                f"{form_name(form)}: {question.label}",
                ("People", "Out of everyone who answered"),
                (*rows, total),
                note="People could tick more than one." if question.kind == "any-choices" else "",
            )
        )
    return tables


def _values(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _themes(
    themes: Sequence[Theme], texts: list[AnswerRow], threshold: int, symbol: str, exact: bool
) -> Table:
    values = {
        cell(str(i), "n"): sum(1 for a in texts if theme.pattern().search(str(a.value)))
        for i, theme in enumerate(themes)
    }
    values[cell(TOTAL, "n")] = len(texts)
    # One answer can touch several themes: the counts do not add up to anything published.
    figures = _suppressed(values, [], threshold, exact)
    out = Publisher(figures, symbol)
    return Table(
        "themes",
        "What people wrote about",
        ("Answers",),
        (
            *(
                Row(theme.name, theme.name, (out.count(cell(str(i), "n")),))
                for i, theme in enumerate(themes)
            ),
            Row(TOTAL, "All written answers", (out.count(cell(TOTAL, "n")),)),
        ),
        note="One answer can be about more than one thing.",
    )
