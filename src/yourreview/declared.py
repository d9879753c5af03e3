"""Files declared once: pydantic models over the strict YAML tree, and plain-words errors.

Each kind of file a council writes (a review record, council.yml, glossary.yml, questions.yml)
is declared once (kinds.py, configkinds.py) as a pydantic model built from the field types in
fieldtypes.py. From that declaration come the loading and its messages (here), and in
derived.py the JSON Schema an editor uses, the commented file `yourreview new` writes and the
README's tables of fields.

pydantic never sees YAML: `yamlsafe` composes the file into text-only nodes (no aliases, tags
or duplicate keys), and `validate` hands pydantic that tree as plain dicts, lists and strings,
then turns every error pydantic collects into a located `Problem` in plain words.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ValidationError,
)
from pydantic.fields import FieldInfo

from .errors import Problem, Severity, plain_field
from .fieldtypes import OneOf, ReadElsewhere
from .yamlsafe import Mapping, Node, Scalar, Sequence

__all__ = ["OneOf"]

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
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
        suggestion = f"add `{name}:` under {plain_field(parent) or 'the top level'}"
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
        message = "should be a list"
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


FieldOf = tuple[str, FieldInfo, type[BaseModel] | None]


@functools.cache  # a declaration never changes; every record asks about the same few
def fields_of(model: type[BaseModel]) -> tuple[FieldOf, ...]:
    """(name as written in the file, declaration, section model or None) for each field."""
    found: list[FieldOf] = []
    for python_name, info in model.model_fields.items():
        elsewhere = [m.model for m in info.metadata if isinstance(m, ReadElsewhere)]
        inner = elsewhere[0] if elsewhere else _unwrap(info.annotation)
        sub = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
        found.append((info.alias or python_name, info, sub))
    return tuple(found)


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
            if sub is not None and not isinstance(item, Scalar):
                yield from leaves(sub, found, item_loc)
            elif isinstance(item, Scalar) and item.value:  # a plain-text wish or worry, too
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
