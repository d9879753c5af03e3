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

from ..declared import Loc, Tree, did_you_mean, validate
from ..declared import path as path_of
from ..errors import Problem, YourReviewError
from ..forms import Form, Forms
from ..yamlsafe import load_file
from .answers import Answer, Refused, check_answer
from .kinds import PaperFile


def read_paper(path: Path, display: str, forms: Forms) -> Answer:
    """The answer typed into one paper form, or YourReviewError listing every mistake in it."""
    declared, found, problems = validate(PaperFile, load_file(path, display), display, "paper")

    def error(at: Loc, message: str, suggestion: str, key: bool = False) -> None:
        node = (found.keys if key else found.values).get(at) or found.values.get(at[:1])
        line, column = (node.line, node.column) if node is not None else (0, 0)
        problems.append(
            Problem(display, line, column, path_of(at), message, suggestion, kind="paper")
        )

    # Which questions a form has is in questions.yml, not in the declaration: checked here.
    form_id = declared.form if declared else str(_data(found, "form") or "")
    asked = _question_ids(forms, form_id)
    answers = found.data.get("answers") if isinstance(found.data, dict) else None
    for qid in answers if isinstance(answers, dict) and asked else ():
        if qid not in asked:
            error(
                ("answers", qid),
                "is not a question on this form",
                did_you_mean(qid, list(asked)),
                True,
            )
    if declared is None or problems:
        raise YourReviewError(problems)
    fields = {qid: list(value) for qid, value in declared.answers.items()}
    received = declared.received
    try:
        answer = check_answer(
            forms,
            form_id,
            declared.version,
            fields,
            token=declared.token,
            response_id=f"paper:{declared.id}",
            submitted=received.isoformat() if received else None,
        )
    except Refused as refused:
        # Say where: check each answer alone so every reason points at its own line.
        for qid, raw in fields.items() if asked else ():  # an unknown form: said below
            try:
                check_answer(forms, form_id, declared.version, {qid: raw})
            except Refused as one:
                for reason in one.reasons:
                    error(("answers", qid), reason, _allowed(forms, form_id, qid))
        if declared.token and not problems:
            error(("token",), refused.reasons[0], "copy it from the form")
        if not problems:
            field = "form" if refused.status == 404 else "version"
            error((field,), refused.reasons[0], "see site_config/questions.yml")
        raise YourReviewError(problems) from None
    return answer


def _data(found: Tree, name: str) -> object:
    return found.data.get(name) if isinstance(found.data, dict) else None


def _question_ids(forms: Forms, form_id: str) -> tuple[str, ...]:
    try:
        form = forms.by_id(form_id)
        return tuple(q.id for q in (*form.questions, *form.retired))  # the version says which
    except KeyError:
        return ()


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
