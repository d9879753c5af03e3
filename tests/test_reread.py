"""Reading again only what was saved (the preview, at every save): `load_project(before=…,
saved=…)` gives exactly the project a full read gives (the same records with every field, in
the same order, the same problems, the same unread files), for a record changed, added,
deleted, broken or clashing with another, over the example and a generated council; and it
reads only the files saved."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from yourreview.errors import YourReviewError
from yourreview.project import Paths, Project, load_project

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # the benchmark's fictional council

Save = Callable[[Path], list[Path]]  # changes the council's files, returns the paths saved


def exact(project: Project) -> dict[str, Any]:
    """Everything a project holds, the fields equality leaves out included (each record's
    free text and positions), but not its compiled templates, cache or reads."""
    minutes = project.minutes
    records = [(r, r.texts, r.where) for r in minutes.records]
    every = {f.name: getattr(project, f.name) for f in dataclasses.fields(project)}
    for name in ("env", "cache", "minutes"):
        del every[name]
    return {
        **every,
        "records": records,
        "warnings in records": minutes.warnings,
        "unread": minutes.unread,
        "files": minutes.files,
    }


def assert_same_as_full_read(root: Path, before: Project, saved: list[Path]) -> Project:
    paths = Paths.under(root)
    again = load_project(paths, partial=True, before=before, saved=saved)
    full = load_project(paths, partial=True)
    assert exact(again) == exact(full)
    assert again.minutes == full.minutes and again.warnings == full.warnings
    return again


def change(path: str, old: str, new: str) -> Save:
    def save(root: Path) -> list[Path]:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{path} no longer holds {old!r}: update the test"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
        return [file]

    return save


def add(path: str, copy_of: str, ref: str, new_ref: str) -> Save:
    def save(root: Path) -> list[Path]:
        text = (root / copy_of).read_text(encoding="utf-8")
        assert ref in text
        (root / path).write_text(text.replace(ref, new_ref), encoding="utf-8")
        return [root / path]

    return save


def delete(path: str) -> Save:
    def save(root: Path) -> list[Path]:
        (root / path).unlink()
        return [root / path]

    return save


EXAMPLE_SAVES = {
    "changed": change("minutes/2026/sam-2.yml", "swimming lessons", "swimming clubs"),
    "added": add(
        "minutes/2026/sam-9.yml", "minutes/2026/sam-2.yml", "AT-2026-0301", "AT-2026-0999"
    ),
    "deleted": delete("minutes/2026/sam-2.yml"),
    "broken": change("minutes/2026/sam-2.yml", "swimming lessons", 'swimming: "lessons'),
    "ref used twice": change("minutes/2026/sam-2.yml", "AT-2026-0301", "AT-2026-0877"),
    "another birthday": change("minutes/2026/sam-2.yml", "date_of_birth: 20", "date_of_birth: 19"),
}


@pytest.mark.parametrize("case", list(EXAMPLE_SAVES))
def test_reading_only_the_saved_record_gives_what_a_full_read_gives(
    example: Path, case: str
) -> None:
    before = load_project(Paths.under(example), partial=True)
    saved = EXAMPLE_SAVES[case](example)
    assert_same_as_full_read(example, before, saved)


def test_one_save_after_another_then_the_fix(example: Path) -> None:
    """Each read builds on the last, as in a preview left running all day."""
    project = load_project(Paths.under(example), partial=True)
    for save in (
        EXAMPLE_SAVES["broken"],
        change("minutes/2026/sam-2.yml", 'swimming: "lessons', "swimming lessons"),
        EXAMPLE_SAVES["ref used twice"],
        change("minutes/2026/sam-2.yml", "AT-2026-0877", "AT-2026-0301"),
        EXAMPLE_SAVES["added"],
        delete("minutes/2026/sam-9.yml"),
    ):
        project = assert_same_as_full_read(example, project, save(example))


def test_only_the_saved_files_are_read_again(example: Path) -> None:
    before = load_project(Paths.under(example), partial=True)
    saved = EXAMPLE_SAVES["changed"](example)
    again = load_project(Paths.under(example), partial=True, before=before, saved=saved)
    reused = [p for p in again.minutes.reads if again.minutes.reads[p] is before.minutes.reads[p]]
    assert set(again.minutes.reads) - set(reused) == set(saved)
    assert again.env is before.env  # the templates are not compiled again
    assert "swimming clubs" in repr(again.minutes.records)


def test_a_saved_setting_or_template_reads_everything_again(example: Path) -> None:
    before = load_project(Paths.under(example), partial=True)
    council = example / "site_config/council.yml"
    text = council.read_text(encoding="utf-8")
    council.write_text(text.replace("  last_tested: 2026-11-23\n", "", 1), encoding="utf-8")
    again = load_project(Paths.under(example), partial=True, before=before, saved=[council])
    full = load_project(Paths.under(example), partial=True)
    assert again.env is not before.env and exact(again) == exact(full)
    assert "accessibility.last_tested" in [p.field for p in again.settings_warnings]


def test_a_broken_record_stops_a_whole_read_as_it_stops_a_full_one(example: Path) -> None:
    before = load_project(Paths.under(example))
    saved = EXAMPLE_SAVES["broken"](example)
    with pytest.raises(YourReviewError) as again:
        load_project(Paths.under(example), before=before, saved=saved)
    with pytest.raises(YourReviewError) as full:
        load_project(Paths.under(example))
    assert again.value.problems == full.value.problems


def test_paths_written_another_way_name_the_same_records(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watcher may name a file relative to where the preview started, or absolutely."""
    monkeypatch.chdir(example)
    before = load_project(Paths.under(Path(".")), partial=True)
    EXAMPLE_SAVES["changed"](example)
    again = load_project(
        Paths.under(Path(".")),
        partial=True,
        before=before,
        saved=[example / "minutes/2026/sam-2.yml"],
    )
    assert "swimming clubs" in repr(again.minutes.records)
    assert exact(again) == exact(load_project(Paths.under(Path(".")), partial=True))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("generated") / "council", 240)


def test_over_a_generated_council(generated: Path, tmp_path: Path) -> None:
    import shutil

    root = Path(shutil.copytree(generated, tmp_path / "council"))
    files = sorted((root / "minutes").rglob("*.yml"))
    first, second, third = (f.relative_to(root).as_posix() for f in files[10:13])
    ref = "BM-" + Path(first).stem.removeprefix("review-")
    other = "BM-" + Path(second).stem.removeprefix("review-")
    project = load_project(Paths.under(root), partial=True)
    for save in (
        change(first, "child:\n  id: ", "child:\n  id: X"),  # now another child
        add("minutes/2026/review-new.yml", first, ref, "BM-NEW-1"),
        delete(third),
        change(second, "review:\n", "review: [\n"),  # broken
        change(second, "review: [\n", "review:\n"),
        change(first, f"ref: {ref}", f"ref: {other}"),  # a reference used twice
        change(first, "  number: ", "  number: 1"),  # numbered out of order
    ):
        project = assert_same_as_full_read(root, project, save(root))
    assert project.minutes.unread  # the clash above is listed, as a full read lists it


def test_an_editors_temporary_file_is_no_record(example: Path) -> None:
    before = load_project(Paths.under(example), partial=True)
    saved = EXAMPLE_SAVES["changed"](example)
    swap = example / "minutes/2026/.sam-2.yml.swp"
    swap.write_text("not a record", encoding="utf-8")
    gone = example / "minutes/2026/4913"  # written and deleted by vim to test the folder
    again = assert_same_as_full_read(example, before, [*saved, swap, gone])
    reused = [p for p in again.minutes.reads if again.minutes.reads[p] is before.minutes.reads[p]]
    assert len(reused) == len(again.minutes.reads) - 1


def test_a_folder_of_records_moved_reads_them_all(example: Path) -> None:
    before = load_project(Paths.under(example), partial=True)
    (example / "minutes/2026").rename(example / "minutes/2027")
    saved = [example / "minutes/2026", example / "minutes/2027"]
    again = assert_same_as_full_read(example, before, saved)
    assert any(r.source.startswith("minutes/2027/") for r in again.minutes.records)
    assert not any(r.source.startswith("minutes/2026/") for r in again.minutes.records)


def test_a_project_keeps_its_settings_as_they_were_when_read(example: Path) -> None:
    # The preview reuses an older project's compiled templates only while its settings and
    # templates are those on disk: that needs what they were then, not what they are now.
    first = load_project(Paths.under(example))
    council = example / "site_config" / "council.yml"
    council.write_text(council.read_text(encoding="utf-8") + "# saved\n", encoding="utf-8")
    second = load_project(Paths.under(example))
    assert first.inputs_digest() == second.inputs_digest()  # both read the files as now
    assert first.loaded_inputs != second.loaded_inputs
    assert second.loaded_inputs == second.inputs_digest()
