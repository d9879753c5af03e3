"""A content-hash cache beside mkdocs.yml: work whose inputs did not change is not redone.

`.yourreview-cache/` holds parsed records, QR codes, rendered letters and consultation sheets,
PDF letters, and the internal build's pages as the theme drew them (`pagecache.py`). Each
entry is a file named by the SHA-256 of everything that went into it (and
of this package's own source), so an entry is either right or never looked up; nothing is ever
invalidated, only not asked for again. Entries are written whole or not at all (a temporary
file, then a rename) and carry their own checksum, so a cut-off or edited entry is a miss, never
a wrong page. The folder is safe to delete at any time, ignores itself in git, and must sit
outside site/ and docs/. It holds personal data, as minutes/ does: the public build reads only
parsed records, QR codes (a public QR code carries no token), the names of the figures' hidden
cells and its own figures and leak-check identifiers ("public", keyed by every input's bytes)
from it, never a letter.

Set YOURREVIEW_CACHE=off to build without it (nothing read, nothing written).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import tempfile
from collections.abc import Callable, Collection
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

CACHE_DIR = ".yourreview-cache"
SWITCH = "YOURREVIEW_CACHE"  # "off" turns the cache off
# Libraries whose output we store: a new version of any of them is a new key.
LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "qrcode", "holidays", "weasyprint", "pydyf")

T = TypeVar("T")

# Entries this process has read or made, when `keep_in_memory()` asked for it: the preview
# builds again and again in one process, and reading thousands of entries back from disk at
# every save would cost more than the change itself. Keys are content hashes, so never stale.
_memory: dict[tuple[str, str], object] | None = None
_names = itertools.count()  # temporary files' names, with the process id
_kept_kinds: frozenset[str] | None = None  # the kinds kept; None: every kind


def keep_in_memory(kinds: Collection[str] | None = None) -> None:
    """Keep entries in memory from now on: of these `kinds` only (`build`: the records, which
    the plugin reads again in the same process; letters and codes, read once, would only fill
    memory), or of every kind (the preview, building again at every save)."""
    global _memory, _kept_kinds
    if _memory is None:
        _memory = {}
        _kept_kinds = None if kinds is None else frozenset(kinds)
    elif kinds is None:
        _kept_kinds = None
    elif _kept_kinds is not None:
        _kept_kinds |= frozenset(kinds)


def digest(*parts: str | bytes) -> str:
    """One key for several inputs; each is length-prefixed, so ("ab", "c") != ("a", "bc")."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@cache
def code_version() -> str:
    """This package's own source (code, templates, stylesheets) and the libraries above."""
    package = Path(__file__).parent
    parts: list[str | bytes] = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for name in LIBRARIES:
        try:
            parts += [name, metadata.version(name)]
        except metadata.PackageNotFoundError:
            parts += [name, "-"]
    return digest(*parts)


def folder_digest(*folders: Path) -> str:
    """Every file under the folders, by name and content (a council's templates, settings)."""
    parts: list[str | bytes] = []
    for folder in folders:
        parts.append(folder.as_posix())
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


class Cache:
    """Entries by kind ("records", "qr", "pages", "pdf", "rendered") and key; `folder=None` is
    no cache."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self._folders: set[Path] = set()  # made already by this process

    @classmethod
    def beside(cls, root: Path) -> Cache:
        if os.environ.get(SWITCH, "").strip().lower() in ("off", "0", "no", "false"):
            return cls(None)
        return cls(root / CACHE_DIR)

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            raw = self._path(kind, key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        check, data = raw[:32], raw[32:]
        if hashlib.sha256(data).digest() != check:
            self.misses += 1
            return None  # cut off or edited: redo the work
        self.hits += 1
        return data

    def put(self, kind: str, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        path = self._path(kind, key)
        try:
            if path.parent not in self._folders:  # a cold `check` writes thousands of entries
                self._make_folder()
                path.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(path.parent)
            # A name no other process or thread uses (mkstemp's random names cost more).
            tmp = path.parent / f".tmp-{os.getpid()}-{next(_names)}"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # left by a process that died, whose id came back
                fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
                tmp = Path(name)
            with os.fdopen(fd, "wb") as out:
                out.write(hashlib.sha256(data).digest() + data)
            os.replace(tmp, path)  # whole or not at all, even with several processes
        except OSError:
            return  # a read-only or full disk: the build still works, only slower

    def _make_folder(self) -> None:
        assert self.folder is not None
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True, exist_ok=True)
            # Ignored by git wherever the council keeps its repository: it holds personal data.
            (self.folder / ".gitignore").write_text(
                "# Your Review's cache: personal data, safe to delete, never commit it.\n*\n",
                encoding="utf-8",
            )

    def _recall(self, kind: str, key: str) -> object | None:
        if _memory is None or self.folder is None:
            return None
        return _memory.get((kind, key))

    def _remember(self, kind: str, key: str, value: object) -> None:
        kept = _kept_kinds is None or kind in _kept_kinds
        if _memory is not None and self.folder is not None and kept:
            _memory[kind, key] = value

    def text(self, kind: str, key: str, make: Callable[[], str]) -> str:
        known = self._recall(kind, key)
        if isinstance(known, str):
            return known
        found = self.get(kind, key)
        made = found.decode("utf-8") if found is not None else make()
        if found is None:
            self.put(kind, key, made.encode("utf-8"))
        self._remember(kind, key, made)
        return made

    def known(self, kind: str, key: str) -> object | None:
        """The value `value()` stored under this key, or None: lets a caller hand only the
        misses to worker processes."""
        known = self._recall(kind, key)
        if known is not None:
            return known
        found = self.get(kind, key)
        if found is not None:
            try:
                loaded: object = pickle.loads(found)
                self._remember(kind, key, loaded)
                return loaded
            except Exception:  # an entry from an incompatible build: redo the work
                pass
        return None

    def value(
        self, kind: str, key: str, make: Callable[[], T], keep: Callable[[], bool] = lambda: True
    ) -> T:
        """A Python value (a parsed record), pickled; stored only if `keep()` says it may be.
        Only this package writes these files. From memory, the same object each time: callers
        must not change it."""
        known = self.known(kind, key)
        if known is not None:
            return known  # type: ignore[return-value]  # only value() stored it, as a T
        made = make()
        if keep():
            self.put(kind, key, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
            self._remember(kind, key, made)
        return made


NO_CACHE = Cache(None)
