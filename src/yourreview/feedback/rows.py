"""Every shape of file as rows: each row an Answer, or the reason it is set aside.

Spreadsheets (CSV, .xlsx) map their columns to the form's questions first: an unknown, missing
or repeated column stops that file (nothing from it is imported). JSON Lines and paper forms
carry their form in each row or file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, Severity, YourReviewError
from ..forms import Form, Forms
from .answers import Answer, Refused, check_answer, find_version, normalise
from .paper import read_paper
from .tables import Sheet, decode, read_csv, read_xlsx

# Microsoft Forms' own columns, then ours; matched with case and spacing forgiven.
RESPONSE_ID = ("id", "response id", "response_id")
SUBMITTED = ("completion time", "submitted")
STARTED = ("start time",)
IGNORED = ("last modified time",)
IDENTITY = ("name", "email")  # dropped at import: nothing later ever sees them
FORM_COLUMNS = ("form_id", "form_version")
TOKEN_COLUMNS = ("token",)
NOT_IDENTITY = ("", "anonymous")  # what Microsoft Forms writes for "Anyone can respond"

Row = tuple[int, Answer | str]  # (line, the answer or why it was set aside)


def problem(
    name: str, line: int, message: str, suggestion: str, severity: Severity = Severity.ERROR
) -> Problem:
    return Problem(name, line, 0, "", message, suggestion, severity, kind="import")


def read_rows(
    fmt: str,
    path: Path,
    data: bytes,
    name: str,
    forms: Forms,
    form_id: str | None,
    encoding: str | None,
    problems: list[Problem],
) -> list[Row]:
    if fmt == "paper":
        return [(1, read_paper(path, name, forms))]
    if fmt == "jsonl":
        return _jsonl_rows(data, name, forms)
    sheet = read_xlsx(path, name) if fmt == "xlsx" else read_csv(data, name, encoding)
    return _sheet_rows(sheet, name, forms, form_id, problems)


# -- columns ------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(normalise(text).split()).casefold().rstrip("?:. ")


@dataclass(frozen=True)
class Columns:
    form: Form | None  # None when a form_id column says, row by row
    questions: dict[int, str]  # column index -> question id
    roles: dict[str, int]  # response_id, submitted, token, form_id, form_version -> index
    identity: list[int]  # Name/Email: read only to warn, never kept
    version: str = ""  # the form's version, when --form or the columns themselves say it


def _map_columns(
    headers: list[str], name: str, forms: Forms, wanted: str | None
) -> tuple[Columns | None, list[Problem]]:
    problems: list[Problem] = []
    roles: dict[str, int] = {}
    identity: list[int] = []
    rest: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, header in enumerate(headers):
        key = _fold(header)
        if key in seen:
            problems.append(
                problem(
                    name,
                    1,
                    f'column {i + 1} "{header}" repeats column {seen[key] + 1}',
                    "keep one of them: we cannot tell which answer is meant",
                )
            )
            continue
        seen[key] = i
        if key in RESPONSE_ID:
            roles["response_id"] = i
        elif key in SUBMITTED:
            roles["submitted"] = i
        elif key in STARTED:
            roles["started"] = i
        elif key in TOKEN_COLUMNS:
            roles["token"] = i
        elif key in FORM_COLUMNS:
            roles[key] = i
        elif key in IDENTITY:
            identity.append(i)
        elif key not in IGNORED and key:
            rest[i] = header
    form_name, _, version = (wanted or "").partition("@")
    if form_name:
        try:
            candidates = [find_version(forms, form_name, version or None)]
        except Refused as exc:
            return None, [problem(name, 0, f"--form: {exc.reasons[0]}", "see questions.yml")]
    elif "form_id" in roles:
        candidates = []
    else:
        candidates = [f for f in forms.approved if _fits(f, rest.values())]
    if not form_name and "form_id" not in roles and len(candidates) != 1:
        which = ", ".join(f.id for f in candidates) or "none of the forms"
        problems.append(
            problem(name, 1, f"its columns fit {which}", "say which form it is with --form FORM-ID")
        )
        return None, problems
    form = candidates[0] if candidates else None
    questions: dict[int, str] = {}
    pool = [form] if form else forms.approved
    for i, header in rest.items():
        qid = next((q for f in pool if (q := _question_for(f, header))), None)
        if qid is None:
            problems.append(
                problem(
                    name,
                    1,
                    f'column {i + 1} "{header}" is not a question on '
                    + (f'"{form.id}"' if form else "any form"),
                    "rename it to the question's id or words in questions.yml, or check --form",
                )
            )
        else:
            questions[i] = qid
    if form is not None and not version:
        # An older version's export has that version's columns: say which version it was.
        version = _version_of(form, set(questions.values()))
    if form is not None and version in ("", str(form.version)):
        for question in form.questions:
            if question.id not in questions.values():
                problems.append(
                    problem(
                        name,
                        1,
                        f'has no column for "{question.label}" ({question.id})',
                        f"export every question, or give --form {form.id}@VERSION "
                        "for an export of an older version",
                    )
                )
    if problems:
        return None, problems
    return Columns(form, questions, roles, identity, version), problems


def _question_for(form: Form, header: str) -> str | None:
    key = _fold(header)
    for q in (*form.questions, *form.retired):  # an older version's export has its own columns
        if key in (q.id, _fold(q.label)):
            return q.id
    return None


def _version_of(form: Form, asked: set[str]) -> str:
    """The newest version of the form that asked exactly these questions, or "" if none did."""
    for v in range(form.version, 0, -1):
        if asked == {q.id for q in form.questions_in(v)}:
            return str(v)
    return ""


def _fits(form: Form, headers: Iterable[str]) -> bool:
    """The columns are the questions of one version of this form, every one of them."""
    mapped = {_question_for(form, h) for h in headers}
    known = {m for m in mapped if m is not None}
    return len(known) == len(mapped) and bool(_version_of(form, known))


def _sheet_rows(
    sheet: Sheet, name: str, forms: Forms, wanted: str | None, problems: list[Problem]
) -> list[Row]:
    columns, found = _map_columns(sheet.headers, name, forms, wanted)
    if columns is None:
        raise YourReviewError(found)
    version = columns.version
    width = len(sheet.headers)
    rows: list[Row] = []
    warned = False
    for line, cells in sheet.rows:
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            rows.append((line, f"has {len(cells)} cells; the header row has {width}"))
            continue
        if not warned and any(
            cells[i].strip().casefold() not in NOT_IDENTITY for i in columns.identity
        ):
            warned = True
            problems.append(
                problem(
                    name,
                    1,
                    "has names or email addresses in its Name/Email columns: they were dropped "
                    "and are not kept anywhere",
                    'set the form to "Anyone can respond" so they are not collected',
                    Severity.WARNING,
                )
            )
        rows.append((line, _sheet_answer(forms, columns, cells, version)))
    return rows


def _sheet_answer(forms: Forms, columns: Columns, cells: list[str], version: str) -> Answer | str:
    roles = columns.roles

    def cell(role: str) -> str | None:
        return cells[roles[role]].strip() or None if role in roles else None

    form_id = columns.form.id if columns.form else cell("form_id") or ""
    response_id = cell("response_id")
    if response_id and cell("started"):
        # Each Microsoft Form numbers its responses from 1, so a new year's form repeats last
        # year's IDs; the moment a response was started never changes, even when it is edited.
        response_id = f"{response_id} started {cell('started')}"
    try:
        return check_answer(
            forms,
            form_id,
            cell("form_version") or version or None,
            {qid: [cells[i]] for i, qid in columns.questions.items()},
            token=cell("token"),
            response_id=response_id,
            submitted=cell("submitted"),
        )
    except Refused as exc:
        return "; ".join(exc.reasons)


# -- JSON Lines ---------------------------------------------------------------------------------

META = ("form_id", "form_version", "token", "response_id", "submitted", "answers")
EXTRA = ("about_form", "about_version")  # a CiCC comment says which form it is about


def _jsonl_rows(data: bytes, name: str, forms: Forms) -> list[Row]:
    text, _ = decode(data, name)
    rows: list[Row] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw.strip():
            rows.append((number, _json_answer(forms, raw)))
    return rows


def _json_answer(forms: Forms, raw: str) -> Answer | str:
    """One line: our export's shape (answers under "answers") or a POST's fields, flat."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return f"is not JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(obj, dict):
        return "is not a JSON object"
    given = obj.get("answers", {k: v for k, v in obj.items() if k not in (*META, *EXTRA)})
    if not isinstance(given, dict):
        return '"answers" is not a JSON object'
    fields: dict[str, list[str]] = {}
    for qid, value in given.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            return f'"{qid}" is not text, a number, or a list of them'
        fields[str(qid)] = [str(v) for v in values]

    def text(key: str) -> str | None:
        value = obj.get(key)
        return str(value) if isinstance(value, str | int) and str(value) else None

    try:
        return check_answer(
            forms,
            text("form_id") or "",
            text("form_version"),
            fields,
            token=text("token"),
            response_id=text("response_id"),
            submitted=text("submitted"),
            extra={k: str(obj[k]) for k in EXTRA if k in obj},
        )
    except Refused as exc:
        return "; ".join(exc.reasons)
