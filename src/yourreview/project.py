"""Load everything a council's repository holds, collecting every problem in one run."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from jinja2.sandbox import SandboxedEnvironment

from .cache import NO_CACHE, Cache, code_version, digest, folder_digest
from .clock import ClockRules, WorkingCalendar, read_clock, review_due_after
from .council import Council, load_council
from .declared import FileProblems
from .errors import Problem, Severity, YourReviewError, display_path
from .feedback.answerfigures import THEMES_FILE, Theme, read_themes
from .feedback.settings import (
    FIGURES_FILE,
    YOU_SAID_FILE,
    FigureSettings,
    YouSaid,
    read_figure_settings,
    read_you_said,
)
from .forms import Forms, load_forms
from .language import Glossary, load_glossary
from .readability import DEFAULT_TARGETS, ReadabilityTarget, read_targets
from .records import (
    FileRead,
    Minutes,
    Record,
    RecordReader,
    Unread,
    files_after,
    find_files,
    read_minutes,
    read_record,
)
from .render import environment
from .statement import AccessibilitySettings, read_accessibility
from .tokens import TokenKey, review_token, token_key


@dataclass(frozen=True)
class Paths:
    root: Path
    minutes: Path
    templates: Path
    site_config: Path

    @classmethod
    def under(
        cls,
        root: Path,
        minutes: str = "minutes",
        templates: str = "templates",
        site_config: str = "site_config",
    ) -> Paths:
        return cls(root, root / minutes, root / templates, root / site_config)

    def watched(self) -> list[Path]:
        """What `mkdocs serve` watches: a saved change rebuilds the preview."""
        return [p for p in (self.minutes, self.templates, self.site_config) if p.is_dir()]


# Where the receiver answers beside a site on one origin (the preview); and the variable through
# which the preview tells the build its own origin, so that its forms and QR links lead to it.
ANSWERS_PATH = "/answers/"
PREVIEW_ORIGIN = "YOURREVIEW_PREVIEW_ORIGIN"


@dataclass(frozen=True)
class Project:
    paths: Paths
    council: Council
    glossary: Glossary
    minutes: Minutes
    env: SandboxedEnvironment
    rules: ClockRules
    calendar: WorkingCalendar
    targets: Mapping[str, ReadabilityTarget]  # readability targets per letter style
    forms: Forms
    key: TokenKey
    accessibility: AccessibilitySettings
    warnings: tuple[Problem, ...] = ()
    cache: Cache = NO_CACHE
    figure_settings: FigureSettings = field(default_factory=FigureSettings)  # figures.yml
    you_said: tuple[YouSaid, ...] = ()  # site_config/you-said-we-did.yml
    themes: tuple[Theme, ...] = ()  # site_config/themes.yml
    # The day an unsent letter would go out: `check --as-of` sets it, tests pin it.
    today: date = field(default_factory=date.today)
    # The warnings about everything but the records: kept for `load_project(before=…)`.
    settings_warnings: tuple[Problem, ...] = field(default=(), compare=False, repr=False)
    # `inputs_digest()` when this project was read (its templates and settings as they were).
    loaded_inputs: str = field(default="", compare=False, repr=False)
    # `records_digest()` of the record files as read, when `load_project(defer=True)` took it:
    # the key of everything the public build derives from the records ("" when not taken).
    records_digest: str = field(default="", compare=False, repr=False)

    def inputs_digest(self) -> str:
        """Everything besides the records that a letter or sheet is made from: our code, the
        council's templates and settings, the token key. Part of every cached page's key."""
        return digest(
            code_version(),
            folder_digest(self.paths.templates, self.paths.site_config),
            self.key.key,
            # Where the links lead, which the preview sets in memory (`served_at`).
            repr((self.council.site_url, self.council.form_endpoint)),
        )

    def published_values(self) -> frozenset[str]:
        """What the council publishes on purpose: never a leak when it appears on the site."""
        return self.council.published_values() | frozenset(self.accessibility.values())

    def served_at(self, origin: str) -> Project:
        """The project as the preview serves it: its forms post to the receiver beside it and
        its QR links lead to it, so the whole loop runs on one computer."""
        council = replace(
            self.council, site_url=f"{origin}/", form_endpoint=f"{origin}{ANSWERS_PATH}"
        )
        return replace(self, council=council)

    def token(self, record: Record) -> str:
        """The opaque token on this review's links: joins a response to it, internally only."""
        return review_token(record.ref, self.key.key)

    def sent_on(self, record: Record) -> date:
        """When the child reads the letter: the day it was sent, or today while it is unsent.
        A next step due by then is told as one that should have happened."""
        return record.minutes_sent or self.today

    def next_review(self, record: Record) -> date:
        """The date the IRO set, but never later than the review clock allows: a letter must
        not promise a child a review after it is due (`check` reports the later date)."""
        limit = review_due_after(record.number, record.review_date, self.rules, self.calendar)
        return min(record.next_review, limit) if record.next_review else limit


T = TypeVar("T")


def _collect(problems: list[Problem], load: Callable[[], T]) -> T | None:
    """Run one loader; keep its problems and go on, so one run lists them all."""
    try:
        return load()
    except YourReviewError as exc:
        problems += exc.problems
        return None


def load_project(
    paths: Paths,
    partial: bool = False,
    extra: Iterable[Path] = (),
    before: Project | None = None,
    saved: Collection[Path] = (),
    defer: bool = False,
) -> Project:
    """Everything the council's repository holds; raise YourReviewError listing every problem.

    `partial`: records that do not read are left out (each listed in `minutes.unread`) instead
    of stopping everything, so the internal site and the preview carry on for every other
    child. The public build never passes it: its figures would be wrong. `extra`: records from
    outside minutes/, checked with this project's settings and against its other records.

    `before`: this project as read before (with the same `partial` and `extra`), and `saved`:
    the files saved since. When they are all records, only they are read again (`read_minutes`)
    and everything else is `before`'s: the same project a full read gives, in a fraction of
    the time (the preview, at every save). Anything else saved: a full read.

    `defer` (the public build): the record files are read and hashed (`records_digest`); when a
    whole read of exactly these files found no error before, their records are parsed only if
    something asks for them (`DeferredMinutes`), so an unchanged project costs a hash, not a
    parse of every record. Their warnings are then not listed (the public build lists none).
    """
    extra = list(extra)
    handed = _handed.pop(_where(paths), None) if defer and before is None and not extra else None
    if handed is not None and not partial:
        return handed
    records = _saved_records(paths, saved, before.minutes) if before is not None else None
    if before is not None and records is not None:
        return _with_records(before, partial, extra, records)
    problems: list[Problem] = []
    config = paths.site_config
    glossary_file, questions_file = config / "glossary.yml", config / "questions.yml"
    council = _collect(problems, lambda: load_council(config / "council.yml", paths.root))
    glossary = _collect(
        problems, lambda: load_glossary(glossary_file, display_path(glossary_file, paths.root))
    )
    cache = Cache.beside(paths.root)
    files = [*find_files(paths.minutes), *extra]

    def read_all() -> Minutes:
        return read_minutes(paths.minutes, paths.root, files, read=cached_reader(cache))

    # The public build, with every record file as it was when a whole read last found no error
    # in them: nothing is parsed until a page asks for a record (with the public figures kept
    # in the cache, none does).
    deferring = defer and not partial and not extra and cache.folder is not None
    fingerprint = records_digest(files) if deferring else ""
    if fingerprint and cache.get(CLEAN, fingerprint) is not None:
        minutes: Minutes | None = DeferredMinutes(lambda: _read_unchanged(read_all, fingerprint))
    else:
        minutes = _collect(problems, read_all)
        if fingerprint and records_digest(files) != fingerprint:
            fingerprint = ""  # saved while it was read: nothing is kept under either
    forms = _collect(
        problems, lambda: load_forms(questions_file, display_path(questions_file, paths.root))
    )
    key = _collect(problems, token_key)
    figures = _collect(problems, lambda: read_figure_settings(config / FIGURES_FILE, paths.root))
    you_said = _collect(problems, lambda: read_you_said(config / YOU_SAID_FILE, paths.root))
    themes = _collect(problems, lambda: read_themes(config / THEMES_FILE, paths.root))
    if figures is not None:
        problems += figures[1]
    rules, calendar, targets = ClockRules(), WorkingCalendar(), DEFAULT_TARGETS
    accessibility = AccessibilitySettings()
    if council is not None:
        file = display_path(paths.site_config / "council.yml", paths.root)
        rules, calendar, in_clock = read_clock(council.clock, file)
        targets, in_targets = read_targets(council.readability, file)
        accessibility, in_statement = read_accessibility(council.accessibility, file)
        problems += [*in_clock, *in_targets, *in_statement]
        if accessibility.last_tested is None:
            FileProblems(file, "config", problems).error(
                council.accessibility,
                "accessibility.last_tested",
                "is missing",
                "write the date of your last accessibility test, e.g. 2026-11-23; "
                "the statement needs it",
                Severity.WARNING,
            )
    in_records: tuple[Problem, ...] = ()  # a deferred read has none to list
    if minutes is not None and not isinstance(minutes, DeferredMinutes):
        in_records = minutes.warnings if partial else minutes.problems
    problems += in_records
    loaded = (council, glossary, minutes, forms, key)
    if any(p.severity is Severity.ERROR for p in problems) or None in loaded:
        raise YourReviewError(problems)
    assert council and glossary and minutes and forms and key
    warnings = tuple(p for p in problems if p.severity is Severity.WARNING)
    project = Project(
        paths,
        council,
        glossary,
        minutes,
        environment(paths.templates, council.helplines),
        rules,
        calendar,
        targets,
        forms,
        key,
        accessibility,
        warnings,
        cache,
        figures[0] if figures else FigureSettings(),
        you_said or (),
        themes or (),
        settings_warnings=warnings[: len(warnings) - len(in_records)],  # records' are last
    )
    if fingerprint and not isinstance(minutes, DeferredMinutes):
        cache.put(CLEAN, fingerprint, b"")  # read whole, with no error: the next may defer
    # What the templates and settings were as this project read them: `inputs_digest()` reads
    # the files as they are now, so it cannot tell whether an older project's are out of date.
    return replace(project, loaded_inputs=project.inputs_digest(), records_digest=fingerprint)


# `yourreview build` reads the project (deferred) before MkDocs starts, to fail fast; the
# plugin's read in that same build takes it (`handed_over`) instead of listing and hashing every
# record file again a second later: one snapshot of the project for the whole build.
_handed: dict[tuple[str, ...], Project] = {}


def _where(paths: Paths) -> tuple[str, ...]:
    return tuple(
        os.path.abspath(p) for p in (paths.root, paths.minutes, paths.templates, paths.site_config)
    )


@contextmanager
def handed_over(project: Project) -> Iterator[None]:
    """While this runs, the next `load_project(..., defer=True)` of the same folders is
    `project` (once)."""
    _handed[_where(project.paths)] = project
    try:
        yield
    finally:
        _handed.pop(_where(project.paths), None)


# Marks record files (by `records_digest`) that a whole read found no error in.
CLEAN = "records-clean"


def records_digest(files: Iterable[Path]) -> str:
    """Every record file by content and by the path `read_minutes` resolves it to (which names
    its record, and finds two names for one file), with our code: one key for the minutes.
    Plain `os` calls and one running hash: it is most of an unchanged public build."""
    h = hashlib.sha256(code_version().encode("utf-8"))
    folders: dict[str, str] = {}  # a few folders resolved, not thousands of files
    for path in files:
        name = str(path)
        folder = os.path.dirname(name)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        try:
            where = (
                os.path.realpath(name)
                if os.path.islink(name)
                else os.path.join(folders[folder], os.path.basename(name))
            )
            with open(name, "rb") as file:
                data = file.read()
        except OSError:
            where, data = name, b"(unreadable)"
        place = where.encode("utf-8", "surrogateescape")
        # Each part length-prefixed, as `cache.digest` does: no two lists of files hash alike.
        for part in (place, data):
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
    return h.hexdigest()


def _read_unchanged(read_all: Callable[[], Minutes], fingerprint: str) -> Minutes:
    """The deferred read: what a whole read gives, refused if it finds an error or if the
    files are no longer those the project was keyed by (saved during the build)."""
    minutes = read_all()
    if minutes.unread or any(p.severity is Severity.ERROR for p in minutes.warnings):
        raise YourReviewError(minutes.problems)
    if records_digest(minutes.files) != fingerprint:
        raise YourReviewError(
            [Problem("minutes", 0, 0, "", "changed during the build", "build again")]
        )
    return minutes


class DeferredMinutes(Minutes):
    """Minutes read only when first asked for (`read`), then exactly what that read gave."""

    def __init__(self, read: Callable[[], Minutes]) -> None:  # no fields of its own to set
        object.__setattr__(self, "_read", read)

    @cached_property
    def _read_now(self) -> Minutes:
        read: Callable[[], Minutes] = object.__getattribute__(self, "_read")
        return read()

    @property
    def records(self) -> tuple[Record, ...]:
        return self._read_now.records

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self._read_now.warnings

    @property
    def unread(self) -> tuple[Unread, ...]:
        return self._read_now.unread

    @property
    def files(self) -> tuple[Path, ...]:
        return self._read_now.files

    @property
    def reads(self) -> dict[Path, FileRead]:
        return self._read_now.reads


def _saved_records(paths: Paths, saved: Collection[Path], before: Minutes) -> list[Path] | None:
    """The records saved (added or deleted), as `find_files(paths.minutes)` names them, however
    the watcher wrote their paths; None if anything else was saved, or a folder of records
    (a folder moved in or away: list them all again). Another file in minutes/ (an editor's
    temporary file) is no record: nothing to read again."""
    folder = Path(os.path.abspath(paths.minutes))
    found = []
    for path in saved:
        where = Path(os.path.abspath(path))
        if not where.is_relative_to(folder):
            return None
        named = paths.minutes / where.relative_to(folder)
        record = named.suffix in (".yml", ".yaml")
        if named.is_file():
            found += [named] * record
        elif named.is_dir() or any(named in f.parents for f in before.files):
            return None  # gone, or a folder
        elif record:
            found.append(named)  # deleted
    return found


def _with_records(before: Project, partial: bool, extra: list[Path], saved: list[Path]) -> Project:
    """`before` with the saved records read again: its settings, templates and key serve on
    (no file of theirs was saved), and so does every record not saved."""
    paths = before.paths
    listed = [f for f in before.minutes.files if f not in extra]
    files = [*files_after(listed, saved), *extra]
    minutes = read_minutes(
        paths.minutes,
        paths.root,
        files,
        read=cached_reader(before.cache),
        before=before.minutes,
        saved=saved,
    )
    in_records = minutes.warnings if partial else minutes.problems
    problems = [*before.settings_warnings, *in_records]
    if any(p.severity is Severity.ERROR for p in in_records):
        raise YourReviewError(problems)
    return replace(before, minutes=minutes, warnings=tuple(problems), today=date.today())


def cached_reader(cache: Cache) -> RecordReader:
    """`read_record`, remembered by the file's bytes (and our code): a file that did not change
    is not parsed again. Files with errors are never stored, so their errors are always shown."""

    def read(path: Path, display: str) -> tuple[Record, list[Problem]]:
        try:
            data = path.read_bytes()
        except OSError:
            return read_record(path, display)  # which says what is wrong
        key = digest(code_version(), display, data)
        # Stored only if the file was not saved again while it was read.
        return cache.value(
            "records",
            key,
            lambda: read_record(path, display),
            keep=lambda: path.read_bytes() == data,
        )

    return read
