"""Paper forms typed in: one YAML file each under feedback/paper/, declared in kinds.py
(`PaperFile`) and read through `declared.validate`.

Mistakes are located like a review record's (`file:line:col: field: what — what to write`);
`yourreview new --paper FORM-ID` writes a file to fill in, with its own id so that renaming or
moving the file never counts the form twice.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from ..declared import FileProblems, Tree, did_you_mean, validate
from ..errors import Problem, YourReviewError
from ..forms import Form, Forms
from ..yamlsafe import load_file
from .answers import Answer, Refused, check_answer, find_version
from .kinds import PaperFile, answer_value


def read_paper(path: Path, display: str, forms: Forms) -> Answer:
    """The answer typed into one paper form, or YourReviewError listing every mistake in it."""
    declared, found, problems = validate(PaperFile, load_file(path, display), display, "paper")
    form_id = declared.form if declared else str(_data(found, "form") or "")
    given = declared.version if declared else _data(found, "version")
    version = given if isinstance(given, str | int) else None
    reason = "the form cannot be read"
    if declared is not None and not problems:
        received = declared.received
        try:
            return check_answer(
                forms,
                form_id,
                version,
                {qid: list(value) for qid, value in declared.answers.items()},
                token=declared.token,
                response_id=f"paper:{declared.id}",
                submitted=received.isoformat() if received else None,
            )
        except Refused as refused:
            reason = refused.reasons[0]  # said below, one part at a time, each at its line
    _check_against_form(FileProblems(display, "paper", problems), found, forms, form_id, version)
    if not problems:  # each part passed alone: the reason is the whole form's
        hint = "see site_config/questions.yml"
        problems.append(Problem(display, 0, 0, "", reason, hint, kind="paper"))
    raise YourReviewError(problems)


def _check_against_form(
    report: FileProblems, found: Tree, forms: Forms, form_id: str, version: str | int | None
) -> None:
    """What questions.yml says of the form, its version, the token and each answer; checked
    one at a time, so every reason points at its own line, beside whatever else is wrong."""
    try:
        form = find_version(forms, form_id, version)
    except Refused as refused:
        field = "version" if "has no version" in refused.reasons[0] else "form"
        if not any(p.field == field for p in report.problems):  # "two": said already
            node = found.values.get((field,), found.values[()])
            report.error(node, field, refused.reasons[0], "see site_config/questions.yml")
        return
    token = _data(found, "token")
    if isinstance(token, str) and token.strip():
        try:
            check_answer(forms, form_id, version, {}, token=token)
        except Refused as refused:
            written = found.values.get(("token",))
            report.error(written, "token", refused.reasons[0], "copy it from the form")
    asked = tuple(q.id for q in (*form.questions, *form.retired))  # the version says which
    answers = _data(found, "answers")
    for qid, raw in answers.items() if isinstance(answers, dict) else ():
        at = ("answers", qid)
        if qid not in asked:
            suggestion = did_you_mean(qid, list(asked))
            report.error(found.keys.get(at), at, "is not a question on this form", suggestion)
        elif (value := _given(raw)) is not None:
            try:
                check_answer(forms, form_id, version, {qid: value})
            except Refused as one:
                for reason in one.reasons:
                    report.error(found.values.get(at), at, reason, _allowed(forms, form_id, qid))


def _data(found: Tree, name: str) -> object:
    return found.data.get(name) if isinstance(found.data, dict) else None


def _given(raw: object) -> list[str] | None:
    """One answer as the declaration reads it, or None when it is wrong (said already)."""
    try:
        return list(answer_value(raw))
    except ValueError:
        return None


def _allowed(forms: Forms, form_id: str, qid: str) -> str:
    form = forms.by_id(form_id)
    question = next(q for q in (*form.questions, *form.retired) if q.id == qid)
    if question.is_text:
        return "shorten it, or type the rest into another question that fits"
    words = ", ".join(f"{v} ({w})" if v != w else v for v, w in question.choices)
    return f"write one of: {words}"


def new_paper(form: Form, paper_id: str | None = None) -> str:
    """A paper form to fill in: every question, each with what may be written."""
    paper_id = paper_id or f"p-{secrets.token_hex(4)}"
    lines = [
        f"# A paper form typed in: {form.title} (version {form.version}).",
        "# Type what the person wrote; leave a question empty if they skipped it.",
        "# Then run `yourreview import feedback/paper/`. Keep the paper form until it is in.",
        f"id: {paper_id}              # this form's own number: do not change it",
        f"form: {form.id}",
        f"version: {form.version}               # the version printed at the bottom of the form",
        "# token:                 # the 16 letters after ?t= in the printed link, if there is one",
        "# received: YYYY-MM-DD   # the day the form came back",
        "answers:",
    ]
    for q in form.questions:
        if q.kind == "any-choices":
            note = "a list, e.g. [" + ", ".join(json.dumps(o) for o in q.options[:2]) + "]"
        elif q.is_text:
            note = "their words, exactly as written"
        else:
            note = " | ".join(f"{v} = {w}" if v != w else v for v, w in q.choices)
        lines.append(f"  # {q.label} ({note})")
        lines.append(f"  {q.id}:")
    return "\n".join(lines) + "\n"
