"""What comes from a declaration besides loading: JSON Schema, a file to fill in, README tables.

The declarations are in kinds.py and configkinds.py, their field types in declared.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from pydantic import BaseModel

from .declared import extra, fields_of, is_list, items_of
from .fieldtypes import OneOf

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
    """(field path, required, meaning) for every field, sections before their fields; a file
    that is a list has its items' fields."""
    for name, info, sub in fields_of(items_of(model)):
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
        # A cell's own | must not end the cell, nor <id> read as an HTML tag.
        cell = meaning.replace("|", "\\|").replace("<", "&lt;")
        rows.append(f"| `{where}` | {'yes' if required else ''} | {cell} |")
    return "\n".join(rows)


def with_tables(text: str, tables: dict[str, str]) -> str:
    """`text` with each `<!-- fields: NAME -->` … `<!-- /fields -->` block made afresh."""
    for name, table in tables.items():
        block = re.compile(rf"(<!-- fields: {re.escape(name)} -->\n).*?(<!-- /fields -->)", re.S)
        text = block.sub(lambda m, t=table: f"{m[1]}{t}\n{m[2]}", text)  # type: ignore[misc]
    return text
