"""The files of "What you told us", each declared once: site_config/figures.yml, themes.yml and
you-said-we-did.yml (the council's settings), and the paper forms typed in under
feedback/paper/. kinds.py lists them in KINDS beside the record and the other settings.

This module sits with the declarations early in the flow (it imports only `fieldtypes`), so
kinds.py may import it; the feedback stage's readers (settings.py, answerfigures.py, paper.py)
load each file through `declared.validate` and add only what depends on other files (which
questions a form has) or is a warning.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, PlainValidator, RootModel, WithJsonSchema

from ..fieldtypes import (
    OPTIONAL_TEXT,
    SLUG_PATTERN,
    TEXT,
    Date,
    OneOf,
    OptionalDate,
    OptionalText,
    Section,
    Text,
    Texts,
    Whole,
    fail,
    field,
    one_text,
    optional_text,
)

# -- small numbers: site_config/figures.yml ---------------------------------------------------

DEFAULT_THRESHOLD = 5


def _symbol(value: object) -> str:
    mark = one_text(value)
    if len(mark) > 3 or any(c.isdigit() for c in mark):
        raise fail(
            "not_a_symbol",
            f'"{mark}" could be read as a number or is too long',
            "write a short mark with no digits, such as c or *",
        )
    return mark


Symbol = Annotated[
    str,
    PlainValidator(_symbol),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 3, "pattern": r"^\D+$"}),
]


class FiguresFile(Section):
    """Small numbers on the public "What you told us" pages and in `yourreview report`."""

    threshold: Whole | None = field(
        "every count from 1 to this is hidden, and any count that would give one away "
        f"(default {DEFAULT_THRESHOLD}; 10 is safer for a small service)",
        default=None,
    )
    symbol: Symbol = field(
        "what every hidden figure shows, up to 3 characters and no digits (default c, as DfE "
        "publishes)",
        say="a short mark such as c",
        default="c",
    )


# -- themes: site_config/themes.yml ------------------------------------------------------------


def _some(words: tuple[str, ...]) -> tuple[str, ...]:
    if not words:
        raise fail("no_items", "has no keywords", "list words to look for")
    return words


class Theme(Section):
    theme: Text = field("the theme's name, e.g. Listened to me", say="the theme's name")
    keywords: Annotated[
        Texts,
        AfterValidator(_some),
        WithJsonSchema({"type": "array", "items": TEXT, "minItems": 1}),
    ] = field(
        "words to look for (whole words, any case): an answer counts once for each theme",
        say="the words to look for",
    )


class ThemesFile(RootModel[tuple[Theme, ...]]):
    """Themes counted over every written answer: only the counts are published."""


# -- "You said, we did": site_config/you-said-we-did.yml ---------------------------------------


class YouSaidEntry(Section):
    you_said: Text = field(
        "what children said, with no names, places or schools", say="what they said"
    )
    we_did: Text = field("what changed, written for children", say="what changed")
    when: Date = field(
        "when it changed (YYYY-MM-DD, shown as its month)", say="the date it changed"
    )
    cicc_seen: Annotated[str, OneOf(("yes", "no"))] = field(
        "yes | no: whether the Children in Care Council has seen it", say="yes or no"
    )


class YouSaidFile(RootModel[tuple[YouSaidEntry, ...]]):
    """What children said and what changed, on the public site."""


# -- a paper form typed in: feedback/paper/**/*.yml --------------------------------------------


def answer_value(value: object) -> tuple[str, ...]:
    """One answer as written: a piece of text, a list of them (several choices), or nothing
    (the question was skipped)."""
    items = value if isinstance(value, list) else [value]
    return tuple(t for t in (optional_text(item) for item in items) if t)


ANSWER = {"anyOf": [OPTIONAL_TEXT, {"type": "array", "items": OPTIONAL_TEXT}]}
AnswerValue = Annotated[tuple[str, ...], PlainValidator(answer_value), WithJsonSchema(ANSWER)]


class PaperFile(Section):
    """A paper form typed in: what one person wrote, question by question."""

    id: Text = field(
        "this form's own number, from `yourreview new --paper`: do not change it",
        say="the number `yourreview new --paper` wrote",
    )
    form: Text = field(
        "the form's id, as in site_config/questions.yml", say="the form's id", pattern=SLUG_PATTERN
    )
    version: Whole | None = field(
        "the version printed at the bottom of the form (default: today's)", default=None
    )
    token: OptionalText = field(
        "the 16 letters after ?t= in the printed link, if there is one", default=None
    )
    received: OptionalDate = field("the day the form came back (YYYY-MM-DD)", default=None)
    answers: dict[str, AnswerValue] = field(
        "each question's id, then what the person wrote (a list for several choices); "
        "leave a question empty if they skipped it",
        say="the answers",
    )
