"""Every kind of file a council writes, each declared once: the review record here, the
settings in configkinds.py, the files of "What you told us" (figures.yml, themes.yml,
you-said-we-did.yml, typed-in paper forms) in feedback/kinds.py, and KINDS, the list of them
all.

From each declaration come its loading and messages (declared.py), and its JSON Schema, the
file `yourreview new` writes and the README's table of fields (derived.py).

To add a kind: declare its model from the field types in fieldtypes.py (here, in
configkinds.py for a setting, or in feedback/kinds.py; a file that is a list is a RootModel of
its items), add it to KINDS with the files it is for, load it with
`declared.validate(model, node, file)` where it is read, and run `make schemas` (writes
schemas/<kind>.schema.json, .vscode/settings.json and the README's table; a test says when
you forgot).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator

from .configkinds import (  # re-exported: the stages that read them import from here
    AUDIENCES,
    CHILD_AUDIENCES,
    CONTACT_FIELDS,
    LOOPBACK,
    PURPOSES,
    QUESTION_KINDS,
    STATUSES,
    Accessibility,
    Clock,
    CouncilFile,
    Form,
    GlossaryFile,
    IroTeam,
    Question,
    QuestionsFile,
    Readability,
    Target,
)
from .derived import field_table, json_schema, with_tables
from .feedback.kinds import FiguresFile, PaperFile, ThemesFile, YouSaidFile
from .fieldtypes import (
    Date,
    OneOf,
    OptionalDate,
    OptionalText,
    OptionalWhole,
    Section,
    Text,
    Texts,
    Whole,
    field,
    none_is_empty,
    text_or,
)

__all__ = [
    "AUDIENCES",
    "CHILD_AUDIENCES",
    "CONTACT_FIELDS",
    "LOOPBACK",
    "PURPOSES",
    "QUESTION_KINDS",
    "STATUSES",
    "Accessibility",
    "Clock",
    "Form",
    "IroTeam",
    "Question",
    "Readability",
    "Target",
]

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
        "who spoke for them (PN2, PN5) or how (PN1, PN3, PN6)",
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


class Wish(Section):
    """What the child said, and your reply to it: a plain line of text is a wish with no
    reply yet."""

    wish: Text = field(
        "what the child told you or would like, in their words where you can",
        say="what the child said",
        free_text=True,
    )
    reply: OptionalText = field(
        "your answer, written to the child: what will happen, or why not yet",
        free_text=True,
        default=None,
    )
    step: OptionalWhole = field(
        "the next step that answers it: 1 for the first in next_steps", default=None
    )


class Worry(Section):
    """A worry said kindly: who is worried, and who is helping. A plain line of text is a
    worry with no one named."""

    worry: Text = field(
        'the worry, written to the child; with `who:`, written to follow "… is worried that", '
        "e.g. you have missed some school",
        say="what the worry is",
        free_text=True,
    )
    who: OptionalText = field("who is worried, e.g. Priti, or Jo and Dev", default=None)
    helping: OptionalText = field("who is helping with it, e.g. Priti", default=None)
    will: OptionalText = field(
        "what they will do to help, written to the child, e.g. come to see you every week",
        free_text=True,
        default=None,
    )


Wishes = Annotated[
    tuple[Annotated[Wish, text_or(Wish, "wish")], ...], BeforeValidator(none_is_empty)
]
Worries = Annotated[
    tuple[Annotated[Worry, text_or(Worry, "worry")], ...], BeforeValidator(none_is_empty)
]


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
    told_me: Wishes = field(
        "what the child told you, in their words: each `wish:` with a `reply:` (what will "
        "happen, or why not yet) or the `step:` that answers it",
        free_text=True,
        default=(),
    )
    in_their_words: OptionalText = field(
        "one sentence the child said, quoted exactly as they said it: only if they agreed",
        default=None,
    )
    going_well: Texts = field("what is going well", free_text=True, default=())
    worries: Worries = field(
        "what is worrying: each `worry:` with `who:` is worried, who is `helping:` and what "
        "they `will:` do",
        free_text=True,
        default=(),
    )
    next_steps: tuple[NextStep, ...] = field(
        "what will happen next: who will do it, and by when", default=()
    )
    last_time: tuple[LastTime, ...] = field("what happened to last time's next steps", default=())
    next_review: OptionalDate = field(
        "YYYY-MM-DD; leave out to have it worked out from the review clock",
        default=None,
    )


# -- quotes waiting for approval: feedback/quotes.yml (written by `yourreview import`) ---------

QUOTE_STATUSES = ("pending", "approved", "rejected")


class QuoteEntry(Section):
    id: Text = field("the quote's own id, made by the import: leave it as it is")
    status: Annotated[str, OneOf(QUOTE_STATUSES)] = field(
        "pending (waits for a person) | approved (published) | rejected",
        say="pending, approved or rejected",
    )
    form: Text = field("the form it was written on")
    year: Text = field("the reporting year it was written in, e.g. 2025-26")
    quote: Text = field(
        "the words, with names and numbers taken out; you may take out more", free_text=True
    )
    removed: Texts = field("what the import took out, for the person approving it", default=())


def _none_yet(value: object) -> object:
    """`quotes:` with nothing under it, as the file starts: no quotes yet."""
    return () if value is None or value == "" else value


class QuotesFile(Section):
    """Quotes from written answers given with consent, each waiting for a person's approval."""

    quotes: Annotated[tuple[QuoteEntry, ...], BeforeValidator(_none_yet)] = field(
        "one entry per quote", default=()
    )


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
        Kind("figures", FiguresFile, ("site_config/figures.yml",), "Small numbers"),
        Kind("themes", ThemesFile, ("site_config/themes.yml",), "Themes in written answers"),
        Kind(
            "you-said-we-did",
            YouSaidFile,
            ("site_config/you-said-we-did.yml",),
            "You said, we did",
        ),
        Kind(
            "paper",
            PaperFile,
            ("feedback/paper/**/*.yml", "feedback/paper/**/*.yaml"),
            "A paper form typed in",
        ),
        Kind("quotes", QuotesFile, ("feedback/quotes.yml",), "Quotes waiting for approval"),
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
