"""What the public build's leak check looks for from the answers store and feedback/: the
tokens answers carried, the sources' response ids, names, emails, phone numbers and other
identifiers typed into written answers (and the first name a child with no code gave, however
short), and the text itself of every written answer that is not an approved quote (a run of its
words found on the public site is a leak).

Each is (kind, where, value): `where` names the row (never its contents), since build logs are
often shared.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..forms import Forms, reach_suggested
from . import store
from .quotes import candidate_id, published_from, read_quotes, stored_answers
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
    quotes, problems = read_quotes(root)
    approved = {q.id for q in quotes if q.status == "approved"}
    # A quotes file that does not read publishes nothing (the build stops before this).
    published = [] if problems else [words for _, words in published_from(quotes, redact)]
    found: list[tuple[str, str, str]] = []
    # per form version: its written questions, and where a child with no code wrote their name
    written: dict[tuple[str, int], tuple[frozenset[str] | None, frozenset[str]]] = {}
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
            version = (answer.form_id, answer.form_version)
            if version not in written:
                written[version] = (
                    forms.text_questions(*version, reach=True),
                    forms.reach_names(*version),
                )
            texts, names = written[version]
            if not isinstance(value, str) or qid.startswith("_"):
                continue  # a choice, or what the source sent besides the answers
            if texts is not None and qid not in texts:
                continue
            if candidate_id(answer.form_id, key, qid, value) in approved:
                continue  # a person approved it: its redacted words are published by consent
            if qid in names:  # one word is enough to name a child
                found.append((IDENTIFYING["name"], where, value))
            if not reach_suggested(value):  # "ask my carer" is the hint's, on every form
                found.append((WRITTEN, where, value))
            for kind, words in redact.redact(value).found:
                if kind in IDENTIFYING:
                    found.append((IDENTIFYING[kind], where, words))
    return found, published
