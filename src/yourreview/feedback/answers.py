"""One answer checked against its form: the one check the receiver and every import share.

An answer arrives as raw values per field (a POST, a spreadsheet row, a typed-in paper form).
`check_answer` maps each to what the online form itself sends (faces 1-5, yes/no, the option's
words) and refuses anything the form version does not allow, saying why in plain words.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache

from ..forms import Form, Forms, Question

TOKEN = re.compile(r"^[a-z2-7]{16}$")  # tokens.review_token: 16 lowercase base32 characters
# What the online form allows (templates/forms/_parts.html sets the same maxlength).
MAX_TEXT = {"short-text": 500, "long-text": 5000}
# Control characters other than newline and tab are never typed on purpose: they come from
# copy-paste and broken exports, and some make text display wrongly or hide other text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

Value = str | tuple[str, ...]  # one answer: text, or the options ticked (any-choices)


def normalise(text: str) -> str:
    """Text as stored: one kind of line ending, no control characters, Unicode NFC."""
    if text.isascii() and text.isprintable():  # most answers: nothing to do but trim
        return text.strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text)).strip()


@dataclass(frozen=True)
class Answer:
    """One person's answers to one form version. `answers` holds only questions answered."""

    form_id: str
    form_version: int
    answers: Mapping[str, Value]
    token: str | None = None
    response_id: str | None = None  # the source's own id (a forms service's ID column)
    submitted: str | None = None  # when, as the source wrote it
    extra: Mapping[str, str] = field(default_factory=dict)  # e.g. about_form for CiCC comments

    @cached_property
    def canonical(self) -> str:
        return self.answers_json()

    def answers_json(self) -> str:
        """Canonical JSON of the answers (and extra fields): equal answers, equal text."""
        data: dict[str, object] = {
            k: list(v) if isinstance(v, tuple) else v for k, v in sorted(self.answers.items())
        }
        if self.extra:
            data["_extra"] = dict(sorted(self.extra.items()))
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def answers_hash(self) -> str:
        return hashlib.sha256(self.canonical.encode("utf-8")).hexdigest()

    def key(self) -> str:
        """What makes two rows the same response: the source's id, else the answers' hash."""
        if self.response_id:
            return f"id:{self.response_id}"
        # Two children may tick the same boxes: without an id, the token tells them apart.
        seed = f"{self.token or ''}\n{self.canonical}".encode()
        return f"hash:{hashlib.sha256(seed).hexdigest()}"


class Refused(Exception):
    """An answer that cannot be taken: `status` is the HTTP status the receiver gives."""

    def __init__(self, reasons: Sequence[str], status: int = 400) -> None:
        self.reasons = tuple(reasons)
        self.status = status
        super().__init__("; ".join(reasons))


def find_version(forms: Forms, form_id: str, version: str | int | None) -> Form:
    """The approved form for this id, at any version it has had (paper printed last year still
    counts): each version is checked against the questions it asked (`since`, `until`)."""
    try:
        form = forms.by_id(form_id)
    except KeyError:
        raise Refused([f'there is no form called "{form_id}"'], 404) from None
    if not form.approved:
        raise Refused([f'the form "{form_id}" is not in use yet'], 404)
    if version is None or version == "":
        return form
    text = str(version).strip()
    if not text.isdigit() or not 1 <= int(text) <= form.version:
        raise Refused([f'"{form_id}" has no version "{text}" (1 to {form.version})'], 404)
    return form


def check_answer(
    forms: Forms,
    form_id: str,
    version: str | int | None,
    fields: Mapping[str, Sequence[str]],
    *,
    token: str | None = None,
    response_id: str | None = None,
    submitted: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> Answer:
    """The answer, or Refused listing every reason. `fields`: raw values per question id."""
    form = find_version(forms, form_id, version)
    reasons: list[str] = []
    token = normalise(token) if token else None
    if token and not TOKEN.match(token):
        reasons.append("the code from the letter is not one we made (16 letters and digits)")
    version_number = int(version) if version not in (None, "") else form.version
    submitted = _when(submitted, reasons)
    by_id = {q.id: q for q in form.questions_in(version_number)}
    answers: dict[str, Value] = {}
    for qid, raw in fields.items():
        question = by_id.get(qid)
        if question is None:
            reasons.append(f'"{qid}" is not a question on version {version_number} of this form')
            continue
        value = _value(question, [normalise(v) for v in raw if v is not None], reasons)
        if value:
            answers[qid] = value
    if reasons:
        raise Refused(reasons)
    return Answer(
        form.id, version_number, answers, token, response_id, submitted, dict(extra or {})
    )


# Excel saves a CSV with dates as this computer shows them: in England, day first.
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _when(written: str | None, reasons: list[str]) -> str | None:
    """When the answer was sent, as YYYY-MM-DD[ HH:MM:SS]: the figures count it in that day's
    year and quarter. A date that does not read is a reason to set the row aside, never a
    silent move to the day it was imported."""
    if written is None or not written.strip():
        return None
    text = written.strip()
    try:
        date.fromisoformat(text[:10])
        return text
    except ValueError:
        pass
    found = _UK_DATE.fullmatch(text)
    if found:
        day, month, year, hour, minute, second = found.groups()
        try:
            when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
            when = when.replace(second=int(second or 0))
        except ValueError:
            pass
        else:
            return when.isoformat(" ") if hour else when.date().isoformat()
    reasons.append(
        f'the date it was sent ("{text}") is not a date: write it as YYYY-MM-DD or DD/MM/YYYY'
    )
    return None


def _value(question: Question, raw: list[str], reasons: list[str]) -> Value | None:
    given = [v for v in raw if v]
    if not given:
        return None  # every question can be skipped
    label = f'"{question.label}"'
    if question.is_text:
        if len(given) > 1:
            reasons.append(f"{label} was answered more than once")
            return None
        limit = MAX_TEXT[question.kind]
        if len(given[0]) > limit:
            reasons.append(f"{label} has {len(given[0]):,} characters; at most {limit:,} fit")
            return None
        return given[0]
    if question.kind == "any-choices":
        # Microsoft Forms joins ticked options with ';' and ends with one.
        parts = [p.strip() for v in given for p in v.split(";") if p.strip()]
        picked = [_choice(question, p, reasons) for p in parts]
        if None in picked:
            return None
        ordered = [v for v in question.values if v in picked]  # the form's order, once each
        return tuple(ordered)
    if len(given) > 1:
        reasons.append(f"{label} allows one answer, and {len(given)} were given")
        return None
    return _choice(question, given[0], reasons)


@lru_cache(maxsize=256)
def _accepted(question: Question) -> dict[str, str]:
    """Each option's value and words, folded, to the value the online form sends."""
    found: dict[str, str] = {}
    for value, words in reversed(question.choices):
        found[" ".join(words.split()).casefold()] = value
    for value, words in question.also_accepted:
        found.setdefault(" ".join(words.split()).casefold(), value)
    found.update({value.casefold(): value for value in question.values})
    return found


def _choice(question: Question, raw: str, reasons: list[str]) -> str | None:
    """What the online form sends for this option: accepted as sent, or as the words shown."""
    value = _accepted(question).get(" ".join(raw.split()).casefold())
    if value is not None:
        return value
    allowed = ", ".join(question.values)
    reasons.append(f'"{question.label}": "{raw[:60]}" is not one of the answers ({allowed})')
    return None
