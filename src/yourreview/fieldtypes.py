"""The field types every declaration is built from (kinds.py, configkinds.py).

Each type converts the text the strict YAML reader kept (every scalar stays text) and, when
the text is wrong, raises an error that says in plain words what is wrong and what to write;
each also says what JSON Schema an editor should use for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, core_schema

from .schema import read_date

ISO_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


class Section(BaseModel):
    """A set of fields: unknown ones are refused (a typo must never be silently dropped)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


def field(
    description: str,
    *,
    say: str = "",
    example: str = "",
    placeholder: str = "",
    free_text: bool = False,
    pattern: str = "",
    default: Any = ...,
    alias: str | None = None,
) -> Any:
    """One field's declaration.

    `description` is the hover help, the template's comment and the README's meaning;
    `say` is what to write, in a phrase ("who will do it") for "write … after `who:`";
    `example` is what the template writes; `placeholder` is a template value (a regular
    expression) that must not survive into a record; `free_text` fields are read for jargon.
    """
    extra: dict[str, Any] = {}
    if say:
        extra["x-say"] = say
    if example:
        extra["x-example"] = example
    if free_text:
        extra["x-free-text"] = True
    if placeholder:
        extra["x-placeholder"] = placeholder
    if pattern:  # for the editor only: the loader says what is wrong in its own words
        extra["pattern"] = pattern
    return Field(default, description=description, alias=alias, json_schema_extra=extra or None)


# -- field types ------------------------------------------------------------------------------


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "fields"
    if isinstance(value, list):
        return "list"
    return "text"


def _fail(kind: str, message: str, suggestion: str = "") -> PydanticCustomError:
    return PydanticCustomError(kind, message, {"suggestion": suggestion})


def _as_text(value: object, required: bool) -> str | None:
    if isinstance(value, dict):
        first = next(iter(value), "")
        raise _fail(
            "not_text",
            f'reads as a field ("{first}: …"), not as text',
            'a colon followed by a space starts a field: put the whole text in double quotes, "…"',
        )
    if isinstance(value, list):
        raise _fail(
            "not_text",
            "is a list, but should be one piece of text",
            "write the text on the same line, after the colon",
        )
    text = str(value).strip() if value is not None else ""
    if not text:
        if required:
            raise _fail("empty", "is empty")
        return None
    return text


def _text(value: object) -> str:
    result = _as_text(value, required=True)
    assert result is not None
    return result


def _optional_text(value: object) -> str | None:
    return _as_text(value, required=False)


def _date(value: object, required: bool = True) -> date | None:
    raw = _as_text(value, required)
    if raw is None:
        return None
    day, message, suggestion = read_date(raw)
    if day is None:
        raise _fail("not_a_date", message, suggestion)
    return day


def _whole(minimum: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        raw = _as_text(value, required=True)
        assert raw is not None
        if not raw.isdigit() or int(raw) < minimum:
            raise _fail(
                "not_a_number",
                f'"{raw}" is not a whole number of {minimum} or more',
                f"write a number such as {minimum + 1}",
            )
        return int(raw)

    return check


def none_is_empty(value: object) -> object:
    """A list written with nothing under it (`told_me:`) is an empty list."""
    return [] if value is None else value


def text_or(model: type[BaseModel], key: str) -> BeforeValidator:
    """An item of a list that may be plain text or `model`'s fields: plain text is `{key: text}`.

    A mapping none of whose keys are `model`'s ("You said: yes", unquoted) is text with a colon
    in it, and is told as such rather than as unknown fields.
    """
    names = frozenset(info.alias or name for name, info in model.model_fields.items())

    def read(value: object) -> object:
        if isinstance(value, dict):
            if value and not names & set(value):
                _as_text(value, required=True)  # raises: reads as a field, not as text
            return value
        return {key: _text(value)}

    return BeforeValidator(read, json_schema_input_type=Text | model)


def one_is_a_list(value: object) -> object:
    """`avoid: placement` means a list of one."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


TEXT = {"type": ["string", "number", "boolean"], "minLength": 1, "pattern": r"\S"}
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)


def _slug(value: object) -> str:
    text = _text(value)
    if not _SLUG.match(text):
        raise _fail(
            "not_a_slug",
            f'"{text}" is not a simple name',
            "use lowercase letters, digits and single hyphens, e.g. after-8-12",
        )
    return text


OPTIONAL_TEXT = {"type": ["string", "number", "boolean", "null"]}
DATE = {"type": "string", "pattern": ISO_PATTERN, "format": "date"}

Text = Annotated[str, PlainValidator(_text), WithJsonSchema(TEXT)]
OptionalText = Annotated[str | None, PlainValidator(_optional_text), WithJsonSchema(OPTIONAL_TEXT)]
Date = Annotated[date, PlainValidator(_date), WithJsonSchema(DATE)]
Slug = Annotated[
    str, PlainValidator(_slug), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})
]
OptionalDate = Annotated[
    date | None,
    PlainValidator(lambda v: _date(v, required=False)),
    WithJsonSchema({"anyOf": [DATE, {"type": "null"}]}),
]
Whole = Annotated[int, PlainValidator(_whole(1)), WithJsonSchema({"type": "integer", "minimum": 1})]
OptionalWhole = Annotated[
    int | None,
    PlainValidator(lambda v: None if _as_text(v, required=False) is None else _whole(1)(v)),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]}),
]
Texts = Annotated[tuple[Text, ...], BeforeValidator(none_is_empty)]
OneOrMoreTexts = Annotated[
    tuple[Text, ...],
    BeforeValidator(one_is_a_list),
    WithJsonSchema({"anyOf": [TEXT, {"type": "array", "items": TEXT}]}),
]


@dataclass(frozen=True)
class OneOf:
    """`Annotated[str, OneOf(("a", "b"))]`: one of the options, in any capitals; blank gives
    `default` when there is one."""

    options: tuple[str, ...]
    default: str | None = None

    def check(self, value: object) -> str | None:
        raw = _as_text(value, required=self.default is None)
        if raw is None:
            return self.default
        for option in self.options:
            if raw.casefold() == option.casefold():
                return option
        raise _fail(
            "not_a_choice",
            f'"{raw}" is not one of the choices',
            "write one of: " + ", ".join(self.options),
        )

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.check)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        options: list[str | None] = list(self.options)
        return {"enum": [*options, None] if self.default is not None else options}


@dataclass(frozen=True)
class ReadElsewhere:
    """`Annotated[object, ReadElsewhere(Model)]`: a section another stage reads and checks
    (the clock reads `clock:`); declared here for the editor's schema and the README, passed
    through as written."""

    model: type[BaseModel]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda value: value,
            json_schema_input_schema=core_schema.nullable_schema(
                handler.generate_schema(self.model)
            ),
        )
