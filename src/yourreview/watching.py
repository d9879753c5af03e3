"""Which files were saved: told by the operating system as it happens (inotify on Linux, through
watchdog, which MkDocs' own `serve` uses), or, where it cannot tell (a network drive, too many
folders watched already), by looking at every file's time and size twice a second.

Looking costs a system call a file: 3,600 records, twice a second, on a busy machine. Being
told costs nothing until a file is saved, and a save is seen in milliseconds instead of up to
half a second later. Knows nothing of records or sites: the preview decides what a save means.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from stat import S_ISDIR

POLL_SECONDS = 0.5  # how often every file is looked at, when the system does not tell us
CHECK_SECONDS = 1.0  # how often a watched folder that did not exist yet is looked for
SETTLE_SECONDS = 0.05  # after a save is told, wait this long for the rest of it to be written

Places = Callable[[], list[Path]]  # the folders (everything under them) and files to watch
Saw = Callable[[set[Path]], None]  # told the files (or folders) saved, added or deleted


def watch(
    places: Places, saw: Saw, poll: bool = False, stop: threading.Event | None = None
) -> None:
    """Tell `saw` of every save until `stop` is set (or forever): by the system's events, or by
    looking (`poll`, or when events cannot be had)."""
    stop = stop or threading.Event()
    if not poll:
        # OSError: e.g. the system's limit of watched folders reached.
        with contextlib.suppress(ImportError, OSError):
            return by_events(places, saw, stop)
    by_polling(places, saw, stop)


def by_polling(places: Places, saw: Saw, stop: threading.Event) -> None:
    before = snapshot(places())
    while not stop.wait(POLL_SECONDS):
        now = snapshot(places())
        if now != before:
            saw({f for f in now.keys() | before.keys() if now.get(f) != before.get(f)})
            before = now


def snapshot(places: list[Path]) -> dict[Path, tuple[int, int]]:
    """Every file's time and size. Files only: a folder's time changes whenever a file in it is
    added or removed (an editor's temporary file, too), and the files themselves say that."""
    seen: dict[Path, tuple[int, int]] = {}
    for place in places:
        files: Iterator[Path] = place.rglob("*") if place.is_dir() else iter([place])
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue  # deleted while we looked: the next look sees it gone
            if not S_ISDIR(stat.st_mode):  # from the same call: thousands of files
                seen[file] = (stat.st_mtime_ns, stat.st_size)
    return seen


def by_events(places: Places, saw: Saw, stop: threading.Event) -> None:
    """Watch with the system's events; raise OSError (or ImportError) if they cannot be had."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.api import BaseObserver

    got: set[Path] = set()
    lock, told = threading.Lock(), threading.Event()

    class Handler(FileSystemEventHandler):
        def __init__(self, folders: list[Path], files: set[Path]) -> None:
            self.folders, self.files = folders, files

        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write") or (
                event.is_directory and event.event_type == "modified"  # a file in it: told too
            ):
                return
            named = {Path(os.fsdecode(p)) for p in (event.src_path, event.dest_path) if p}
            mine = {p for p in named if p in self.files or any(map(p.is_relative_to, self.folders))}
            if mine:
                with lock:
                    got.update(mine)
                told.set()

    def started(watched: list[tuple[Path, bool]]) -> BaseObserver:
        folders = [p for p, folder in watched if folder]
        files = {p for p, folder in watched if not folder}
        handler, observer = Handler(folders, files), Observer()
        for folder in folders:
            observer.schedule(handler, str(folder), recursive=True)
        for parent in {f.parent for f in files if f.parent.is_dir()} - set(folders):
            observer.schedule(handler, str(parent), recursive=False)
        observer.start()  # raises OSError when the system will not watch so many folders
        return observer

    def existing() -> list[tuple[Path, bool]]:
        # What can be watched now, and whether it is a folder: one made later is watched (with
        # everything under it) from when it appears.
        return [(p, p.is_dir()) for p in places() if p.is_dir() or p.parent.is_dir()]

    watched = existing()
    observer = started(watched)
    while not stop.is_set():
        if told.wait(CHECK_SECONDS):
            time.sleep(SETTLE_SECONDS)  # one save can be several events: tell them at once
            told.clear()
        now, new = existing(), set()
        if now != watched:  # watched before telling, so nothing saved in it next is missed
            observer.stop()
            observer = started(now)
            new = {p for p, _ in set(now) ^ set(watched)}  # whatever it holds is new
            watched = now
        with lock:
            saved = got | new
            got.clear()
        if saved:
            saw(saved)
    observer.stop()
