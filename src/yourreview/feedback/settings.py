"""The council's settings for "What you told us": `site_config/figures.yml` (small numbers) and
`site_config/you-said-we-did.yml`. Both are optional; every mistake is a located problem, and
every problem in both files is collected before anything stops."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import Problem, Severity, YourReviewError, display_path
from ..schema import Reader
from ..yamlsafe import Node, Scalar, load_file

FIGURES_FILE = "figures.yml"
YOU_SAID_FILE = "you-said-we-did.yml"
DEFAULT_THRESHOLD = 5
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


def top_node(path: Path, reader: Reader) -> Node | None:
    """An optional settings file's contents: None when it is missing or empty."""
    if not path.is_file():
        return None
    node = load_file(path, reader.file)
    if isinstance(node, Scalar) and node.value is None:
        return None  # an empty file: the defaults
    return node


def read_figure_settings(
    path: Path, root: Path | None = None
) -> tuple[FigureSettings, list[Problem]]:
    """The settings and any warnings; raises YourReviewError when anything is an error."""
    reader = Reader(display_path(path, root), "config")
    found = reader.fields(top_node(path, reader), "", optional=("threshold", "symbol")) or {}
    threshold = reader.integer(found.get("threshold"), "threshold", minimum=1)
    if threshold is not None and threshold < LOWEST_ADVISED:
        reader.error(
            found["threshold"],
            "threshold",
            f"{threshold} hides fewer small numbers than official statistics do",
            f"write {LOWEST_ADVISED} or more (10 for a small service), unless your council "
            "has decided otherwise",
            Severity.WARNING,
        )
    symbol = reader.text(found.get("symbol"), "symbol", required=True)
    if symbol is not None and (len(symbol) > 3 or any(c.isdigit() for c in symbol)):
        reader.error(
            found["symbol"],
            "symbol",
            f'"{symbol}" could be read as a number or is too long',
            "write a short mark with no digits, such as c or *",
        )
        symbol = None
    _raise_errors(reader.problems)
    return FigureSettings(threshold or DEFAULT_THRESHOLD, symbol or "c"), reader.problems


def read_you_said(path: Path, root: Path | None = None) -> tuple[YouSaid, ...]:
    reader = Reader(display_path(path, root), "config")
    entries = []
    for field, item in reader.items(top_node(path, reader), ""):
        found = reader.fields(item, field, required=("you_said", "we_did", "when", "cicc_seen"))
        if found is None:
            continue
        you_said = reader.text(found.get("you_said"), f"{field}.you_said", required=True)
        we_did = reader.text(found.get("we_did"), f"{field}.we_did", required=True)
        when = reader.date(found.get("when"), f"{field}.when")
        seen = reader.choice(found.get("cicc_seen"), f"{field}.cicc_seen", ("yes", "no"))
        if you_said and we_did and when and seen:
            entries.append(YouSaid(you_said, we_did, when, seen == "yes"))
    _raise_errors(reader.problems)
    return tuple(sorted(entries, key=lambda e: e.when, reverse=True))


def _raise_errors(problems: list[Problem]) -> None:
    if any(p.severity is Severity.ERROR for p in problems):
        raise YourReviewError(problems)
