"""The preview's watcher: a saved, added or deleted file is told, by the system's events
(watchdog) and by the polling fallback; a folder that appears later is watched too; a folder's
own time changing is not a save. Bounded waits, no timing asserted."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from yourreview.watching import Places, Saw, by_events, by_polling, snapshot

Watcher = Callable[[Places, Saw, threading.Event], None]
WAIT = 20.0  # seconds: generous, for a busy machine


@contextmanager
def watching(watcher: Watcher, places: list[Path]) -> Iterator[queue.Queue[set[Path]]]:
    told: queue.Queue[set[Path]] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watcher, args=(lambda: list(places), told.put, stop))
    thread.start()
    try:
        yield told
    finally:
        stop.set()
        thread.join(WAIT)
        assert not thread.is_alive()  # stopped when asked


def until(told: queue.Queue[set[Path]], path: Path) -> set[Path]:
    """Everything told until `path` was."""
    seen: set[Path] = set()
    while path not in seen:
        seen |= told.get(timeout=WAIT)
    return seen


@pytest.mark.parametrize("watcher", [by_events, by_polling], ids=["events", "polling"])
def test_a_save_an_addition_and_a_deletion_are_told(watcher: Watcher, tmp_path: Path) -> None:
    minutes, settings = tmp_path / "minutes", tmp_path / "mkdocs.yml"
    (minutes / "2026").mkdir(parents=True)
    record = minutes / "2026" / "sam-2.yml"
    record.write_text("review: 1\n", encoding="utf-8")
    settings.write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "unwatched.txt").write_text("", encoding="utf-8")
    with watching(watcher, [minutes, settings]) as told:
        time.sleep(1)  # the first look (polling) or the watches (events) are in place
        record.write_text("review: 2\n", encoding="utf-8")
        assert record in until(told, record)
        added = minutes / "2026" / "sam-3.yml"
        added.write_text("review: 3\n", encoding="utf-8")
        assert added in until(told, added)
        record.unlink()
        assert record in until(told, record)
        (tmp_path / "unwatched.txt").write_text("changed", encoding="utf-8")
        settings.write_text("site_name: y\n", encoding="utf-8")
        seen = until(told, settings)
        assert tmp_path / "unwatched.txt" not in seen
        assert minutes / "2026" not in seen  # its time changed, but the files say what


def test_a_folder_made_after_the_start_is_watched(tmp_path: Path) -> None:
    later = tmp_path / "feedback"
    with watching(by_events, [tmp_path / "minutes", later]) as told:
        time.sleep(1)  # watching, before the folder is made
        later.mkdir()
        assert later in until(told, later)
        answer = later / "answers.yml"
        answer.write_text("x: 1\n", encoding="utf-8")
        assert answer in until(told, answer)


def test_the_poll_looks_at_files_only(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.yml").write_text("", encoding="utf-8")
    assert list(snapshot([tmp_path])) == [tmp_path / "a" / "b.yml"]
