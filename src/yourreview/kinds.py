"""Every kind of file a council writes, each declared once (see declared.py for what follows).

To add a kind (the feedback settings, paper answers…): declare its model here from the field
types in declared.py, add it to KINDS with the file pattern it is for, run `make schemas`
(writes schemas/<kind>.schema.json, .vscode/settings.json and the README's table), and load it
with `declared.validate(model, node, file)` where it is read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, WithJsonSchema

from .declared import (
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
    field,
    field_table,
    json_schema,
    one_is_a_list,
    with_tables,
)

# -- a review record: minutes/**/*.yml ----------------------------------------------------------

STYLES = ("early-years", "child", "young-person", "easy-read")
STYLE_CHOICES = ("auto", *STYLES)
HELD = ("in person", "online", "mixed")
JOINED = ("in person", "online", "sent their views")
HAPPENED = ("done", "started", "not done")
PN_CODES = tuple(f"PN{n}" for n in range(8))
OWN_WORDS = ("review", "home", "family time")  # words a child may choose for the letter


class Review(Section):
    """The review itself."""

    ref: Text = field(
        "the council's reference for this review: never published",
        say="this review's reference, e.g. AT-2026-0412",
        example="AT-{year}-0000",
        placeholder=r"AT-\d{4}-0000",
    )
    date: Date = field("the day of the review (YYYY-MM-DD)", say="the day of the review")
    number: Whole = field(
        "1 = the first review after coming into care", say="which review this is: 1, 2, 3…"
    )
    held: Annotated[str, OneOf(HELD, "in person")] = field(
        "in person | online | mixed", default="in person"
    )
    minutes_sent: OptionalDate = field("when the letter was sent (YYYY-MM-DD)", default=None)


class OwnWords(Section):
    """The child's own words, used in the letter instead of ours."""

    review: OptionalText = field("what the child calls their review", default=None)
    home: OptionalText = field("what the child calls home", default=None)
    family_time: OptionalText = field(
        "what the child calls family time", default=None, alias="family time"
    )


class Child(Section):
    """The child the letter is written to."""

    id: Text = field(
        "the council's child reference: joins a child's reviews, never published",
        say="the child's reference, e.g. AT-C-1042",
        example="AT-C-0000",
        placeholder=r"AT-C-0000",
    )
    name: Text = field(
        "the name the child likes to be called",
        say="the name the child likes to be called",
        example="Firstname",
        placeholder="Firstname",
    )
    date_of_birth: Date = field(
        "the child's date of birth (YYYY-MM-DD)", say="the child's date of birth, YYYY-MM-DD"
    )
    in_care_since: Date = field(
        "when the child came into care (YYYY-MM-DD)", say="the day the child came into care"
    )
    style: Annotated[str, OneOf(STYLE_CHOICES, "auto")] = field(
        "auto (by age) | early-years | child | young-person | easy-read", default="auto"
    )
    words: OwnWords | None = field("the child's own words: review, home, family time", default=None)


class Iro(Section):
    """The Independent Reviewing Officer who writes the letter."""

    name: Text = field(
        "your name, as the child knows you",
        say="your name",
        example="Your Name",
        placeholder="Your Name",
    )
    phone: OptionalText = field(
        "a number the child can call or text you on",
        example="01632 960999",
        placeholder="01632 960999",
        default=None,
    )
    email: OptionalText = field(
        "your work email",
        example="your.name@council.example",
        placeholder=r"your\.name@council\.example",
        default=None,
    )


class TookPart(Section):
    """How the child took part: PN0 (under 4), PN1 came and spoke, PN2 came and someone spoke
    for them, PN3 came and showed their views without words, PN4 came but did not say
    anything, PN5 did not come but told someone what to say, PN6 did not come but sent their
    views another way (text, video, a form), PN7 did not come and their views were not
    shared."""

    code: Annotated[str, OneOf(PN_CODES)] = field(
        "PN0 to PN7", say="the code, PN0 to PN7", example="PN1"
    )
    how: OptionalText = field(
        "who spoke for them (PN2, PN5) or how (PN3, PN6)",
        free_text=True,
        default=None,
    )


class Person(Section):
    name: Text = field("their name", say="their name")
    role: Text = field(
        "who they are to the child, e.g. your foster carer", say="who they are", free_text=True
    )
    joined: Annotated[str, OneOf(JOINED, "in person")] = field(
        "in person | online | sent their views", default="in person"
    )


class NextStep(Section):
    who: Text = field("who will do it", say="who will do it, e.g. Jo")
    will: Text = field(
        "what they will do, written to the child", say="what they will do", free_text=True
    )
    by: Date = field("by when (YYYY-MM-DD)", say="the date it will be done by, YYYY-MM-DD")


class LastTime(Section):
    step: Text = field("what was agreed last time", say="what was agreed", free_text=True)
    happened: Annotated[str, OneOf(HAPPENED)] = field(
        "done | started | not done", say="done, started or not done", example="not done"
    )
    note: OptionalText = field("what happened, in a few words", free_text=True, default=None)


class RecordFile(Section):
    """A review record: one file per review in minutes/, written to the child."""

    review: Review = field("the review itself")
    child: Child = field("the child the letter is written to")
    iro: Iro = field("the Independent Reviewing Officer")
    took_part: TookPart = field("how the child took part (PN0 to PN7)")
    people: tuple[Person, ...] = field(
        "who came (joined: in person | online | sent their views)", default=()
    )
    told_me: Texts = field(
        "what the child told you, in their words where you can", free_text=True, default=()
    )
    going_well: Texts = field("what is going well", free_text=True, default=())
    worries: Texts = field("what is worrying", free_text=True, default=())
    next_steps: tuple[NextStep, ...] = field(
        "what will happen next: who will do it, and by when", default=()
    )
    last_time: tuple[LastTime, ...] = field("what happened to last time's next steps", default=())
    next_review: OptionalDate = field(
        "YYYY-MM-DD; leave out to have it worked out from the review clock",
        default=None,
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


class LeakCheck(Section):
    ordinary_words: Texts = field(
        'names that are also ordinary words on your public pages (e.g. "Will")', default=()
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
# readability.py, statement.py), which check them and say what is wrong; these declarations
# give the editor and the README the same fields (test_schema holds the two together).
PositiveNumber = Annotated[object, WithJsonSchema({"type": "integer", "minimum": 1})]


class Clock(Section):
    """The review clock's limits and the council's closure days."""

    first_review_working_days: PositiveNumber = field(
        "the first review, within this many working days of coming into care (20)", default=None
    )
    second_review_months: PositiveNumber = field(
        "the second review, within this many months of the first (3)", default=None
    )
    later_review_months: PositiveNumber = field(
        "every later review, within this many months of the one before (6)", default=None
    )
    minutes_written_working_days: PositiveNumber = field(
        "minutes written within this many working days of the review (15)", default=None
    )
    minutes_sent_working_days: PositiveNumber = field(
        "minutes sent within this many working days of the review (20)", default=None
    )
    due_soon_working_days: PositiveNumber = field(
        '"due soon" from this many working days before a deadline (10)', default=None
    )
    closures: tuple[Date, ...] = field(
        "days the council's offices are shut (YYYY-MM-DD), besides bank holidays", default=()
    )


class Target(Section):
    max_words_per_sentence: Annotated[object, WithJsonSchema({"type": "number"})] = field(
        "the longest a letter's sentences should be, on average", default=None
    )
    max_reading_age: Annotated[object, WithJsonSchema({"type": "number"})] = field(
        "the highest reading age (Flesch-Kincaid) a letter should need", default=None
    )


class Readability(Section):
    """Targets per letter style; the defaults are in the README."""

    early_years: Target | None = field("early-years letters", default=None, alias="early-years")
    child: Target | None = field("child letters", default=None)
    young_person: Target | None = field("young-person letters", default=None, alias="young-person")
    easy_read: Target | None = field("easy-read letters", default=None, alias="easy-read")


class Accessibility(Section):
    """For the accessibility statement."""

    contact_email: OptionalText = field("where to report a problem with the site", default=None)
    contact_phone: OptionalText = field("a phone number for the same", default=None)
    last_tested: OptionalDate = field("when the site was last tested (YYYY-MM-DD)", default=None)
    tested_by: OptionalText = field("who tested it", default=None)
    known_issues: Texts = field("problems people found that are not fixed yet", default=())
    prepared: OptionalDate = field("when the statement was first prepared", default=None)
    reply_working_days: PositiveNumber = field(
        "how many working days you take to reply", default=None
    )


class CouncilFile(Section):
    """The council's settings: who you are, how to reach you. Everything here is public."""

    council: Who = field("who you are")
    iro_team: IroTeam = field("how to reach the IRO team")
    advocacy: Advocacy = field("the advocacy service named in every letter")
    leak_check: LeakCheck | None = field("settings for the leak check", default=None)
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
    "faces", "one-choice", "any-choices", "yes-no", "short-text", "long-text", "consent",
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
        "faces | one-choice | any-choices | yes-no | short-text | long-text | consent",
        say="the kind of question",
    )
    label: Text | None = field("the question, in plain words (consent has its own)", default=None)
    hint: OptionalText = field("a line of help under the question", default=None)
    options: Texts | None = field(
        "what to choose from (one-choice and any-choices), in order", default=None
    )
    faces: Texts | None = field("five words for the faces, worst to best", default=None)


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


# -- the registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str  # `yourreview schema NAME`, schemas/NAME.schema.json
    model: type[BaseModel]
    files: tuple[str, ...]  # the files it is for, as VS Code's yaml.schemas globs them
    title: str

    @property
    def schema_file(self) -> str:
        return f"{SCHEMAS_DIR}/{self.name}.schema.json"

    def json_schema(self) -> str:
        return json.dumps(json_schema(self.model, self.title), indent=2, ensure_ascii=False) + "\n"


SCHEMAS_DIR = "schemas"
VSCODE_SETTINGS = ".vscode/settings.json"


KINDS = {
    kind.name: kind
    for kind in (
        Kind("record", RecordFile, ("minutes/**/*.yml", "minutes/**/*.yaml"), "A review record"),
        Kind("council", CouncilFile, ("site_config/council.yml",), "The council's settings"),
        Kind("questions", QuestionsFile, ("site_config/questions.yml",), "The forms"),
        Kind("glossary", GlossaryFile, ("site_config/glossary.yml",), "Words to avoid"),
    )
}


def vscode_settings(existing: str = "") -> str:
    """.vscode/settings.json with `yaml.schemas` mapping each file to its schema; any other
    setting a council keeps there stays as it was."""
    settings = json.loads(existing) if existing.strip() else {}
    settings["yaml.schemas"] = {f"./{k.schema_file}": list(k.files) for k in KINDS.values()}
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Every kind's JSON Schema into schemas/, and the editor's map of files to schemas."""
    written = []
    for kind in KINDS.values():
        target = root / kind.schema_file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(kind.json_schema(), encoding="utf-8")
        written.append(target)
    settings = root / VSCODE_SETTINGS
    old = settings.read_text(encoding="utf-8") if settings.exists() else ""
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(vscode_settings(old), encoding="utf-8")
    written.append(settings)
    readme = root / "README.md"
    if readme.exists() and "<!-- fields: " in (text := readme.read_text(encoding="utf-8")):
        readme.write_text(readme_tables(text), encoding="utf-8")
        written.append(readme)
    return written


def readme_tables(text: str) -> str:
    """The README with each kind's table of fields made afresh from its declaration."""
    return with_tables(text, {k.name: field_table(k.model) for k in KINDS.values()})
