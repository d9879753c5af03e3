"""Turn strict YAML nodes into typed values, collecting a Problem for everything wrong.

Every reader of a YAML file (review records, the council's settings, the forms) uses one
`Reader`, so every error reads the same way: `file:line:col: field: what — what to write`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from datetime import date, datetime

from .errors import Problem, Severity
from .yamlsafe import Mapping, Node, Scalar, Sequence

_MONTHS = "january february march april may june july august september october november december"
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_WORDY_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def node_kind(node: Node) -> str:
    """What was written, in a person's words: "fields", "a list", "empty" or the text."""
    if isinstance(node, Mapping):
        return "fields"
    if isinstance(node, Sequence):
        return "a list"
    return "empty" if node.value is None else f'"{node.value}"'


class Reader:
    """Reads one file's nodes; `problems` holds everything found so far."""

    def __init__(self, file: str, kind: str = "record") -> None:
        self.file = file
        self.kind = kind
        self.problems: list[Problem] = []

    # -- reporting --------------------------------------------------------------------------

    def error(
        self,
        node: Node | None,
        field: str,
        message: str,
        suggestion: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        line, col = (node.line, node.column) if node is not None else (0, 0)
        self.problems.append(
            Problem(self.file, line, col, field, message, suggestion, severity, self.kind)
        )

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)

    # -- structure --------------------------------------------------------------------------

    def fields(
        self,
        node: Node | None,
        field: str,
        required: Collection[str] = (),
        optional: Collection[str] = (),
    ) -> dict[str, Node] | None:
        """The fields of a mapping, after checking for unknown and missing ones."""
        if node is None:
            return None
        if not isinstance(node, Mapping):
            self.error(
                node,
                field,
                f"should have fields under it, not {node_kind(node)}",
                "write each field on its own line below it as `name: value`, indented",
            )
            return None
        allowed = [*required, *optional]
        found: dict[str, Node] = {}
        for name, (key, value) in node.items.items():
            if name not in allowed:
                self.error(
                    key, _join(field, name), "is not a field here", _did_you_mean(name, allowed)
                )
                continue
            found[name] = value
        for name in required:
            if name not in found:
                self.error(
                    node,
                    _join(field, name),
                    "is missing",
                    f"add `{name}:` under {field or 'the top level'}",
                )
            elif _is_empty(found[name]):
                self.error(
                    found[name],
                    _join(field, name),
                    "is empty",
                    f"write the {name.replace('_', ' ')} after `{name}:`",
                )
        return found

    def items(self, node: Node | None, field: str) -> list[tuple[str, Node]]:
        """A list's items with their field paths; an empty value is an empty list."""
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return []
        if not isinstance(node, Sequence):
            self.error(
                node,
                field,
                f"should be a list, not {node_kind(node)}",
                "start each item on its own line with '- '",
            )
            return []
        return [(f"{field}[{i}]", item) for i, item in enumerate(node.items)]

    # -- scalars ----------------------------------------------------------------------------

    def text(self, node: Node | None, field: str, required: bool = False) -> str | None:
        if node is not None and not isinstance(node, Scalar):
            self.error(
                node,
                field,
                f"should be one piece of text, not {node_kind(node)}",
                'write it on the same line, after the colon; if it has ": " in it, put it in '
                'double quotes, "…"',
            )
            return None
        value = node.value.strip() if node is not None and node.value else ""
        if not value and required and node is not None:
            self.error(node, field, "is empty", "write the text after the colon, or remove it")
        return value or None

    def texts(self, node: Node | None, field: str) -> tuple[str, ...]:
        values = (self.text(item, path, required=True) for path, item in self.items(node, field))
        return tuple(v for v in values if v)

    def date(self, node: Node | None, field: str) -> date | None:
        raw = self.text(node, field)
        if raw is None:
            return None
        day, message, suggestion = read_date(raw)
        if day is None:
            self.error(node, field, message, suggestion)
        return day

    def integer(self, node: Node | None, field: str, minimum: int = 0) -> int | None:
        raw = self.text(node, field)
        if raw is None:
            return None
        if not raw.isdigit() or int(raw) < minimum:
            self.error(
                node,
                field,
                f'"{raw}" is not a whole number of {minimum} or more',
                f"write a number such as {minimum + 1}",
            )
            return None
        return int(raw)

    def choice(self, node: Node | None, field: str, choices: Iterable[str]) -> str | None:
        raw = self.text(node, field)
        if raw is None:
            return None
        options = list(choices)
        for option in options:
            if raw.casefold() == option.casefold():
                return option
        self.error(
            node, field, f'"{raw}" is not one of the choices', "write one of: " + ", ".join(options)
        )
        return None


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _is_empty(node: Node) -> bool:
    return isinstance(node, Scalar) and not (node.value or "").strip()


def _did_you_mean(name: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return "allowed here: " + ", ".join(allowed)


def read_date(raw: str) -> tuple[date | None, str, str]:
    """(the date, "", "") or (None, what is wrong, what to write): YYYY-MM-DD only."""
    match = _ISO_DATE.match(raw)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])), "", ""
        except ValueError:
            return (
                None,
                f'"{raw}" is not a real date',
                "check the day exists in that month, e.g. 2026-02-28",
            )
    guess = suggest_date(raw)
    hint = f"write {guess}" if guess else "write the date as YYYY-MM-DD, e.g. 2026-11-30"
    return None, f'"{raw}" is not a date', hint


def suggest_date(raw: str) -> str | None:
    """The ISO form of a date written the British way, if we can tell what was meant."""
    match = _UK_DATE.match(raw.strip())
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if year < 100:
            year += 2000
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    match = _WORDY_DATE.match(raw.strip())
    if match:
        for number, month_name in enumerate(_MONTHS.split(), start=1):
            if month_name.startswith(match[2].lower()[:3]):
                try:
                    return date(int(match[3]), number, int(match[1])).isoformat()
                except ValueError:
                    return None
    try:
        return datetime.strptime(raw.strip(), "%Y/%m/%d").date().isoformat()
    except ValueError:
        return None


def positions(node: Node, path: str = "") -> dict[str, tuple[int, int]]:
    """Where every field is in the file, by the field paths problems use ("next_steps[0].by")."""
    found = {path: (node.line, node.column)} if path else {}
    if isinstance(node, Mapping):
        for name, (_, value) in node.items.items():
            found.update(positions(value, _join(path, name)))
    elif isinstance(node, Sequence):
        for i, item in enumerate(node.items):
            found.update(positions(item, f"{path}[{i}]"))
    return found
