"""Strict YAML: every scalar is text with its place in the file; nothing is guessed.

PyYAML's own loaders turn `no` into False, `01632 960123` into a number, keep the last of two
duplicate keys, expand aliases and build Python objects from tags. Review records are written by
hand by people who are not programmers, so we compose our own small tree from the parser's events
instead, keep every scalar as the text that was typed, and let the schema convert it. Anything
surprising is a problem that names the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, YourReviewError

try:  # libyaml's parser is about ten times faster; the events are the same.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000  # a review record is about 2 KB; a 10 MB file is a mistake
MAX_DEPTH = 12  # our deepest schema is 4 levels; deeper input is a mistake, not data
NULLS = {"", "~"}  # a key written with no value, or YAML's explicit empty


@dataclass(frozen=True)
class Scalar:
    value: str | None  # None when the key has no value
    line: int
    column: int
    quoted: bool = False


@dataclass(frozen=True)
class Mapping:
    items: dict[str, tuple[Scalar, Node]]  # key text -> (key node, value node)
    line: int
    column: int


@dataclass(frozen=True)
class Sequence:
    items: list[Node] = field(default_factory=list)
    line: int = 0
    column: int = 0


Node = Scalar | Mapping | Sequence


def load_file(path: Path, display: str | None = None) -> Node:
    """Read and compose one YAML file, or raise YourReviewError naming every problem found."""
    name = display or path.as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(
            name, 0, 0, f"cannot be read ({exc.strerror})", "check the file exists"
        ) from exc
    if len(data) > MAX_BYTES:
        raise _fail(
            name,
            0,
            0,
            f"is {len(data):,} bytes, too large for a review record",
            f"keep each file under {MAX_BYTES:,} bytes: one review per file",
        )
    if b"\x00" in data:
        raise _fail(name, 0, 0, "is not a text file", "save it as plain text (UTF-8) YAML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(
            name,
            line,
            0,
            f"is not UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8 (in Notepad: Save as, Encoding: UTF-8)",
        ) from exc
    return parse_text(text, name)


def parse_text(text: str, name: str) -> Node:
    if not text.strip():
        raise _fail(name, 0, 0, "is empty", "start from `yourreview new`, which writes every field")
    try:
        events = list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or "is not valid YAML"
        if "nesting depth" in problem:
            # libyaml gives up at its own limit (1,000 levels from PyYAML 6.0.4), before ours;
            # whichever stops first, the writer is told the same thing.
            raise _too_deep(name, line, col) from exc
        lines = text.splitlines()
        here = lines[mark.line] if mark and mark.line < len(lines) else ""
        at = here[mark.column : mark.column + 1] if mark else ""
        message, hint = plain_yaml_error(problem, here, at)
        raise _fail(name, line, col, f"not valid YAML: {message}", hint) from exc
    except yaml.YAMLError as exc:
        raise _fail(
            name, 0, 0, f"not valid YAML: {exc}", "check the file is a YAML record"
        ) from exc
    composer = _Composer(name, events)
    root = composer.document()
    if composer.problems:
        raise YourReviewError(composer.problems)
    if root is None:
        raise _fail(name, 0, 0, "is empty", "start from `yourreview new`, which writes every field")
    return root


# The parser's own words are for programmers: each becomes what a person sees, and what to do.
_QUOTE = 'put the whole text in double quotes: - "You said: hi"'
_PLAIN = (
    ("cannot start any token", "a value starts with a character YAML keeps for itself", _QUOTE),
    (
        "mapping values are not allowed",
        "a ': ' (colon and space) inside a value makes it look like a new field",
        _QUOTE,
    ),
    (
        "end of stream",
        "a quote or bracket is opened but never closed",
        "close it on the same line, or remove it",
    ),
    ("expected ',' or ']'", "a list in [ ] is not closed", "end it with ] on the same line"),
    (
        "expected ',' or '}'",
        "a set of fields in { } is not closed",
        "end it with } on the same line",
    ),
    (
        "expected '-' indicator",
        "a line does not fit the list above it",
        "start each item with '- ', all lined up under each other",
    ),
    (
        "did not find expected key",
        "a line is indented differently from the ones around it, or a quote ends too early",
        "line each field up with the others in its section; text with an apostrophe goes in "
        'double quotes: "it\'s"',
    ),
)


def plain_yaml_error(problem: str, line: str, at: str) -> tuple[str, str]:
    """The parser's complaint in plain words, and what to write instead."""
    if "\t" in line:
        return "a line is indented with a tab", "indent with spaces, not tabs"
    for words, message, hint in _PLAIN:
        if words in problem:
            if at and words == "cannot start any token":
                message = f"a value cannot start with {at}"
            return message, hint
    return problem, "check the indentation, and quote text that contains ': ' or ' #'"


def _fail(name: str, line: int, col: int, message: str, suggestion: str) -> YourReviewError:
    return YourReviewError([Problem(name, line, col, "", message, suggestion)])


def _too_deep(name: str, line: int, col: int) -> YourReviewError:
    return _fail(name, line, col, "is nested too deeply", "records are at most four levels deep")


class _Composer:
    """Builds Scalar/Mapping/Sequence nodes from parser events, refusing YAML's surprises."""

    def __init__(self, name: str, events: list[Any]) -> None:
        self.name = name
        self.events = events
        self.pos = 0
        self.problems: list[Problem] = []

    def problem(self, event: Any, message: str, suggestion: str) -> None:
        mark = event.start_mark
        self.problems.append(
            Problem(self.name, mark.line + 1, mark.column + 1, "", message, suggestion)
        )

    def next(self) -> Any:
        event = self.events[self.pos]
        self.pos += 1
        return event

    def document(self) -> Node | None:
        root: Node | None = None
        documents = 0
        while self.pos < len(self.events):
            event = self.next()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problem(event, "has more than one YAML document ('---')", "one per file")
                    return root
                root = self.node(0)
        return root

    def node(self, depth: int) -> Node:
        event = self.next()
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        if isinstance(event, yaml.AliasEvent):
            self.problem(event, "uses an alias ('*')", "write the value out in full")
            return Scalar(None, line, col)
        if getattr(event, "anchor", None):
            self.problem(event, "uses an anchor ('&')", "write each value out in full")
        tag = getattr(event, "tag", None)
        explicit = tag is not None and not (
            isinstance(event, yaml.ScalarEvent) and event.implicit[0]
        )
        if isinstance(event, yaml.ScalarEvent) and event.tag == "!":
            explicit = False  # '!' is what the parser reports for a plain quoted scalar
        if explicit:
            self.problem(event, f"uses a YAML tag ({tag})", "remove the tag; write plain text")
        if depth > MAX_DEPTH:
            self.problems.extend(_too_deep(self.name, line, col).problems)
            self.skip(event)
            return Scalar(None, line, col)
        if isinstance(event, yaml.ScalarEvent):
            quoted = event.style in ("'", '"')
            value: str | None = event.value
            if not quoted and event.value in NULLS:
                value = None
            return Scalar(value, line, col, quoted)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Node] = []
            while not isinstance(self.events[self.pos], yaml.SequenceEndEvent):
                items.append(self.node(depth + 1))
            self.next()
            return Sequence(items, line, col)
        if isinstance(event, yaml.MappingStartEvent):
            pairs: dict[str, tuple[Scalar, Node]] = {}
            while not isinstance(self.events[self.pos], yaml.MappingEndEvent):
                key_event = self.events[self.pos]
                key = self.node(depth + 1)
                value_node = self.node(depth + 1)
                if not isinstance(key, Scalar) or key.value is None:
                    self.problem(
                        key_event, "has a key that is not a plain name", "write `name: value`"
                    )
                    continue
                if key.value in pairs:
                    first = pairs[key.value][0]
                    self.problem(
                        key_event,
                        f"repeats the key '{key.value}' (first on line {first.line})",
                        "keep one; YAML would silently drop the other",
                    )
                    continue
                pairs[key.value] = (key, value_node)
            self.next()
            return Mapping(pairs, line, col)
        self.problem(event, "has something YAML records do not use", "write plain fields")
        return Scalar(None, line, col)

    def skip(self, start: Any) -> None:
        """Consume the rest of a too-deep collection without building it."""
        if not isinstance(start, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            return
        level = 1
        while level:
            event = self.next()
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                level += 1
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                level -= 1


def positions(node: Node, path: str = "") -> dict[str, tuple[int, int]]:
    """Where every field is in the file, by the field paths problems use ("next_steps[0].by")."""
    found = {path: (node.line, node.column)} if path else {}
    if isinstance(node, Mapping):
        for name, (_, value) in node.items.items():
            found.update(positions(value, f"{path}.{name}" if path else name))
    elif isinstance(node, Sequence):
        for i, item in enumerate(node.items):
            found.update(positions(item, f"{path}[{i}]"))
    return found
