"""feedback/quotes.yml: written answers that may be quoted, each waiting for a person's yes.

A written answer is a candidate only when the same answer said yes to its form's consent
question (`forms.consent_given`). `update_quotes` adds each new candidate as `pending`,
redacted, with what was taken out beside it. It never changes or drops what a person wrote in
the file: new entries are appended to the file's own text (comments and all), the file is
replaced atomically, and only if nobody saved it in the meantime. Only `approved` quotes are
published, on the page of the year they were written in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..council import Council
from ..declared import validate
from ..errors import Problem, YourReviewError, display_path
from ..forms import Forms, consent_given
from ..kinds import QUOTE_STATUSES, QuotesFile
from ..records import Minutes
from ..yamlsafe import parse_text
from . import store
from .answerfigures import answer_day
from .figures import ReportingYear
from .importer import atomic_write
from .redact import Redactor, redactor

QUOTES_FILE = "quotes.yml"  # under feedback/
HEADER = """\
# Quotes from written answers whose writers said yes to sharing them, without their name.
# `yourreview import` adds new ones as `pending`, with what it took out (`removed`), and never
# changes what you write here. Read each quote and what was removed: set `status: approved` to
# publish it on its year's page, or `status: rejected`. You may take more out of `quote`.
quotes:
"""


@dataclass(frozen=True)
class Candidate:
    id: str
    form_id: str
    year: str  # the reporting year it was written in, e.g. 2025-26
    text: str  # as the person wrote it


@dataclass(frozen=True)
class Quote:
    id: str
    status: str
    form_id: str
    year: str
    text: str
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Update:
    added: int
    quotes: tuple[Quote, ...]
    problems: tuple[Problem, ...] = ()


def quotes_path(root: Path) -> Path:
    return root / "feedback" / QUOTES_FILE


def quote_redactor(minutes: Minutes, council: Council) -> Redactor:
    """Every name in the records (children, the people at their reviews and, unless the
    council keeps them, the IROs), and the places and schools council.yml lists."""
    rules = council.quotes
    names = [n for r in minutes.records for n in (r.name, *(p.name for p in r.people))]
    if not rules.keep_iro_names:
        names += [r.iro.name for r in minutes.records]
    return redactor(names, rules.places, rules.schools, council.ordinary_words)


def candidates(forms: Forms, stored: Iterable[store.Stored]) -> list[Candidate]:
    """Every written answer given with consent, from the answers counted."""
    found = []
    for answer in stored:
        if answer.status != "counted":
            continue
        try:
            form = forms.by_id(answer.form_id)
        except KeyError:
            continue
        asked = form.questions_in(answer.form_version)
        values = json.loads(answer.answers)
        if not any(q.kind == "consent" and consent_given(values.get(q.id)) for q in asked):
            continue
        day = answer_day(answer)
        if day is None:
            continue
        for q in asked:
            text = values.get(q.id)
            # How a child said to reach them is for the IRO team alone: never a quote.
            if q.is_text and not q.reach_for and isinstance(text, str) and text.strip():
                digest = candidate_id(form.id, answer.response_key, q.id, text)
                found.append(Candidate(digest, form.id, ReportingYear.of(day).label, text))
    return found


def stored_answers(root: Path) -> list[store.Stored]:
    path = store.store_path(root)
    if not path.is_file():
        return []  # reading must never create the store
    conn = store.connect(path)
    try:
        return store.answers(conn)
    finally:
        conn.close()


def read_quotes(root: Path) -> tuple[tuple[Quote, ...], list[Problem]]:
    """The quotes in feedback/quotes.yml (none if there is no file), or every problem in it."""
    path = quotes_path(root)
    if not path.is_file():
        return (), []
    return _parse(path.read_bytes(), display_path(path, root))


def published_quotes(root: Path, redact: Redactor) -> list[tuple[str, str]]:
    """(reporting year, words) of each quote a person approved, redacted again with today's
    names (one added to minutes/ since it was approved is still taken out); YourReviewError
    if the file does not read."""
    quotes, problems = read_quotes(root)
    if problems:
        raise YourReviewError(problems)
    return published_from(quotes, redact)


def published_from(quotes: Iterable[Quote], redact: Redactor) -> list[tuple[str, str]]:
    return [(q.year, redact.redact(q.text).text) for q in quotes if q.status == "approved"]


def candidate_id(form_id: str, response_key: str, question_id: str, text: str) -> str:
    """A quote's id: the same answer gives the same id on every run (and an edited answer a
    new one)."""
    seed = f"{form_id}\n{response_key}\n{question_id}\n{text}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:12]


def update_quotes(root: Path, forms: Forms, redact: Redactor) -> Update:
    """Add every new candidate in the store to feedback/quotes.yml as `pending`."""
    path = quotes_path(root)
    display = display_path(path, root)
    before = path.read_bytes() if path.is_file() else None
    quotes, problems = _parse(before, display) if before is not None else ((), [])
    if problems:
        return Update(0, (), tuple(problems))  # a person's file that does not read: left alone
    known = {q.id for q in quotes}
    new = []
    for c in candidates(forms, stored_answers(root)):
        if c.id not in known:
            known.add(c.id)
            done = redact.redact(c.text)
            new.append(Quote(c.id, "pending", c.form_id, c.year, done.text, done.removed))
    if not new:
        return Update(0, quotes)
    text = before.decode("utf-8-sig") if before is not None else HEADER
    appended = _ends_with_newline(text) + "".join(_entry(q) for q in new)
    read_back, trouble = _parse(appended.encode("utf-8"), display)
    if trouble or [q.id for q in read_back] != [*(q.id for q in quotes), *(q.id for q in new)]:
        # The file's end is not the list we write (e.g. `quotes: []`): write it afresh, every
        # entry a person edited kept as they left it.
        appended = HEADER + "".join(_entry(q) for q in (*quotes, *new))
    _replace_if_unchanged(path, before, appended.encode("utf-8"), display)
    return Update(len(new), (*quotes, *new))


def _ends_with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _entry(q: Quote) -> str:
    def quoted(value: str) -> str:  # a JSON string is a YAML double-quoted scalar
        return json.dumps(value, ensure_ascii=False)

    removed = ", ".join(quoted(r) for r in q.removed)
    return (
        f"  - id: {q.id}\n"
        f"    status: {q.status}\n"
        f"    form: {q.form_id}\n"
        f"    year: {q.year}\n"
        f"    quote: {quoted(q.text)}\n"
        f"    removed: [{removed}]\n"
    )


# The pages and the leak check each read the file in one build: parsed once per content.
_PARSED: dict[tuple[str, str], tuple[tuple[Quote, ...], tuple[Problem, ...]]] = {}


def _parse(data: bytes, display: str) -> tuple[tuple[Quote, ...], list[Problem]]:
    key = (display, hashlib.sha256(data).hexdigest())
    if key not in _PARSED:
        found, problems = _parse_once(data, display)
        _PARSED.clear()  # one file's worth kept: the last one read
        _PARSED[key] = (found, tuple(problems))
    quotes, kept = _PARSED[key]
    return quotes, list(kept)


def _parse_once(data: bytes, display: str) -> tuple[tuple[Quote, ...], list[Problem]]:
    try:
        node = parse_text(data.decode("utf-8-sig"), display)
    except UnicodeDecodeError:
        problem = Problem(display, 0, 0, "", "is not UTF-8 text", "save it as UTF-8", kind="quotes")
        return (), [problem]
    except YourReviewError as exc:
        return (), list(exc.problems)
    model, _, problems = validate(QuotesFile, node, display, "quotes")
    if model is None:
        return (), problems
    quotes = tuple(
        Quote(q.id, q.status, q.form, q.year, q.quote, tuple(q.removed)) for q in model.quotes
    )
    seen: set[str] = set()
    for i, q in enumerate(quotes):
        if q.id in seen:
            problems.append(
                Problem(
                    display,
                    0,
                    0,
                    f"quotes[{i}].id",
                    f'"{q.id}" is listed twice',
                    "keep one entry for each id",
                    kind="quotes",
                )
            )
        seen.add(q.id)
    assert set(QUOTE_STATUSES) >= {q.status for q in quotes}
    return quotes, problems


def _replace_if_unchanged(path: Path, before: bytes | None, data: bytes, display: str) -> None:
    """Replace the file atomically, but only if it still holds what we read: a person who saved
    it meanwhile keeps what they saved."""

    def unchanged() -> None:
        if (path.read_bytes() if path.is_file() else None) != before:
            raise YourReviewError(
                [
                    Problem(
                        display,
                        0,
                        0,
                        "",
                        "changed while new quotes were being added",
                        "save it, then run `yourreview quotes` again",
                        kind="quotes",
                    )
                ]
            )

    atomic_write(path, data, unchanged)
