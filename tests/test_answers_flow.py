"""The feedback stage sits below pages and above the records: it imports nothing later."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "yourreview"
LATER = {"formpages", "pages", "leaks", "hosting", "pdf", "plugin", "config", "cli"}
INNER = [
    "answers",
    "store",
    "tables",
    "paper",
    "rows",
    "importer",
    "receiver",
    "views",
    "redact",
    "quotes",
    "answerleaks",
]


def imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found |= {base + a.name if not node.module else base for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


@pytest.mark.parametrize("module", INNER)
def test_no_import_runs_back_up_the_flow(module: str) -> None:
    names = imported(PACKAGE / "feedback" / f"{module}.py")
    outer = {n.lstrip(".").split(".")[0] for n in names if n.startswith("..")}
    assert not outer & LATER, outer & LATER
    assert not any(n.split(".")[0] == "mkdocs" for n in names)
    inner = {
        n.lstrip(".").split(".")[0] for n in names if n.startswith(".") and not n.startswith("..")
    }
    assert all(INNER.index(i) < INNER.index(module) for i in inner if i in INNER), inner
