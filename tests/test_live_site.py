"""The preview's fast path in one process: a saved record re-renders only the pages it changed,
and the site is then byte for byte what a clean build writes (every file, search index and
headers included)."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from yourreview.plugin import build_live, build_site

SAM_2 = "letters/AT-2026-0301.md"  # minutes/2026/sam-2.yml
SAM_3 = "letters/AT-2026-0877.md"  # his next review, whose letter says how last time's went


def differing(a: Path, b: Path) -> list[str]:
    found: list[str] = []

    def walk(d: filecmp.dircmp[str], where: str) -> None:
        found.extend(where + name for name in d.left_only + d.right_only)
        _, mismatch, errors = filecmp.cmpfiles(d.left, d.right, d.common_files, shallow=False)
        found.extend(where + name for name in mismatch + errors)
        for name, sub in d.subdirs.items():
            walk(sub, where + name + "/")

    walk(filecmp.dircmp(a, b), "")
    return found


@pytest.fixture
def internal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOURREVIEW_AUDIENCE", "internal")


@pytest.mark.usefixtures("internal")
def test_an_earlier_review_saved_remakes_its_pages_as_a_clean_build_writes_them(
    example: Path, tmp_path: Path
) -> None:
    live = build_live(example / "mkdocs.yml", tmp_path / "live")
    record = example / "minutes/2026/sam-2.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("swimming lessons", "swimming clubs"), encoding="utf-8")
    letters = live.refresh_letters([record])
    # Its letter, and the next review's if that changed (it says how last time's plans went).
    assert SAM_2 in letters and set(letters) <= {SAM_2, SAM_3}
    rest = live.refresh([record])  # as the preview calls it: only the saved record read again
    assert rest is not None and not set(rest) & set(letters)  # each made once
    assert len(rest) <= 10, rest  # the pages that list it, not the whole site
    assert "swimming clubs" in (tmp_path / "live/letters/AT-2026-0301/index.html").read_text(
        encoding="utf-8"
    )
    build_site(example / "mkdocs.yml", tmp_path / "clean")
    assert differing(tmp_path / "live", tmp_path / "clean") == []


@pytest.mark.usefixtures("internal")
def test_a_record_broken_or_added_needs_a_full_build(example: Path, tmp_path: Path) -> None:
    live = build_live(example / "mkdocs.yml", tmp_path / "live")
    record = example / "minutes/2026/sam-2.yml"
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("date: 2026-05-12", "date: 12/05/2026"), encoding="utf-8")
    assert live.refresh_letters([record]) == []  # it has no letter now
    assert live.refresh() is None  # a page gone: only a full build is right
    live = build_live(example / "mkdocs.yml", tmp_path / "again")
    record.write_text(good, encoding="utf-8")
    assert live.refresh_letters([record]) == [] and live.refresh() is None  # a page back
