"""One family of problems for every stage: where, which field, what is wrong, what to write.

IROs are not programmers. Every problem names the file, line and column, the field,
what is wrong and what to write instead, and a run collects all of them before it stops.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    file: str
    line: int  # 1-based; 0 when the problem is about the whole file
    column: int  # 1-based; 0 when unknown
    field: str  # dotted path such as "next_steps[0].by"; "" for the whole file
    message: str  # what is wrong
    suggestion: str = ""  # what to write instead
    severity: Severity = Severity.ERROR
    kind: str = "record"  # record, config, jargon, readability, deadline, leak, ...

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: "
        if self.field:
            text += f"{plain_field(self.field)}: "
        text += self.message
        if self.suggestion:
            text += f" — {self.suggestion}"
        if self.severity is Severity.WARNING:
            text += " (warning)"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "kind": self.kind,
            "severity": self.severity.value,
            "message": self.message,
            "suggestion": self.suggestion,
        }


class YourReviewError(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        lines = [str(p) for p in self.problems]
        lines.append(count_line(errors, len(self.problems) - len(errors)))
        return "\n".join(lines)


_INDEX = re.compile(r"\[(\d+)\]\.?")


def plain_field(field: str) -> str:
    """ "next_steps[0].by" as a person counts: "next_steps, item 1, by"."""

    def item(match: re.Match[str]) -> str:
        after = ", " if match[0].endswith(".") else ""
        return f", item {int(match[1]) + 1}{after}"

    return _INDEX.sub(item, field).removeprefix(", ")  # a file that is a list: "item 1, when"


def count_line(errors: list[Problem], warnings: int) -> str:
    """ "3 errors in 2 files, 1 warning", or "no errors, 1 warning"."""
    if errors:
        files = len({p.file for p in errors})
        line = f"{plural(len(errors), 'error')} in {plural(files, 'file')}"
    else:
        line = "no errors"
    return line + (f", {plural(warnings, 'warning')}" if warnings else "")


def plural(n: int, word: str) -> str:
    """ "1 letter", "2 letters"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def display_path(path: Path, root: Path | None = None) -> str:
    """The path as the user would type it: relative to the project where we can."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
