"""Files declared once: pydantic models over the strict YAML tree, and plain-words errors.

Each kind of file a council writes (a review record, council.yml, glossary.yml, questions.yml)
is declared once as a pydantic model built from the field types below. From that declaration
come the loading and its messages (here), the JSON Schema an editor uses (`json_schema`), the
commented template (`newrecord`) and the README's tables (`fieldtables`).

pydantic never sees YAML: `yamlsafe` composes the file into text-only nodes (no aliases, tags
or duplicate keys), and `validate` hands pydantic that tree as plain dicts, lists and strings,
then turns every error pydantic collects into a located `Problem` in plain words.
"""

from __future__ import annotations

import difflib
import json
import re
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainValidator,
    ValidationError,
    WithJsonSchema,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError, core_schema

from .errors import Problem, Severity
from .schema import read_date
from .yamlsafe import Mapping, Node, Scalar, Sequence

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
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


def _none_is_empty(value: object) -> object:
    """A list written with nothing under it (`told_me:`) is an empty list."""
    return [] if value is None else value


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
Texts = Annotated[tuple[Text, ...], BeforeValidator(_none_is_empty)]
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


# -- validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tree:
    """The file as plain data, and where each value and key is, by pydantic's `loc`."""

    data: object
    values: dict[Loc, Node]
    keys: dict[Loc, Scalar]

    def data_at(self, loc: Loc) -> object:
        data = self.data
        for part in loc:
            data = data[part]  # type: ignore[index]
        return data


def tree(root: Node) -> Tree:
    values: dict[Loc, Node] = {}
    keys: dict[Loc, Scalar] = {}

    def walk(node: Node, loc: Loc) -> object:
        values[loc] = node
        if isinstance(node, Mapping):
            out: dict[str, object] = {}
            for name, (key, value) in node.items.items():
                keys[(*loc, name)] = key
                out[name] = walk(value, (*loc, name))
            return out
        if isinstance(node, Sequence):
            return [walk(item, (*loc, i)) for i, item in enumerate(node.items)]
        return node.value

    return Tree(walk(root, ()), values, keys)


def path(loc: Loc) -> str:
    """pydantic's loc as our field path: ("next_steps", 0, "by") -> "next_steps[0].by"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def validate(
    model: type[M], root: Node, file: str, kind: str = "record"
) -> tuple[M | None, Tree, list[Problem]]:
    """The file as `model`, or None and every problem in it, each located and in plain words."""
    found = tree(root)
    try:
        return model.model_validate(found.data), found, []
    except ValidationError as exc:
        problems = [_problem(model, found, file, kind, error) for error in exc.errors()]
        return None, found, problems


def validate_at(
    model: type[M], found: Tree, at: Loc, file: str, kind: str = "record"
) -> tuple[M | None, list[Problem]]:
    """One part of a file (a form in questions.yml) as `model`: one broken part hides nothing
    in the others."""
    try:
        return model.model_validate(found.data_at(at)), []
    except ValidationError as exc:
        return None, [_problem(model, found, file, kind, error, at) for error in exc.errors()]


def _problem(
    model: type[BaseModel], found: Tree, file: str, kind: str, error: Any, at: Loc = ()
) -> Problem:
    loc: Loc = tuple(part for part in error["loc"] if not isinstance(part, str) or part)
    # pydantic adds the tuple's index for items, and "function-plain[...]" for our validators.
    loc = tuple(p for p in loc if not (isinstance(p, str) and "[" in p))
    kind_of_error = error["type"]
    full = (*at, *loc)  # `loc` is within `model`; `full` is within the file
    node = found.values.get(full)
    if node is None and full and isinstance(full[-1], int):
        # One value written where a list may be (`audience: cicc`) is the list's only item.
        full, loc = full[:-1], loc[:-1]
        node = found.values.get(full)
    name = str(loc[-1]) if loc else ""
    where = path(full)
    parent = path(full[:-1])
    suggestion = (error.get("ctx") or {}).get("suggestion", "")
    message = error["msg"]
    if kind_of_error == "missing":
        node = found.values.get(full[:-1])
        message = "is missing"
        suggestion = f"add `{name}:` under {parent or 'the top level'}"
    elif kind_of_error == "extra_forbidden":
        node = found.keys.get(full, node)
        message = "is not a field here"
        suggestion = _did_you_mean(name, _names(model, loc[:-1]))
    elif kind_of_error == "empty":
        say = _extra(model, loc).get("x-say") or f"the {name.replace('_', ' ')}"
        suggestion = (
            f"after `{name}:`, write {say}"
            if isinstance(loc[-1], str)
            else "write the text after `- `, or delete the line"
        )
    elif kind_of_error in ("model_type", "dict_type", "model_attributes_type"):
        value = error.get("input")
        if not loc:
            first = ", ".join(f"`{n}:`" for n in _names(model, ())[:2])
            message = f"should hold fields such as {first}" + (
                ", not a list" if isinstance(value, list) else ""
            )
            suggestion = (
                "write each of its fields on its own line, indented, under `- `"
                if at
                else "start from `yourreview new`, which writes every field"
            )
        elif value is None:
            message = "is empty"
            suggestion = f"write its fields under `{name}:`, each on its own line, indented"
        else:
            message = "should have fields under it" + (
                ", not a list" if isinstance(value, list) else f', not "{value}"'
            )
            suggestion = (
                f"write `{name}:` on its own line, then each field on a line below it, "
                "indented by two spaces"
            )
    elif kind_of_error in ("list_type", "tuple_type"):
        message = "should be a list" + (
            ", not a set of fields" if isinstance(error.get("input"), dict) else ""
        )
        suggestion = "start each item on its own line with `- `"
    line, column = (node.line, node.column) if node is not None else (0, 0)
    return Problem(file, line, column, where, message, suggestion, Severity.ERROR, kind)


def _did_you_mean(name: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return "allowed here: " + ", ".join(allowed)


# -- reading the declaration ------------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """The model or item type inside Annotated[...], tuple[X, ...] and X | None."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated or origin in (tuple, list):
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def fields_of(model: type[BaseModel]) -> Iterator[tuple[str, FieldInfo, type[BaseModel] | None]]:
    """(name as written in the file, declaration, section model or None) for each field."""
    for python_name, info in model.model_fields.items():
        elsewhere = [m.model for m in info.metadata if isinstance(m, ReadElsewhere)]
        inner = elsewhere[0] if elsewhere else _unwrap(info.annotation)
        sub = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
        yield info.alias or python_name, info, sub


def is_list(info: FieldInfo) -> bool:
    annotation = info.annotation
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return typing.get_origin(annotation) in (tuple, list)


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        current = next((sub for name, _, sub in fields_of(current) if name == part), None)
    return current


def _names(model: type[BaseModel], loc: Loc) -> list[str]:
    at = _model_at(model, loc)
    return [name for name, _, _ in fields_of(at)] if at else []


def _info_at(model: type[BaseModel], loc: Loc) -> FieldInfo | None:
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return None
    at = _model_at(model, tuple(p for p in loc if isinstance(p, str))[:-1])
    return next((i for n, i, _ in fields_of(at) if n == names[-1]), None) if at else None


def extra(info: FieldInfo | None) -> dict[str, Any]:
    value = info.json_schema_extra if info is not None else None
    return value if isinstance(value, dict) else {}


def _extra(model: type[BaseModel], loc: Loc) -> dict[str, Any]:
    return extra(_info_at(model, loc))


def leaves(
    model: type[BaseModel], found: Tree, loc: Loc = ()
) -> Iterator[tuple[Loc, FieldInfo, Scalar]]:
    """Every scalar the file holds, with its declaration: for jargon and placeholders."""
    data = found.values.get(loc)
    if not isinstance(data, Mapping):
        return
    for name, info, sub in fields_of(model):
        here = (*loc, name)
        node = found.values.get(here)
        if node is None:
            continue
        items = (
            [((*here, i), item) for i, item in enumerate(node.items)]
            if isinstance(node, Sequence)
            else [(here, node)]
        )
        for item_loc, item in items:
            if sub is not None:
                yield from leaves(sub, found, item_loc)
            elif isinstance(item, Scalar) and item.value:
                yield item_loc, info, item


def placeholders(model: type[BaseModel], found: Tree, file: str, kind: str) -> list[Problem]:
    """Values still as `yourreview new` wrote them: a letter to "Firstname" must not go out."""
    problems = []
    for loc, info, node in leaves(model, found):
        pattern = extra(info).get("x-placeholder")
        if pattern and node.value and re.fullmatch(pattern, node.value.strip()):
            say = extra(info).get("x-say") or "the real value"
            problems.append(
                Problem(
                    file,
                    node.line,
                    node.column,
                    path(loc),
                    f'"{node.value.strip()}" is still the template\'s example',
                    f"write {say}",
                    Severity.ERROR,
                    kind,
                )
            )
    return problems


# -- JSON Schema, for editors -------------------------------------------------------------------

JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    """The declaration as JSON Schema: what VS Code's YAML extension completes and underlines.

    Our own keys become standard ones: a template's placeholder is refused (`not`), its example
    offered (`examples`); the rest only serve the loader.
    """
    schema = model.model_json_schema()

    def tidy(node: object) -> object:
        if isinstance(node, list):
            return [tidy(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: tidy(value) for key, value in node.items() if not key.startswith("x-")}
        if isinstance(out.get("title"), str):
            del out["title"]  # pydantic's "Date Of Birth": the field's own name says it better
        if "x-placeholder" in node:
            out["not"] = {"pattern": f"^(?:{node['x-placeholder']})$"}
        elif "x-example" in node and "{" not in node["x-example"]:
            out["examples"] = [node["x-example"]]
        return out

    tidied = tidy(schema)
    assert isinstance(tidied, dict)
    return {"$schema": JSON_SCHEMA_DRAFT, "title": title, **tidied}


# -- a file to fill in ---------------------------------------------------------------------------

COMMENT_COLUMN = 32


def yaml_value(value: object, bare: bool = False) -> str:
    """A value as the template writes it: dates, numbers and choices bare, text quoted."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) or (bare and value):
        return str(value)
    # A JSON string is a valid YAML double-quoted scalar and keeps every character.
    return json.dumps(str(value), ensure_ascii=False)


def template(model: type[BaseModel], values: dict[str, Any], indent: str = "") -> list[str]:
    """Lines of YAML for `model`, each field with its description as a comment.

    `values` holds what is known (carried forward from an earlier file); a field without one
    gets its declared example, or "" when required (so `check` asks for it), and an optional
    field without one is written commented out, for the writer to fill in or leave.
    """
    lines: list[str] = []
    for name, info, sub in fields_of(model):
        given = values.get(name)
        about = info.description or ""
        if sub is not None and (given is not None or info.is_required()):
            doc = " ".join((sub.__doc__ or "").split()) if not is_list(info) else ""
            if len(doc) > 60:  # a section that needs explaining gets its own comment block
                lines += [f"{indent}# {line}" for line in _wrap(doc, 96 - len(indent))]
                lines.append(f"{indent}{name}:")
            else:
                lines.append(_commented(f"{indent}{name}:", about))
            if is_list(info):
                for item in given or [{}]:
                    inner = template(sub, item, indent + "    ")
                    inner[0] = f"{indent}  - " + inner[0].lstrip()
                    lines += inner
            else:
                lines += template(sub, given or {}, indent + "  ")
            continue
        if sub is not None:
            lines.append(_commented(f"{indent}# {name}:", about))
            continue
        if is_list(info):
            lines.append(_commented(f"{indent}{name}:", about))
            lines += [f"{indent}  - {yaml_value(item)}" for item in (given or [""])]
            continue
        default = info.default if isinstance(info.default, str) else ""
        value = next((v for v in (given, extra(info).get("x-example"), default) if v), "")
        bare = any(isinstance(m, OneOf) for m in info.metadata)
        if value == "" and not info.is_required():
            lines.append(_commented(f"{indent}# {name}: ", about))
        else:
            lines.append(_commented(f"{indent}{name}: {yaml_value(value, bare)}", about))
    return lines


def _commented(line: str, comment: str) -> str:
    return f"{line.ljust(COMMENT_COLUMN)}  # {comment}" if comment else line


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


# -- the README's tables -------------------------------------------------------------------------


def field_rows(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, bool, str]]:
    """(field path, required, meaning) for every field, sections before their fields."""
    for name, info, sub in fields_of(model):
        where = f"{prefix}{name}"
        meaning = info.description or ""
        if is_list(info):
            meaning += " (a list)"
        yield where, info.is_required(), meaning
        if sub is not None:
            yield from field_rows(sub, f"{where}.")


def field_table(model: type[BaseModel]) -> str:
    rows = ["| field | required | meaning |", "| --- | --- | --- |"]
    for where, required, meaning in field_rows(model):
        cell = meaning.replace("|", "\\|")  # a table cell's own | must not end the cell
        rows.append(f"| `{where}` | {'yes' if required else ''} | {cell} |")
    return "\n".join(rows)


def with_tables(text: str, tables: dict[str, str]) -> str:
    """`text` with each `<!-- fields: NAME -->` … `<!-- /fields -->` block made afresh."""
    for name, table in tables.items():
        block = re.compile(rf"(<!-- fields: {re.escape(name)} -->\n).*?(<!-- /fields -->)", re.S)
        text = block.sub(lambda m, t=table: f"{m[1]}{t}\n{m[2]}", text)  # type: ignore[misc]
    return text
