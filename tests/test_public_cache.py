"""An unchanged project's public build reads its figures back whole, and is byte for byte what a
build with no cache gives, whatever changed in between (a record, the answers store); the leak
check still sees every identifier of the records as they are now.

Real builds of the example council, with its answers imported as the README says.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import build_site, copy_example
from test_example_answers import COMMANDS
from yourreview import project as project_module
from yourreview.cache import CACHE_DIR
from yourreview.cli import main
from yourreview.errors import YourReviewError
from yourreview.feedback import store
from yourreview.figurepages import PUBLIC, public_key
from yourreview.project import DeferredMinutes, Paths, load_project

RECORD = "minutes/imported/2024/h-anouk-5.yml"  # a review in a year the site publishes


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def same(one: dict[str, bytes], other: dict[str, bytes]) -> list[str]:
    """The files that differ, or are in only one of the sites."""
    names = sorted(set(one) | set(other))
    return [n for n in names if one.get(n) != other.get(n)]


def change_record(project: Path) -> None:
    """The review's letter went out late: the year's figures change."""
    path = project / RECORD
    text = path.read_text(encoding="utf-8")
    assert "minutes_sent: 2024-08-08" in text
    path.write_text(text.replace("2024-08-08", "2024-09-30"), encoding="utf-8")


def change_answers(project: Path) -> None:
    """A person set aside every carers' answer: the counts on the year pages change."""
    conn = sqlite3.connect(store.store_path(project))
    try:
        with conn:
            changed = conn.execute("DELETE FROM answers WHERE form_id = 'carer'").rowcount
    finally:
        conn.close()
    assert changed


@pytest.fixture
def council(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # sitemap.xml.gz carries a time
    monkeypatch.delenv("YOURREVIEW_CACHE", raising=False)
    project = copy_example(tmp_path / "council")
    for command in COMMANDS:
        assert main(["--project", str(project), *command]) == 0, command
    return project


def test_an_unchanged_project_parses_no_record_and_builds_the_same_site(
    council: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tree(build_site(council, tmp_path / "first"))
    kept = council / CACHE_DIR / PUBLIC
    assert len([p for p in kept.rglob("*") if p.is_file()]) == 2  # the figures, the identifiers
    project = load_project(Paths.under(council), defer=True)
    assert isinstance(project.minutes, DeferredMinutes)
    assert public_key(project) is not None

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("a record was read")

    monkeypatch.setattr(project_module, "read_minutes", no_reading)
    again = tree(build_site(council, tmp_path / "again"))
    assert not same(first, again)


@pytest.mark.parametrize("change", [change_record, change_answers])
def test_a_public_build_after_a_change_is_byte_for_byte_a_clean_build(
    council: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: object
) -> None:
    before = tree(build_site(council, tmp_path / "before"))
    assert callable(change)
    change(council)
    warm = tree(build_site(council, tmp_path / "warm"))
    assert same(before, warm), "the change did not reach the public site: a weak test"
    monkeypatch.setenv("YOURREVIEW_CACHE", "off")
    clean = tree(build_site(council, tmp_path / "clean"))
    assert not same(warm, clean)


def test_the_leak_check_sees_a_name_added_since_the_figures_were_kept(
    council: Path, tmp_path: Path, failed_build: object
) -> None:
    build_site(council, tmp_path / "before")
    path = council / RECORD
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: Anouk\n", "  name: Zephyrine\n"), encoding="utf-8")
    page = council / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nZephyrine\n", encoding="utf-8")
    assert callable(failed_build)
    logged = failed_build(council)
    assert f"index.html: contains a child name from {RECORD}" in logged


def test_a_record_broken_after_a_clean_read_is_refused(council: Path, tmp_path: Path) -> None:
    build_site(council, tmp_path / "site")
    path = council / RECORD
    path.write_text(
        path.read_text(encoding="utf-8").replace("number: 5", "number: five"), encoding="utf-8"
    )
    for _ in range(2):
        with pytest.raises(YourReviewError) as failed:
            load_project(Paths.under(council), defer=True)
        assert [p.file for p in failed.value.problems] == [RECORD]


def test_yourreview_build_reads_the_project_once_and_builds_what_a_clean_build_gives(
    council: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    build = ["--project", str(council), "build", "--site-dir", str(site)]
    assert main(build) == 0  # the first: every record read, the figures kept
    listed: list[Path] = []
    real = project_module.find_files

    def listing(folder: Path) -> list[Path]:
        listed.append(folder)
        return real(folder)

    monkeypatch.setattr(project_module, "find_files", listing)
    change_record(council)
    assert main(build) == 0
    assert len(listed) == 1, "the plugin listed the records again instead of taking the CLI's"
    warm = tree(site)
    monkeypatch.setenv("YOURREVIEW_CACHE", "off")
    assert main([*build[:-1], str(tmp_path / "clean")]) == 0
    assert not same(warm, tree(tmp_path / "clean"))
