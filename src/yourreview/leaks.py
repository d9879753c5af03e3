"""The leak check: prove a public build holds no personal data from `minutes/`.

Every output file is read (HTML, the search index, sitemaps and their .gz, anything copied from
docs/) and so is every file and folder name. A hit names the output file, the kind of
identifier and the record it came from, never the value itself: build logs are often public.

Each file is read once: its words are looked up in sets of identifier word sequences, its digit
runs in a set of phone numbers, its dates in a set of dates of birth. One regex per identifier
would be simpler to write and a hundred times slower on the theme's scripts.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .clock import MONTH_NAMES
from .feedback.answerleaks import answer_identifiers
from .feedback.quotes import quote_redactor
from .feedback.redact import RELATIONS
from .figurepages import kept_whole
from .project import Project
from .records import Minutes

TEXT_SUFFIXES = {
    ".html",
    ".htm",
    ".json",
    ".xml",
    ".txt",
    ".js",
    ".css",
    ".svg",
    ".csv",
    ".md",
    ".yml",
    ".yaml",
    ".map",
    ".webmanifest",
    ".tsv",
    "",
}

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A written answer is found by its words: letters only, so "don't" reads the same in a page's
# HTML ("don&#39;t") as in the answer. FRAGMENT words in a row is a leak; a shorter answer of at
# least SHORTEST words, whole.
_LETTERS = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|([^\W\d_]+)")
FRAGMENT = 6
SHORTEST = 4
_DIGIT_RUN = re.compile(r"(?<!\d)\+?\d[\d \t().-]{4,}\d(?!\d)")
_DATES = re.compile(
    r"(?<!\d)(?:(\d{4})-(\d{2})-(\d{2})"
    r"|(\d{1,2})/(\d{1,2})/(\d{4})"
    r"|(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4}))(?!\d)"
)


@dataclass(frozen=True)
class Leak:
    output: str  # the output file (or name) it was found in, relative to site/
    kind: str
    source: str

    def __str__(self) -> str:
        return f"{self.output}: contains a {self.kind} from {self.source}"


@dataclass
class Identifiers:
    """What to look for, keyed for one-pass lookup. Build it with `identifiers()`."""

    # word sequences -> (kind, source): names match case and all, everything else ignores case
    names: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    folded: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    phones: dict[str, tuple[str, str]] = field(default_factory=dict)  # digits only
    dates: dict[date, tuple[str, str]] = field(default_factory=dict)
    single_word_names: set[tuple[str, ...]] = field(default_factory=set)
    # runs of a written answer's words (`letters`), casefolded
    fragments: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    _lengths: dict[int, tuple[int, set[int]]] = field(default_factory=dict, repr=False)
    _starts: tuple[int, set[str]] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return (
            len(self.names)
            + len(self.folded)
            + len(self.phones)
            + len(self.dates)
            + len(self.fragments)
        )

    def lengths(self, table: Mapping[Any, tuple[str, str]]) -> set[int]:
        # Asked once a file for tables of many thousands of keys: kept until the table grows.
        cached = self._lengths.get(id(table))
        if cached is None or cached[0] != len(table):
            cached = (len(table), {len(key) for key in table})
            self._lengths[id(table)] = cached
        return cached[1]

    def __getstate__(self) -> dict[str, Any]:
        # Kept in the cache without the memos: they are keyed by id(), which another process
        # gives to other objects.
        return {**self.__dict__, "_lengths": {}, "_starts": None}

    def fragment_starts(self) -> set[str]:
        """The first word of every run looked for: only there can a run begin."""
        if self._starts is None or self._starts[0] != len(self.fragments):
            self._starts = (len(self.fragments), {run[0] for run in self.fragments})
        return self._starts[1]


def words(text: str) -> list[str]:
    return _WORDS.findall(text)


def letters(text: str) -> list[str]:
    """The text's words, letters only, casefolded, HTML's character references skipped."""
    return [w.casefold() for w in _LETTERS.findall(text) if w]


def written_runs(text: str) -> list[tuple[str, ...]]:
    """What of a written answer is looked for: each FRAGMENT words in a row, or the whole
    answer when it is shorter but has at least SHORTEST words."""
    found = letters(text)
    if len(found) < SHORTEST:
        return []
    return list(_ngrams(found, min(FRAGMENT, len(found))))


def identifiers(
    minutes: Minutes,
    public: Iterable[str] = (),
    ordinary_words: Iterable[str] = (),
    tokens: Iterable[tuple[str, str]] = (),
    answers: Iterable[tuple[str, str, str]] = (),
    quoted: Iterable[str] = (),
) -> Identifiers:
    """Every personal identifier in the records, and every review's token as (source, token).
    `answers`: (kind, source, value) from the answers (feedback/answerleaks.py); a written
    answer's words are looked for as runs, except runs the approved quotes (`quoted`) publish
    by consent. Values the council publishes are left out."""
    published = {v.casefold() for v in public}
    ordinary = {w.casefold() for w in ordinary_words}
    ids = Identifiers()

    for source, token in tokens:
        ids.folded.setdefault((token.casefold(),), ("review token", source))
    for r in minutes.records:
        found = (r.source,)
        for kind, value in (
            ("reference", r.ref),
            ("child reference", r.child_id),
            ("email address", r.iro.email),
        ):
            if value and value.casefold() not in published:
                ids.folded.setdefault(tuple(w.casefold() for w in words(value)), (kind, *found))
        if r.iro.phone and r.iro.phone.casefold() not in published:
            digits = re.sub(r"\D", "", r.iro.phone)
            if len(digits) >= 6:
                ids.phones.setdefault(digits, ("phone number", r.source))
        ids.dates.setdefault(r.date_of_birth, ("date of birth", r.source))
        names = [("child name", r.name), ("IRO name", r.iro.name)]
        names += [("name of someone at the review", p.name) for p in r.people]
        for kind, name in names:
            folded = name.casefold()
            if folded in RELATIONS or folded in ordinary or folded in published:
                continue
            key = tuple(words(name))
            if key:
                ids.names.setdefault(key, (kind, r.source))
                if len(key) == 1:
                    ids.single_word_names.add(key)
    _add_answers(ids, answers, quoted, published, ordinary)
    return ids


def project_identifiers(project: Project) -> Identifiers:
    """What the leak check looks for on the project's public site: every identifier in its
    records (with each review's token) and in its answers, less what the council publishes.
    Kept whole in the cache under `figurepages.public_key` (the exact bytes of every record
    file, the answers store, the quotes and the settings): an unchanged project's are read
    back, not made again from every record. The site itself is scanned on every build."""

    def make() -> Identifiers:
        minutes = project.minutes
        tokens = [(r.source, project.token(r)) for r in minutes.records]
        redact = quote_redactor(minutes, project.council)
        answers, quoted = answer_identifiers(project.paths.root, project.forms, redact)
        return identifiers(
            minutes,
            project.published_values(),
            project.council.ordinary_words,
            tokens,
            answers,
            quoted,
        )

    return kept_whole(project, "identifiers", make)


def _add_answers(
    ids: Identifiers,
    answers: Iterable[tuple[str, str, str]],
    quoted: Iterable[str],
    published: set[str],
    ordinary: set[str],
) -> None:
    for kind, source, value in answers:
        folded = value.casefold()
        if kind == "written answer":
            for run in written_runs(value):
                ids.fragments.setdefault(run, (kind, source))
        elif kind == "phone number":
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 6 and folded not in published:
                ids.phones.setdefault(digits, (kind, source))
        elif folded in published or folded in RELATIONS or folded in ordinary:
            continue
        elif kind.startswith("name"):  # names match as written, as the records' names do
            key = tuple(words(value.removesuffix("'s").removesuffix("’s")))
            if key:
                ids.names.setdefault(key, (kind, source))
                if len(key) == 1:
                    ids.single_word_names.add(key)
        else:
            key = tuple(w.casefold() for w in words(value))
            if key:
                ids.folded.setdefault(key, (kind, source))
    for text in quoted:
        for run in written_runs(text):
            ids.fragments.pop(run, None)


def scan_text(where: str, text: str, ids: Identifiers, strong_only: bool = False) -> list[Leak]:
    """Every identifier in one text. `strong_only` leaves out one-word names (see scan_site)."""
    hits: dict[tuple[str, str], None] = {}
    tokens = words(text)
    folded = [t.casefold() for t in tokens]
    for table, seq in ((ids.names, tokens), (ids.folded, folded)):
        for n in ids.lengths(table):
            for gram in _ngrams(seq, n):
                hit = table.get(gram)
                if hit and not (
                    strong_only and table is ids.names and gram in ids.single_word_names
                ):
                    hits[hit] = None
    if ids.fragments:
        runs = letters(text)
        starts, sizes = ids.fragment_starts(), ids.lengths(ids.fragments)
        for i, word in enumerate(runs):
            if word in starts:
                for n in sizes:
                    hit = ids.fragments.get(tuple(runs[i : i + n]))
                    if hit:
                        hits[hit] = None
    if ids.phones:
        # A phone is in a run when a slice of the run's length is it: a few set lookups per run
        # instead of one comparison per phone number of every record.
        sizes = ids.lengths(ids.phones)
        for run in _DIGIT_RUN.findall(text):
            digits = re.sub(r"\D", "", run)
            for n in sizes:
                for i in range(len(digits) - n + 1):
                    phone_hit = ids.phones.get(digits[i : i + n])
                    if phone_hit:
                        hits[phone_hit] = None
    for match in _DATES.finditer(text):
        found = _date(match)
        if found and found in ids.dates:
            hits[ids.dates[found]] = None
    return [Leak(where, kind, source) for kind, source in hits]


def _ngrams(seq: list[str], n: int) -> Iterator[tuple[str, ...]]:
    return (tuple(seq[i : i + n]) for i in range(len(seq) - n + 1))


def _date(match: re.Match[str]) -> date | None:
    g = match.groups()
    try:
        if g[0]:
            return date(int(g[0]), int(g[1]), int(g[2]))
        if g[3]:
            return date(int(g[5]), int(g[4]), int(g[3]))
        month = next(
            (i for i, m in enumerate(MONTH_NAMES, 1) if m.lower().startswith(g[7].lower()[:3])), 0
        )
        return date(int(g[8]), month, int(g[6])) if month else None
    except ValueError:
        return None


def scan_site(site_dir: Path, ids: Identifiers, theme_dirs: Iterable[Path] = ()) -> list[Leak]:
    """Every place an identifier appears in the built site, including file and folder names.

    A file byte for byte the same as the theme's own copy (`theme_dirs`) holds nothing from
    the minutes, so only its name is checked: reading Material's scripts would double the
    build. Images, fonts and other binary files are searched for everything but one-word names,
    which turn up by chance in binary data.
    """
    themes = [Path(d) for d in theme_dirs]
    leaks: list[Leak] = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        leaks += scan_text(f"{rel} (its name)", rel, ids)
        if path.is_file() and not _from_theme(path, rel, themes):
            text, binary = _read_text(path)
            leaks += scan_text(rel, text, ids, strong_only=binary)
    return leaks


def _from_theme(path: Path, rel: str, themes: list[Path]) -> bool:
    size = path.stat().st_size
    for theme in themes:
        original = theme / rel
        if original.is_file() and original.stat().st_size == size:
            return original.read_bytes() == path.read_bytes()
    return False


def _read_text(path: Path) -> tuple[str, bool]:
    """The file's text, and whether it is binary (an image, a font, a PDF)."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".gz":
        try:
            data = gzip.decompress(data)
            suffix = Path(path.stem).suffix.lower()
        except (OSError, EOFError):
            pass
    if suffix not in TEXT_SUFFIXES or b"\x00" in data[:4096]:
        # Still searched, byte for byte: a reference typed into an image's metadata counts.
        return data.decode("latin-1"), True
    return data.decode("utf-8", errors="replace"), False
