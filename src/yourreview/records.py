"""Review records: one YAML file per review in `minutes/`, read strictly into frozen dataclasses.

This is the first stage of the flow. Everything later (letters, checks, the leak check) works on
these records and never on raw YAML.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from .declared import Loc, Tree, extra, leaves, placeholders, validate
from .declared import path as field_path
from .errors import Problem, Severity, YourReviewError, display_path, plural
from .kinds import (  # the declaration of a record's fields; re-exported for the other stages
    HAPPENED,
    HELD,
    JOINED,
    OWN_WORDS,
    PN_CODES,
    STYLE_CHOICES,
    STYLES,
    RecordFile,
)
from .tookpart import without_words
from .yamlsafe import Node, Scalar, load_file, positions

__all__ = ["HAPPENED", "HELD", "JOINED", "PN_CODES", "STYLES", "STYLE_CHOICES"]


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    joined: str = "in person"


@dataclass(frozen=True)
class NextStep:
    who: str
    will: str
    by: date | None


@dataclass(frozen=True)
class Wish:
    """What the child said, and the reply: what will happen or why not yet, or the number of
    the next step (1 for the first) that answers it."""

    wish: str
    reply: str | None = None
    step: int | None = None


@dataclass(frozen=True)
class Worry:
    """A worry, who is worried, and who is helping and how."""

    worry: str
    who: str | None = None
    helping: str | None = None
    will: str | None = None


@dataclass(frozen=True)
class LastTime:
    step: str
    happened: str
    note: str | None = None


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Text:
    """A piece of free text with where it was written, for the language checks."""

    field: str
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class Record:
    source: str  # the path as the user would type it, e.g. minutes/2026/sam-2.yml
    ref: str
    review_date: date
    number: int
    held: str
    minutes_sent: date | None
    child_id: str
    name: str
    date_of_birth: date
    in_care_since: date
    requested_style: str
    own_words: tuple[tuple[str, str], ...]
    iro: Contact
    took_part: str
    took_part_how: str | None
    people: tuple[Person, ...]
    told_me: tuple[Wish, ...]
    going_well: tuple[str, ...]
    worries: tuple[Worry, ...]
    next_steps: tuple[NextStep, ...]
    last_time: tuple[LastTime, ...]
    next_review: date | None
    in_their_words: str | None = None  # quoted as the child said it, with their agreement
    texts: tuple[Text, ...] = field(default=(), compare=False, repr=False)
    # (line, column) of every field, so later checks can point at the line to change.
    where: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, self.review_date)

    @property
    def without_words(self) -> bool:
        """Took part without spoken words (decided in tookpart.py): "What you showed us"."""
        return without_words(self.took_part, self.took_part_how)

    @property
    def style(self) -> str:
        if self.requested_style != "auto":
            return self.requested_style
        return style_for_age(self.age)

    def word(self, name: str) -> str:
        """The child's own word for something, or the plain default."""
        return dict(self.own_words).get(name, name)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def style_for_age(age: int) -> str:
    if age < 8:
        return "early-years"
    if age < 13:
        return "child"
    return "young-person"


@dataclass(frozen=True)
class Unread:
    """A record that did not read: its problems, and the free text it did hold, so the language
    checks still run on it (a misspelt field must not hide the jargon beside it)."""

    source: str
    problems: tuple[Problem, ...]
    texts: tuple[Text, ...] = ()
    own_words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FileRead:
    """One file as `read_minutes` read it, before the checks across records: its record and
    warnings, or why it did not read."""

    resolved: Path
    source: str
    record: Record | None
    found: tuple[Problem, ...] = ()
    unread: Unread | None = None


class RecordError(YourReviewError):
    """A record with errors, carrying the free text read before the errors were counted."""

    def __init__(
        self,
        problems: Iterable[Problem],
        texts: Iterable[Text] = (),
        own_words: Iterable[tuple[str, str]] = (),
    ) -> None:
        super().__init__(problems)
        self.texts = tuple(texts)
        self.own_words = tuple(own_words)


@dataclass(frozen=True)
class Minutes:
    """Every record, in date order, with each child's reviews joined by the child's id."""

    records: tuple[Record, ...]
    warnings: tuple[Problem, ...] = ()
    unread: tuple[Unread, ...] = ()  # records that did not read, so have no letter yet
    # How they were read, file by file: the next read reads again only the files saved since.
    files: tuple[Path, ...] = field(default=(), compare=False, repr=False)
    reads: dict[Path, FileRead] = field(default_factory=dict, compare=False, repr=False)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem: the warnings of the records that read, and those that did not."""
        return tuple(sorted((*self.warnings, *(p for u in self.unread for p in u.problems))))

    def history(self, record: Record) -> list[Record]:
        """The child's earlier reviews, oldest first."""
        return [
            r
            for r in self.by_child().get(record.child_id, [])
            if r.review_date < record.review_date
        ]

    def previous(self, record: Record) -> Record | None:
        earlier = self.history(record)
        return earlier[-1] if earlier else None

    @cached_property
    def _children(self) -> dict[str, list[Record]]:
        # Built once: every letter asks for its child's earlier reviews.
        children: dict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            children[record.child_id].append(record)
        return dict(children)

    def by_child(self) -> dict[str, list[Record]]:
        return self._children


def find_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


# Reads one file: read_record, or the cache wrapped round it.
RecordReader = Callable[[Path, str], tuple["Record", list[Problem]]]


def load_minutes(
    folder: Path,
    root: Path | None = None,
    paths: Iterable[Path] = (),
    read: RecordReader | None = None,
) -> Minutes:
    """Read every record (or just `paths`); raise YourReviewError listing every problem found."""
    minutes = read_minutes(folder, root, paths, read)
    if minutes.unread or any(p.severity is Severity.ERROR for p in minutes.warnings):
        raise YourReviewError(minutes.problems)
    return minutes


def read_minutes(
    folder: Path,
    root: Path | None = None,
    paths: Iterable[Path] = (),
    read: RecordReader | None = None,
    before: Minutes | None = None,
    saved: Collection[Path] = (),
) -> Minutes:
    """Every record that reads (or just `paths`), and every one that does not with its problems:
    one colleague's broken file must not stop the letters of every other child. `read` reads
    one file (default `read_record`; the cache wraps it).

    `before`: these minutes as read before, and `saved`: the files saved since (as `paths`
    names them). Only those are read again; the other files' reads are reused and the checks
    across records run again over all, so the result is what a full read gives."""
    read = read or read_record
    files = list(paths) or find_files(folder)
    earlier = before.reads if before is not None else {}
    changed = set(saved)
    reads: dict[Path, FileRead] = {}
    seen: set[Path] = set()
    base = root.resolve() if root is not None else None
    for path in files:
        known = earlier.get(path) if path not in changed else None
        # Resolved once: thousands of records, each a system call per folder.
        resolved = known.resolved if known is not None else path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        reads[path] = known or _read_file(path, resolved, base, root, read)
    return _joined(tuple(files), reads)


def files_after(files: Iterable[Path], saved: Iterable[Path]) -> list[Path]:
    """What `find_files` gave (`files`, in its order) after the records `saved` (as it names
    them) were saved, added or deleted, without listing the folder again."""
    listed = list(files)
    known = set(listed)
    added = {p for p in saved if p not in known and p.is_file()}
    gone = {p for p in saved if p in known and not p.is_file()}
    # Kept in order rather than sorted again: comparing thousands of paths is not free.
    listed = [p for p in listed if p not in gone] if gone else listed
    for path in added:
        bisect.insort(listed, path)
    return listed


def _read_file(
    path: Path, resolved: Path, base: Path | None, root: Path | None, read: RecordReader
) -> FileRead:
    if base is not None and resolved.is_relative_to(base):
        source = resolved.relative_to(base).as_posix()  # what display_path gives
    else:
        source = display_path(path, root)
    try:
        record, found = read(path, source)
        return FileRead(resolved, source, record, tuple(found))
    except RecordError as exc:
        unread = Unread(source, tuple(exc.problems), exc.texts, exc.own_words)
    except YourReviewError as exc:
        unread = Unread(source, tuple(exc.problems))
    return FileRead(resolved, source, None, unread=unread)


def _joined(files: tuple[Path, ...], reads: dict[Path, FileRead]) -> Minutes:
    """The files' reads, in file order, checked against each other."""
    records = [r.record for r in reads.values() if r.record is not None]
    warnings = [p for r in reads.values() for p in r.found]
    unread = [r.unread for r in reads.values() if r.unread is not None]
    across = _check_across(records)
    # A record at odds with another (a reference used twice) gets no letter until it is fixed.
    clashing = {p.file for p in across if p.severity is Severity.ERROR}
    for record in [r for r in records if r.source in clashing]:
        records.remove(record)
        own = [p for p in (*warnings, *across) if p.file == record.source]
        unread.append(Unread(record.source, tuple(sorted(own)), record.texts, record.own_words))
    warnings = [p for p in (*warnings, *across) if p.file not in clashing]
    records.sort(key=lambda r: (r.review_date, r.ref))
    unread.sort(key=lambda u: u.source)
    return Minutes(tuple(records), tuple(sorted(warnings)), tuple(unread), files, reads)


def read_record(path: Path, display: str) -> tuple[Record, list[Problem]]:
    """One record and its warnings; raises YourReviewError when anything is an error."""
    return parse_record(load_file(path, display), display)


def parse_record(root: Node, source: str) -> tuple[Record, list[Problem]]:
    model, found, problems = validate(RecordFile, root, source)
    # The template's examples are named even when other fields are wrong: one round of fixes.
    problems += placeholders(RecordFile, found, source, "record")
    # The free text is kept even when the record does not read, so the language checks still
    # run on it: a misspelt field must not hide the jargon beside it.
    texts = tuple(
        Text(field_path(loc), node.line, node.column, (node.value or "").strip())
        for loc, info, node in leaves(RecordFile, found)
        if extra(info).get("x-free-text")
    )
    own_words = _own_words(found)
    if model is None:
        raise RecordError(problems, texts, own_words)
    problems += _check_fields(model, found, source)
    if any(p.severity is Severity.ERROR for p in problems):
        raise RecordError(problems, texts, own_words)
    rv, ch = model.review, model.child
    record = Record(
        source=source,
        ref=rv.ref,
        review_date=rv.date,
        number=rv.number,
        held=rv.held,
        minutes_sent=rv.minutes_sent,
        child_id=ch.id,
        name=ch.name,
        date_of_birth=ch.date_of_birth,
        in_care_since=ch.in_care_since,
        requested_style=ch.style,
        own_words=own_words,
        iro=Contact(model.iro.name, model.iro.phone, model.iro.email),
        took_part=model.took_part.code,
        took_part_how=model.took_part.how,
        people=tuple(Person(p.name, p.role, p.joined) for p in model.people),
        told_me=tuple(Wish(w.wish, w.reply, w.step) for w in model.told_me),
        going_well=model.going_well,
        worries=tuple(Worry(w.worry, w.who, w.helping, w.will) for w in model.worries),
        next_steps=tuple(NextStep(s.who, s.will, s.by) for s in model.next_steps),
        last_time=tuple(LastTime(t.step, t.happened, t.note) for t in model.last_time),
        next_review=model.next_review,
        in_their_words=model.in_their_words,
        texts=texts,
        where=positions(root),
    )
    return record, problems


def _own_words(found: Tree) -> tuple[tuple[str, str], ...]:
    """The child's own words for review, home and family time, as written (read from the file,
    not the model, so a record with errors elsewhere keeps them)."""
    words = []
    for name in OWN_WORDS:  # the file's own keys, "family time" with its space
        node = found.values.get(("child", "words", name))
        if isinstance(node, Scalar) and node.value and node.value.strip():
            words.append((name, node.value.strip()))
    return tuple(words)


def _check_fields(model: RecordFile, found: Tree, source: str) -> list[Problem]:
    """What one field alone cannot show: dates in the wrong order, a code for another age."""
    problems: list[Problem] = []

    def error(
        loc: Loc,
        message: str,
        suggestion: str,
        severity: Severity = Severity.ERROR,
        kind: str = "record",
    ) -> None:
        node = found.values[loc]
        problems.append(
            Problem(
                source, node.line, node.column, field_path(loc), message, suggestion, severity, kind
            )
        )

    rv, ch = model.review, model.child
    review_date, born, in_care, code = (
        rv.date,
        ch.date_of_birth,
        ch.in_care_since,
        model.took_part.code,
    )
    if not _is_reference(rv.ref):
        error(
            ("review", "ref"),
            f'"{rv.ref}" is not a reference we can use',
            "use letters, digits and hyphens only, e.g. AT-2026-0412",
        )
    if model.iro.email and "@" not in model.iro.email:
        error(
            ("iro", "email"),
            f'"{model.iro.email}" is not an email address',
            "write it like name@council.gov.uk",
        )
    for i, step in enumerate(model.next_steps):
        if step.by <= review_date:
            error(
                ("next_steps", i, "by"),
                f"{step.by.isoformat()} is not after the review ({review_date.isoformat()})",
                "give a date after the review",
            )
    for i, wish in enumerate(model.told_me):
        if wish.step is not None and wish.step > len(model.next_steps):
            error(
                ("told_me", i, "step"),
                f"there is no next step {wish.step}: "
                f"next_steps has {plural(len(model.next_steps), 'step')}",
                "give the number of the step that answers it (1 for the first), or leave it out",
            )
        elif wish.reply is None and wish.step is None:
            error(
                ("told_me", i),
                "the letter does not answer this yet",
                "write it as `- wish: …` with `reply: …` (what will happen, or why not yet), "
                "or `step: 1` for the next step that answers it",
                Severity.WARNING,
                "reply",
            )
    for i, worry in enumerate(model.worries):
        if worry.helping is None:
            error(
                ("worries", i),
                "the letter does not say who is helping with this worry",
                "write it as `- worry: …` with `helping:` (who is helping), `will:` (what they "
                "will do) and `who:` (who is worried)",
                Severity.WARNING,
                "worry",
            )
    if in_care > review_date:
        error(
            ("child", "in_care_since"),
            f"{in_care.isoformat()} is after the review date ({review_date.isoformat()})",
            "a child comes into care before their first review; check both dates",
        )
    if born > in_care:
        error(
            ("child", "date_of_birth"),
            f"{born.isoformat()} is after coming into care ({in_care.isoformat()})",
            "check the date of birth",
        )
    elif born >= review_date:
        error(
            ("child", "date_of_birth"),
            f"{born.isoformat()} is not before the review",
            "check the date of birth",
        )
    under_four = age_on(born, review_date) < 4
    if under_four and code != "PN0":
        error(
            ("took_part", "code"),
            f"{code} is for children aged 4 or over; this child is under 4",
            "write PN0 for a child under 4 on the review date",
        )
    elif not under_four and code == "PN0":
        error(
            ("took_part", "code"),
            f"PN0 is only for children under 4; this child is {age_on(born, review_date)}",
            "write the code for how the child took part (PN1 to PN7)",
        )
    if rv.minutes_sent and rv.minutes_sent < review_date:
        error(
            ("review", "minutes_sent"),
            "is before the review date",
            "write the date the letter was sent, on or after the review",
        )
    if model.next_review and model.next_review <= review_date:
        error(
            ("next_review",),
            "is not after this review",
            "give the date of the next review, or leave it out to have it worked out",
        )
    if rv.number == 1 and model.last_time:
        error(
            ("last_time",),
            "is filled in on a first review",
            "leave it out: there was no review before this one",
            Severity.WARNING,
        )
    return problems


def _is_reference(ref: str) -> bool:
    # References become internal page addresses, so keep them to what is safe in a URL.
    return ref[0].isalnum() and all(c.isalnum() or c in "-_" for c in ref) and len(ref) <= 64


def _check_across(records: list[Record]) -> list[Problem]:
    """What no single file can show: a reference used twice, a child's details that disagree."""
    problems: list[Problem] = []
    seen: dict[str, Record] = {}
    for record in records:
        if record.ref in seen:
            problems.append(
                Problem(
                    record.source,
                    0,
                    0,
                    "review.ref",
                    f'"{record.ref}" is also used by {seen[record.ref].source}',
                    "give each review its own reference",
                )
            )
        seen.setdefault(record.ref, record)
    children: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        children[record.child_id].append(record)
    for reviews in children.values():
        first = reviews[0]
        for other in reviews[1:]:
            if other.date_of_birth != first.date_of_birth:
                problems.append(
                    Problem(
                        other.source,
                        0,
                        0,
                        "child.date_of_birth",
                        f"differs from {first.source} for the same child ({other.child_id})",
                        "check the date of birth and the child's id",
                    )
                )
        numbers: dict[int, Record] = {}
        for record in sorted(reviews, key=lambda r: r.review_date):
            if record.number in numbers:
                problems.append(
                    Problem(
                        record.source,
                        0,
                        0,
                        "review.number",
                        f"review {record.number} is also {numbers[record.number].source}",
                        "number this child's reviews 1, 2, 3… in date order",
                    )
                )
            numbers.setdefault(record.number, record)
    return problems
