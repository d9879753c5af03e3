"""Paper forms typed in: one YAML file each under feedback/paper/, read by the strict loader.

Mistakes are located like a review record's (`file:line:col: field: what — what to write`);
`yourreview new --paper FORM-ID` writes a file to fill in, with its own id so that renaming or
moving the file never counts the form twice.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from ..errors import YourReviewError
from ..forms import Form, Forms
from ..schema import Reader
from ..yamlsafe import Sequence, load_file
from .answers import Answer, Refused, check_answer

FIELDS = ("id", "form", "answers")
OPTIONAL = ("version", "token", "received")


def read_paper(path: Path, display: str, forms: Forms) -> Answer:
    """The answer typed into one paper form, or YourReviewError listing every mistake in it."""
    reader = Reader(display, kind="paper")
    top = reader.fields(load_file(path, display), "", FIELDS, OPTIONAL)
    if top is None:
        raise YourReviewError(reader.problems)
    paper_id = reader.text(top.get("id"), "id", required=True)
    form_id = reader.text(top.get("form"), "form", required=True) or ""
    version = reader.integer(top.get("version"), "version", minimum=1)
    token = reader.text(top.get("token"), "token")
    received = reader.date(top.get("received"), "received")
    fields: dict[str, list[str]] = {}
    answers = top.get("answers")
    found = reader.fields(answers, "answers", optional=_question_ids(forms, form_id))
    for qid, node in (found or {}).items():
        if isinstance(node, Sequence):
            fields[qid] = [reader.text(item, f"answers.{qid}") or "" for item in node.items]
        else:
            fields[qid] = [reader.text(node, f"answers.{qid}") or ""]
    if not reader.ok or not paper_id:
        raise YourReviewError(reader.problems)
    try:
        answer = check_answer(
            forms,
            form_id,
            version,
            fields,
            token=token,
            response_id=f"paper:{paper_id}",
            submitted=received.isoformat() if received else None,
        )
    except Refused as refused:
        # Say where: check each answer alone so every reason points at its own line.
        for qid, raw in fields.items():
            at = (found or {}).get(qid)
            try:
                check_answer(forms, form_id, version, {qid: raw})
            except Refused as one:
                for reason in one.reasons:
                    reader.error(at, f"answers.{qid}", reason, _allowed(forms, form_id, qid))
        if token and reader.ok:
            reader.error(top.get("token"), "token", refused.reasons[0], "copy it from the form")
        if reader.ok:
            field = "form" if refused.status == 404 else "version"
            reader.error(top.get(field), field, refused.reasons[0], "see site_config/questions.yml")
        raise YourReviewError(reader.problems) from None
    return answer


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
