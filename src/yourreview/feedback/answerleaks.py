"""What the public build's leak check looks for from the answers store and feedback/: the
tokens answers carried, the sources' response ids, names, emails, phone numbers and other
identifiers typed into written answers, and the text itself of every written answer that is not
an approved quote (a run of its words found on the public site is a leak).

Each is (kind, where, value): `where` names the row (never its contents), since build logs are
often shared.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import YourReviewError
from ..forms import Forms
from . import store
from .quotes import candidate_id, published_quotes, read_quotes, stored_answers
from .redact import Redactor

WRITTEN = "written answer"
# What redaction finds that identifies someone wherever it appears. Not dates (a public page may
# well say "1 April"): the answer's own words cover a date where it was written.
IDENTIFYING = {"name": "name typed in an answer", "email": "email address", "phone": "phone number"}
IDENTIFYING |= {"postcode": "postcode", "number": "long number"}


def answer_identifiers(
    root: Path, forms: Forms, redact: Redactor
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(kind, where, value) for everything from the answers the public site must not hold; and
    the approved quotes as published, whose words are on the site by consent."""
    quotes, _ = read_quotes(root)
    approved = {q.id for q in quotes if q.status == "approved"}
    try:
        published = [words for _, words in published_quotes(root, redact)]
    except YourReviewError:
        published = []  # a quotes file that does not read publishes nothing
    found: list[tuple[str, str, str]] = []
    for answer in stored_answers(root):
        where = f"{store.STORE_FILE} (answer {answer.id})"
        key = answer.response_key
        if key.startswith("id:"):
            rid = key[3:].split(" started ", 1)[0].removeprefix("paper:")
            if len(rid) >= 6 and not rid.isdigit():  # "17" is on every page by chance
                found.append(("response id", where, rid))
        if answer.token:
            found.append(("review token", where, answer.token))
        for qid, value in json.loads(answer.answers).items():
            if not isinstance(value, str) or not _is_text(forms, answer, qid):
                continue
            if candidate_id(answer.form_id, key, qid, value) in approved:
                continue  # a person approved it: its redacted words are published by consent
            found.append((WRITTEN, where, value))
            for kind, words in redact.redact(value).found:
                if kind in IDENTIFYING:
                    found.append((IDENTIFYING[kind], where, words))
    return found, published


def _is_text(forms: Forms, answer: store.Stored, qid: str) -> bool:
    if qid.startswith("_"):
        return False  # what the source sent besides the answers
    try:
        form = forms.by_id(answer.form_id)
    except KeyError:
        return True  # a form no longer defined: its answers are read as written text
    return any(q.id == qid and q.is_text for q in form.questions_in(answer.form_version))
