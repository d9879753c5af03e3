"""The council's settings for "What you told us": `site_config/figures.yml` (small numbers) and
`site_config/you-said-we-did.yml`, as declared in feedback/kinds.py. Both are optional; every
mistake is a located problem, and every problem in both files is collected before anything
stops."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..declared import FileProblems, validate
from ..errors import Problem, Severity, YourReviewError, display_path
from ..yamlsafe import Node, Scalar, load_file
from .kinds import DEFAULT_THRESHOLD, FiguresFile, YouSaidFile

FIGURES_FILE = "figures.yml"
YOU_SAID_FILE = "you-said-we-did.yml"
# Statistics for children's services hide counts of 1 to 5 at the least; a smaller threshold
# is allowed (a council's own policy) but warned about.
LOWEST_ADVISED = 5


@dataclass(frozen=True)
class FigureSettings:
    """`threshold`: counts from 1 to this are hidden. `symbol`: what every hidden figure shows
    (DfE publishes `c`), the same for every hidden cell whatever hid it."""

    threshold: int = DEFAULT_THRESHOLD
    symbol: str = "c"


@dataclass(frozen=True)
class YouSaid:
    """One "You said, we did": what children said, what changed, when, and whether the
    Children in Care Council has seen it."""

    you_said: str
    we_did: str
    when: date
    cicc_seen: bool


def top_node(path: Path, file: str) -> Node | None:
    """An optional settings file's contents: None when it is missing or empty."""
    if not path.is_file():
        return None
    node = load_file(path, file)
    if isinstance(node, Scalar) and node.value is None:
        return None  # an empty file: the defaults
    return node


def read_figure_settings(
    path: Path, root: Path | None = None
) -> tuple[FigureSettings, list[Problem]]:
    """The settings and any warnings; raises YourReviewError when anything is an error."""
    file = display_path(path, root)
    node = top_node(path, file)
    if node is None:
        return FigureSettings(), []
    declared, found, problems = validate(FiguresFile, node, file, "config")
    at = found.values.get(("threshold",))
    raw = at.value if isinstance(at, Scalar) else None
    # Warned even beside an error elsewhere in the file: every problem in one run.
    if raw and raw.strip().isdigit() and 1 <= int(raw) < LOWEST_ADVISED:
        FileProblems(file, "config", problems).error(
            at,
            "threshold",
            f"{int(raw)} hides fewer small numbers than official statistics do",
            f"write {LOWEST_ADVISED} or more (10 for a small service), unless your council "
            "has decided otherwise",
            Severity.WARNING,
        )
    _raise_errors(problems)
    assert declared is not None
    return FigureSettings(declared.threshold or DEFAULT_THRESHOLD, declared.symbol), problems


def read_you_said(path: Path, root: Path | None = None) -> tuple[YouSaid, ...]:
    file = display_path(path, root)
    node = top_node(path, file)
    if node is None:
        return ()
    declared, _, problems = validate(YouSaidFile, node, file, "config")
    _raise_errors(problems)
    assert declared is not None
    entries = (YouSaid(e.you_said, e.we_did, e.when, e.cicc_seen == "yes") for e in declared.root)
    return tuple(sorted(entries, key=lambda e: e.when, reverse=True))


def _raise_errors(problems: list[Problem]) -> None:
    if any(p.severity is Severity.ERROR for p in problems):
        raise YourReviewError(problems)
