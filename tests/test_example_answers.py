"""The example council's answers: the README's commands give the README's counts, twice."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_example
from yourreview.cli import main
from yourreview.feedback import store

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("### The example council's answers") :]
COMMANDS = [
    shlex.split(line)[1:]
    for line in SECTION[: SECTION.index("In all:")].splitlines()
    if line.startswith("yourreview import")
]
COUNT = r"rows read (\d+) = new (\d+) \+ already had (\d+) \+ conflicts? (\d+) \+ set aside (\d+)"


def stated() -> list[tuple[int, ...]]:
    text = SECTION[: SECTION.index("### The answers store")].replace("\n", " ")
    return [tuple(int(n) for n in m) for m in re.findall(COUNT, text)]


def totals(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, ...]:
    summed = [0] * 5
    for command in COMMANDS:
        assert main(["--project", str(project), *command]) == 0, command
        out = capsys.readouterr().out
        (last,) = re.findall(r"In all: " + COUNT, out)
        summed = [a + int(b) for a, b in zip(summed, last, strict=True)]
    return tuple(summed)


def test_importing_the_example_gives_the_readmes_counts_then_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_example(tmp_path / "council")
    monkeypatch.chdir(project)  # the README's paths are relative to the council's folder
    first, again = stated()
    assert len(COMMANDS) == 4
    assert totals(project, capsys) == first
    conn = store.connect(store.store_path(project))
    before = store.answers(conn)
    conn.close()
    assert len(before) == first[1] + first[3]
    # Last year's exports say by their columns that they answered version 1: no --form needed.
    versions = {(r.form_id, r.form_version) for r in before}
    assert {("after-review", 1), ("after-review", 2), ("carer", 1), ("carer", 2)} <= versions
    assert totals(project, capsys) == again
    conn = store.connect(store.store_path(project))
    assert store.answers(conn) == before
    forms = {r.form_id for r in before}
    conn.close()
    from yourreview.forms import load_forms

    approved = {f.id for f in load_forms(project / "site_config" / "questions.yml").approved}
    assert forms == approved  # every approved form has answers
    assert len(list((project / "feedback" / "raw").iterdir())) == 17


def test_the_script_makes_the_committed_files(tmp_path: Path) -> None:
    """Rerunning scripts/example_answers.py gives the same answers (cells, lines, text)."""
    from openpyxl import load_workbook

    work = tmp_path / "repo"
    (work / "scripts").mkdir(parents=True)
    (work / "scripts" / "example_answers.py").write_bytes(
        (ROOT / "scripts" / "example_answers.py").read_bytes()
    )
    (work / "src").symlink_to(ROOT / "src")
    subprocess.run([sys.executable, str(work / "scripts" / "example_answers.py")], check=True)
    made = sorted(p.relative_to(work) for p in (work / "feedback").rglob("*") if p.is_file())
    # feedback/quotes.yml is written by `yourreview import` and approved by a person, not by the
    # script (tests/test_quotes.py checks it holds every candidate the answers give).
    shipped = sorted(
        p.relative_to(ROOT)
        for p in (ROOT / "feedback").rglob("*")
        if p.is_file()
        and not {"raw", "set-aside"} & set(p.relative_to(ROOT).parts)
        and p.name != "quotes.yml"
    )
    assert made == shipped
    for path in made:
        if path.suffix == ".xlsx":
            cells = []
            for base in (work, ROOT):
                book = load_workbook(base / path, read_only=True)
                cells.append([list(r) for r in book.worksheets[0].values])
                book.close()
            assert cells[0] == cells[1], path
        else:
            assert (work / path).read_bytes() == (ROOT / path).read_bytes(), path
