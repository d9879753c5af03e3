"""The settings a council writes in site_config/: council.yml, glossary.yml, questions.yml,
each declared once (kinds.py has the review record and the list of every kind).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, PlainValidator, WithJsonSchema

from .fieldtypes import (
    Date,
    OneOf,
    OneOrMoreTexts,
    OptionalDate,
    OptionalText,
    ReadElsewhere,
    Section,
    Slug,
    Text,
    Texts,
    Whole,
    fail,
    field,
    none_is_empty,
    one_is_a_list,
    optional_text,
    whole_up_to,
)

# -- the council's settings: site_config/council.yml -------------------------------------------

# Plain http is allowed only to this computer: the browser tests post to a server on 127.0.0.1.
LOOPBACK = ("http://127.0.0.1", "http://localhost", "http://[::1]")
HTTPS = r"^https://"
ENDPOINT = r"^(https://|http://127\.0\.0\.1|http://localhost|http://\[::1\])"
# "Reachable": at least one of these, checked by the loader and (for an editor) the schema.
CONTACT_FIELDS = ("phone", "text", "email")
_REACHABLE = {"anyOf": [{"required": [name]} for name in CONTACT_FIELDS]}


class Who(Section):
    name: Text = field("the council's name", say="the council's name")
    service: Text = field("the IRO service's name", say="the service's name")
    site_url: OptionalText = field(
        "the public site's https:// address", pattern=HTTPS, default=None
    )


class IroTeam(Section, json_schema_extra=_REACHABLE):
    """How children, families and workers reach the team: at least one of phone, text, email."""

    name: OptionalText = field("the team's name", default=None)
    phone: OptionalText = field("a phone number", default=None)
    text: OptionalText = field("a number for text messages", default=None)
    email: OptionalText = field("an email address", default=None)
    web: OptionalText = field("a web address", default=None)
    hours: OptionalText = field(
        "when someone answers, e.g. Monday to Friday, 9am to 5pm", default=None
    )
    about: OptionalText = field("a sentence about the service, for children", default=None)


class Advocacy(IroTeam, json_schema_extra=_REACHABLE):
    """The advocacy service named in every letter: at least one of phone, text, email."""

    name: Text = field("the advocacy service's name", say="the advocacy service's name")


class OutOfHours(IroTeam, json_schema_extra=_REACHABLE):
    """Children's social care out of hours, on every child's thank-you page beside Childline:
    at least one of phone, text, email."""

    name: Text = field("the service's name", say="the out-of-hours service's name")


class Complaints(IroTeam, json_schema_extra=_REACHABLE):
    """The council's complaints team: a step of "If you do not agree" in every letter. At
    least one of phone, text, email."""

    name: OptionalText = field(
        "the team's name (default: the council's complaints team)", default=None
    )


class Helpline(Section):
    """A national number every letter gives. The package ships each one with the date it was
    last checked; a council that writes a number here says when it checked it."""

    name: OptionalText = field("the helpline's name", default=None)
    phone: OptionalText = field("its phone number", default=None)
    hours: OptionalText = field("when someone answers, in a few words", default=None)
    checked: OptionalDate = field(
        "when you last checked the number (YYYY-MM-DD): needed when you give a phone", default=None
    )


class Helplines(Section):
    """National helplines; leave them out to use the package's numbers (see the README)."""

    childline: Helpline | None = field(
        "Childline: in every letter and on every child's form and thank-you page", default=None
    )
    help_at_hand: Helpline | None = field(
        "the Children's Commissioner's advice line, Help at Hand: in every letter", default=None
    )


class LeakCheck(Section):
    ordinary_words: Texts = field(
        'names that are also ordinary words on your public pages (e.g. "Will")', default=()
    )


IRO_NAMES = ("redact", "keep")


class Quotes(Section):
    """What `yourreview import` takes out of a quote before a person sees it, besides the
    names in minutes/, emails, phone numbers, postcodes, dates and long numbers."""

    places: Texts = field(
        "places to take out of quotes: towns, estates, streets, parks", default=()
    )
    schools: Texts = field("schools, nurseries and colleges to take out of quotes", default=())
    iro_names: Annotated[str, OneOf(IRO_NAMES, "redact")] = field(
        "redact (the default) | keep: whether a quote may name an Independent Reviewing Officer",
        default="redact",
    )


class FormsService(Section):
    endpoint: OptionalText = field(
        "your forms service: an https:// address that accepts a form POST",
        pattern=ENDPOINT,
        default=None,
    )
    other_ways: OptionalText = field(
        "how else to answer, in a sentence (default: built from iro_team)", default=None
    )


# The clock, readability and accessibility sections are read by their own stages (clock.py,
# readability.py, statement.py), each through its declaration here (`declared.validate` with
# `at=`), adding what one field alone cannot say (statutory limits, closures on a weekend).
WORKING_DAYS = 260  # about a year: more is a typo
MONTHS = 12
# Left out, None (the default); written empty, a mistake.
WorkingDays = Annotated[
    int | None,
    PlainValidator(whole_up_to(WORKING_DAYS, "working days")),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": WORKING_DAYS}),
]
Months = Annotated[
    int | None,
    PlainValidator(whole_up_to(MONTHS, "months")),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MONTHS}),
]


def _days(default: int) -> str:
    return f"a number such as {default}, or delete the line"


class Clock(Section):
    """The review clock's limits and the council's closure days."""

    first_review_working_days: WorkingDays = field(
        "the first review, within this many working days of coming into care (20)",
        say=_days(20),
        default=None,
    )
    second_review_months: Months = field(
        "the second review, within this many months of the first (3)", say=_days(3), default=None
    )
    later_review_months: Months = field(
        "every later review, within this many months of the one before (6)",
        say=_days(6),
        default=None,
    )
    minutes_written_working_days: WorkingDays = field(
        "minutes written within this many working days of the review (15)",
        say=_days(15),
        default=None,
    )
    minutes_sent_working_days: WorkingDays = field(
        "minutes sent within this many working days of the review (20)",
        say=_days(20),
        default=None,
    )
    due_soon_working_days: WorkingDays = field(
        '"due soon" from this many working days before a deadline (10)',
        say=_days(10),
        default=None,
    )
    closures: Annotated[tuple[Date, ...], BeforeValidator(none_is_empty)] = field(
        "days the council's offices are shut (YYYY-MM-DD), besides bank holidays", default=()
    )


def _measure(value: object) -> float | None:
    raw = optional_text(value)
    if raw is None:
        return None
    try:
        number = float(raw)
    except ValueError:
        number = -1.0
    if not 0 < number < 100:
        raise fail(
            "not_a_measure",
            f'"{raw}" is not a number between 0 and 100',
            "write a number such as 15 or 11.5",
        )
    return number


Measure = Annotated[
    float | None,
    PlainValidator(_measure),
    WithJsonSchema({"type": ["number", "null"], "exclusiveMinimum": 0, "exclusiveMaximum": 100}),
]


class Target(Section):
    max_words_per_sentence: Measure = field(
        "the longest a letter's sentences should be, on average", default=None
    )
    max_reading_age: Measure = field(
        "the highest reading age (Flesch-Kincaid) a letter should need", default=None
    )


class Readability(Section):
    """Targets per letter style; the defaults are in the README."""

    early_years: Target | None = field("early-years letters", default=None, alias="early-years")
    child: Target | None = field("child letters", default=None)
    young_person: Target | None = field("young-person letters", default=None, alias="young-person")
    easy_read: Target | None = field("easy-read letters", default=None, alias="easy-read")


def _email(value: object) -> str | None:
    email = optional_text(value)
    if email is not None and ("@" not in email or any(c.isspace() for c in email)):
        raise fail(
            "not_an_email",
            f'"{email}" is not an email address',
            "write one address, e.g. accessibility@anytown.gov.uk",
        )
    return email


Email = Annotated[
    str | None,
    PlainValidator(_email),
    WithJsonSchema({"type": ["string", "null"], "pattern": r"^\S*@\S*$"}),
]


class Accessibility(Section):
    """For the accessibility statement."""

    contact_email: Email = field("where to report a problem with the site", default=None)
    contact_phone: OptionalText = field("a phone number for the same", default=None)
    last_tested: OptionalDate = field("when the site was last tested (YYYY-MM-DD)", default=None)
    tested_by: OptionalText = field("who tested it", default=None)
    known_issues: Texts = field("problems people found that are not fixed yet", default=())
    prepared: OptionalDate = field("when the statement was first prepared", default=None)
    reply_working_days: Whole | None = field(
        "how many working days you take to reply", default=None
    )


class CouncilFile(Section):
    """The council's settings: who you are, how to reach you. Everything here is public."""

    council: Who = field("who you are")
    iro_team: IroTeam = field("how to reach the IRO team")
    advocacy: Advocacy = field("the advocacy service named in every letter")
    leak_check: LeakCheck | None = field("settings for the leak check", default=None)
    quotes: Quotes | None = field(
        "what is taken out of quotes before a person approves them", default=None
    )
    forms: FormsService | None = field("where the online forms send their answers", default=None)
    clock: Annotated[object, ReadElsewhere(Clock)] = field(
        "the review clock's limits and council closure days", default=None
    )
    readability: Annotated[object, ReadElsewhere(Readability)] = field(
        "readability targets per letter style", default=None
    )
    accessibility: Annotated[object, ReadElsewhere(Accessibility)] = field(
        "for the accessibility statement", default=None
    )
    out_of_hours: OutOfHours | None = field(
        "children's social care out of hours: on every child's thank-you page", default=None
    )
    complaints: Complaints | None = field(
        "the council's complaints team: in every letter's \"If you do not agree\"", default=None
    )
    helplines: Helplines | None = field(
        "national helplines, to change a number the package gives (Childline, Help at Hand)",
        default=None,
    )


# -- words to avoid: site_config/glossary.yml --------------------------------------------------

SEVERITIES = ("warning", "error")


class Term(Section):
    avoid: OneOrMoreTexts = field(
        "the word or phrase to flag, or a list of them (plurals and possessives are caught too)",
        say="the word or phrase to avoid",
    )
    say: OneOrMoreTexts = field("what to say instead, best first", say="what to say instead")
    why: OptionalText = field("why, in a sentence the IRO sees", default=None)
    except_: OneOrMoreTexts = field(
        'phrases where the word is ordinary English ("contact me", "in case")',
        default=(),
        alias="except",
    )
    severity: Annotated[str, OneOf(SEVERITIES, "warning")] = field(
        "warning (listed for the IRO to decide) | error (stops `yourreview check`)",
        default="warning",
    )


class GlossaryFile(Section):
    """Words children have asked us not to use, and what to say instead."""

    allow_acronyms: OneOrMoreTexts = field(
        "capitals that need no explaining (UK, TV, PE, OK, GP, NHS, GCSE… are built in)",
        default=(),
    )
    severity_acronyms: Annotated[str, OneOf(SEVERITIES, "warning")] = field(
        "warning | error, for an unexplained acronym", default="warning"
    )
    terms: tuple[Term, ...] = field("the words to avoid, one term each", say="the terms")


# -- the forms: site_config/questions.yml -----------------------------------------------------

CHILD_AUDIENCES = ("child-4-7", "child-8-12", "child-13-plus", "easy-read")
AUDIENCES = (*CHILD_AUDIENCES, "parent-carer", "cicc")
PURPOSES = ("before-review", "after-review", "cicc-comment")
STATUSES = ("draft", "with-cicc", "approved")
QUESTION_KINDS = (
    "faces", "three-faces", "one-choice", "any-choices", "yes-no", "short-text", "long-text",
    "consent", "get-in-touch",
)  # fmt: skip
_AUDIENCE = {"enum": list(AUDIENCES)}
Audiences = Annotated[
    tuple[Annotated[str, OneOf(AUDIENCES)], ...],
    BeforeValidator(one_is_a_list),
    WithJsonSchema({"anyOf": [_AUDIENCE, {"type": "array", "items": _AUDIENCE}]}),
]


class Change(Section):
    version: Whole = field("the version it describes", say="the version number")
    what: Text = field("what changed, in plain words", say="what changed")


class Question(Section):
    id: Slug = field(
        "a short name: lowercase letters, digits and hyphens; answers are joined by it",
        say="a short name such as how-was-it",
    )
    kind: Annotated[str, OneOf(QUESTION_KINDS)] = field(
        "faces | three-faces | one-choice | any-choices | yes-no | short-text | long-text | "
        "consent | get-in-touch",
        say="the kind of question",
    )
    label: Text | None = field(
        "the question, in plain words (consent and get-in-touch have their own)", default=None
    )
    hint: OptionalText = field("a line of help under the question", default=None)
    options: Texts | None = field(
        "what to choose from (one-choice and any-choices), in order", default=None
    )
    faces: Texts | None = field(
        "the faces' words, worst to best: five for faces, three for three-faces", default=None
    )
    since: Whole | None = field("the first version of the form that asks it (1)", default=None)
    until: Whole | None = field(
        "the last version that asked it: a question you stop asking stays, with `until`, so "
        "answers to older versions (paper printed last year) are still read",
        default=None,
    )


class Form(Section):
    id: Slug = field("the form's address: /f/<id>/", say="a short name such as after-8-12")
    title: Text = field("the form's title", say="the form's title")
    audience: Audiences = field(
        "who it is for: child-4-7, child-8-12, child-13-plus, easy-read, parent-carer, cicc",
        say="who the form is for",
    )
    purpose: Annotated[str, OneOf(PURPOSES)] = field(
        "before-review | after-review | cicc-comment", say="what the form is for"
    )
    version: Whole = field("1, 2, 3…: raise it when the questions change", say="the version")
    status: Annotated[str, OneOf(STATUSES)] = field(
        "draft | with-cicc | approved: letters link only to approved forms", say="the status"
    )
    cicc_reviewed: OptionalDate = field(
        "when the Children in Care Council reviewed it (YYYY-MM-DD)", default=None
    )
    in_use: Whole | None = field(
        "while a new version is draft or with-cicc: the approved version children still get",
        default=None,
    )
    changes: tuple[Change, ...] = field("what changed in each version", default=())
    intro: OptionalText = field("a few words before the questions", default=None)
    external_url: OptionalText = field(
        "a forms service link with {token} where the token goes",
        pattern=r"^https://\S*\{token\}\S*$",
        default=None,
    )
    questions: tuple[Question, ...] = field("the questions, in order", say="the questions")


class QuestionsFile(Section):
    """Every form, defined once: online, on paper, and in the CiCC's area."""

    forms: tuple[Form, ...] = field("the forms", say="the forms")
