"""`check` checks the letters in a worker per core: the same results, in
the same order, as in one process, and the same error when a letter cannot be made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from yourreview import forked
from yourreview.checks import check_project
from yourreview.forked import forked_map
from yourreview.project import Paths, load_project


def test_forked_map_runs_in_other_processes_and_keeps_the_order() -> None:
    items = list(range(200))
    found = forked_map(lambda n: (n * n, os.getpid()), items, 2)
    assert [value for value, _ in found] == [n * n for n in items]  # type: ignore[misc]
    pids = {pid for _, pid in found}  # type: ignore[misc]
    assert pids and os.getpid() not in pids


def test_forked_map_leaves_a_failed_item_to_the_caller_and_does_few_items_here() -> None:
    def work(n: int) -> int:
        if n == 7:
            raise ValueError("seven")
        return n

    found = forked_map(work, list(range(100)), 2)
    assert found[7] is None and found[8] == 8 and found.count(None) == 1
    assert forked_map(os.getpid().__add__, [0, 0], 2) == [os.getpid()] * 2  # too few to fork
    with pytest.raises(ValueError, match="seven"):  # here, the error is raised as it is
        forked_map(work, [7], 2)


def _checked(example: Path, workers: int) -> tuple[object, ...]:
    project = load_project(Paths.under(example), partial=True)
    problems, letters = check_project(project, workers=workers)
    return project.minutes, problems, letters


def test_workers_read_and_check_exactly_what_one_process_does(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forked, "SMALL_BATCH", 2)  # the example's 152 records, in 2 workers
    # A jargon word in a record and in a template, and a long easy-read sentence: each is
    # found once, in the same place, whichever process checked the letter.
    record = example / "minutes/2026/sam-3.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(
        text.replace("You love going swimming", "Your LAC nurse came. You go swimming"), "utf-8"
    )
    alone = _checked(example, 1)
    cache = example / ".yourreview-cache"
    entries = sorted(p.name for p in (cache / "checks").rglob("*") if p.is_file())
    assert len(entries) == len(alone[2])  # type: ignore[arg-type]
    for folder in ("checks", "records"):
        for entry in (cache / folder).rglob("*"):
            if entry.is_file():
                entry.unlink()
    spread = _checked(example, 2)
    assert spread == alone
    assert any("LAC" in p.message for p in spread[1])  # type: ignore[attr-defined]
    # The workers stored every entry, so a second check reads them all back.
    assert sorted(p.name for p in (cache / "checks").rglob("*") if p.is_file()) == entries
    assert _checked(example, 2) == alone


def test_a_template_error_in_a_worker_is_raised_as_in_one_process(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forked, "SMALL_BATCH", 2)
    templates = example / "templates" / "letters"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "young-person.html").write_text(
        "<p>{{ no_such_thing }}</p>",
        encoding="utf-8",
    )
    errors = []
    for workers in (1, 2):
        project = load_project(Paths.under(example), partial=True)
        with pytest.raises(Exception) as raised:
            check_project(project, workers=workers)
        errors.append((type(raised.value), str(raised.value)))
    assert errors[0] == errors[1] and "no_such_thing" in errors[0][1]
