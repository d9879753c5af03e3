"""Review records: one YAML file per review in `minutes/`, read strictly into frozen dataclasses.

This is the first stage of the flow. Everything later (letters, checks, the leak check) works on
these records and never on raw YAML.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from .errors import Problem, Severity, YourReviewError, display_path
from .schema import Reader, positions
from .yamlsafe import Node, load_file

STYLES = ("early-years", "child", "young-person", "easy-read")
STYLE_CHOICES = ("auto", *STYLES)
HELD = ("in person", "online", "mixed")
JOINED = ("in person", "online", "sent their views")
HAPPENED = ("done", "started", "not done")
PN_CODES = tuple(f"PN{n}" for n in range(8))
OWN_WORDS = ("review", "home", "family time")  # words a child may choose for the letter


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
    told_me: tuple[str, ...]
    going_well: tuple[str, ...]
    worries: tuple[str, ...]
    next_steps: tuple[NextStep, ...]
    last_time: tuple[LastTime, ...]
    next_review: date | None
    texts: tuple[Text, ...] = field(default=(), compare=False, repr=False)
    # (line, column) of every field, so later checks can point at the line to change.
    where: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, self.review_date)

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
class Minutes:
    """Every record, in date order, with each child's reviews joined by the child's id."""

    records: tuple[Record, ...]
    warnings: tuple[Problem, ...] = ()

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


def load_minutes(
    folder: Path,
    root: Path | None = None,
    paths: Iterable[Path] = (),
    read: Callable[[Path, str], tuple[Record, list[Problem]]] | None = None,
) -> Minutes:
    """Read every record (or just `paths`); raise YourReviewError listing every problem found.
    `read` reads one file (default `read_record`; the cache wraps it)."""
    read = read or read_record
    files = list(paths) or find_files(folder)
    records: list[Record] = []
    problems: list[Problem] = []
    for path in files:
        try:
            record, warnings = read(path, display_path(path, root))
            records.append(record)
            problems.extend(warnings)
        except YourReviewError as exc:
            problems.extend(exc.problems)
    problems.extend(_check_across(records))
    if any(p.severity is Severity.ERROR for p in problems):
        raise YourReviewError(problems)
    records.sort(key=lambda r: (r.review_date, r.ref))
    return Minutes(tuple(records), tuple(sorted(problems)))


def read_record(path: Path, display: str) -> tuple[Record, list[Problem]]:
    """One record and its warnings; raises YourReviewError when anything is an error."""
    return parse_record(load_file(path, display), display)


def parse_record(root: Node, source: str) -> tuple[Record, list[Problem]]:
    reader = Reader(source)
    texts: list[Text] = []

    def text(node: Node | None, name: str, required: bool = False) -> str | None:
        value = reader.text(node, name, required)
        if value is not None and node is not None:
            texts.append(Text(name, node.line, node.column, value))
        return value

    def text_list(node: Node | None, name: str) -> tuple[str, ...]:
        values = [text(item, path, True) for path, item in reader.items(node, name)]
        return tuple(v for v in values if v)

    top = reader.fields(
        root,
        "",
        required=("review", "child", "iro", "took_part"),
        optional=(
            "people",
            "told_me",
            "going_well",
            "worries",
            "next_steps",
            "last_time",
            "next_review",
        ),
    )
    if top is None:
        raise YourReviewError(reader.problems)
    rv = (
        reader.fields(
            top.get("review"), "review", ("ref", "date", "number"), ("held", "minutes_sent")
        )
        or {}
    )
    ch = (
        reader.fields(
            top.get("child"),
            "child",
            ("id", "name", "date_of_birth", "in_care_since"),
            ("style", "words"),
        )
        or {}
    )
    iro = reader.fields(top.get("iro"), "iro", ("name",), ("phone", "email")) or {}
    took = reader.fields(top.get("took_part"), "took_part", ("code",), ("how",)) or {}

    ref = reader.text(rv.get("ref"), "review.ref")
    if ref and not _is_reference(ref):
        reader.error(
            rv["ref"],
            "review.ref",
            f'"{ref}" is not a reference we can use',
            "use letters, digits and hyphens only, e.g. AT-2026-0412",
        )
    review_date = reader.date(rv.get("date"), "review.date")
    number = reader.integer(rv.get("number"), "review.number", minimum=1)
    held = reader.choice(rv.get("held"), "review.held", HELD) or "in person"
    minutes_sent = reader.date(rv.get("minutes_sent"), "review.minutes_sent")

    child_id = reader.text(ch.get("id"), "child.id")
    name = reader.text(ch.get("name"), "child.name")
    born = reader.date(ch.get("date_of_birth"), "child.date_of_birth")
    in_care = reader.date(ch.get("in_care_since"), "child.in_care_since")
    style = reader.choice(ch.get("style"), "child.style", STYLE_CHOICES) or "auto"
    words = reader.fields(ch.get("words"), "child.words", optional=OWN_WORDS) or {}
    own_words = tuple(
        (key, value)
        for key in OWN_WORDS
        if (value := reader.text(words.get(key), f"child.words.{key}")) is not None
    )

    contact = Contact(
        reader.text(iro.get("name"), "iro.name") or "",
        reader.text(iro.get("phone"), "iro.phone"),
        reader.text(iro.get("email"), "iro.email"),
    )
    if contact.email and "@" not in contact.email:
        reader.error(
            iro["email"],
            "iro.email",
            f'"{contact.email}" is not an email address',
            "write it like name@council.gov.uk",
        )
    code = reader.choice(took.get("code"), "took_part.code", PN_CODES)
    how = text(took.get("how"), "took_part.how")

    people = []
    for path, item in reader.items(top.get("people"), "people"):
        f = reader.fields(item, path, ("name", "role"), ("joined",))
        if f is not None:
            people.append(
                Person(
                    reader.text(f.get("name"), f"{path}.name") or "",
                    text(f.get("role"), f"{path}.role") or "",
                    reader.choice(f.get("joined"), f"{path}.joined", JOINED) or "in person",
                )
            )

    steps = []
    for path, item in reader.items(top.get("next_steps"), "next_steps"):
        f = reader.fields(item, path, ("who", "will", "by"))
        if f is not None:
            by = reader.date(f.get("by"), f"{path}.by")
            steps.append(
                NextStep(
                    reader.text(f.get("who"), f"{path}.who") or "",
                    text(f.get("will"), f"{path}.will") or "",
                    by,
                )
            )
            if by and review_date and by <= review_date:
                reader.error(
                    f["by"],
                    f"{path}.by",
                    f"{by.isoformat()} is not after the review ({review_date.isoformat()})",
                    "give a date after the review",
                )

    last = []
    for path, item in reader.items(top.get("last_time"), "last_time"):
        f = reader.fields(item, path, ("step", "happened"), ("note",))
        if f is not None:
            last.append(
                LastTime(
                    text(f.get("step"), f"{path}.step") or "",
                    reader.choice(f.get("happened"), f"{path}.happened", HAPPENED) or "not done",
                    text(f.get("note"), f"{path}.note"),
                )
            )

    told_me = text_list(top.get("told_me"), "told_me")
    going_well = text_list(top.get("going_well"), "going_well")
    worries = text_list(top.get("worries"), "worries")
    next_review = reader.date(top.get("next_review"), "next_review")

    # Cross-field checks: each names the field to change.
    if review_date and in_care and in_care > review_date:
        reader.error(
            ch["in_care_since"],
            "child.in_care_since",
            f"{in_care.isoformat()} is after the review date ({review_date.isoformat()})",
            "a child comes into care before their first review; check both dates",
        )
    if born and in_care and born > in_care:
        reader.error(
            ch["date_of_birth"],
            "child.date_of_birth",
            f"{born.isoformat()} is after coming into care ({in_care.isoformat()})",
            "check the date of birth",
        )
    elif born and review_date and born >= review_date:
        reader.error(
            ch["date_of_birth"],
            "child.date_of_birth",
            f"{born.isoformat()} is not before the review",
            "check the date of birth",
        )
    if born and review_date and code:
        under_four = age_on(born, review_date) < 4
        if under_four and code != "PN0":
            reader.error(
                took["code"],
                "took_part.code",
                f"{code} is for children aged 4 or over; this child is under 4",
                "write PN0 for a child under 4 on the review date",
            )
        elif not under_four and code == "PN0":
            reader.error(
                took["code"],
                "took_part.code",
                f"PN0 is only for children under 4; this child is {age_on(born, review_date)}",
                "write the code for how the child took part (PN1 to PN7)",
            )
    if minutes_sent and review_date and minutes_sent < review_date:
        reader.error(
            rv["minutes_sent"],
            "review.minutes_sent",
            "is before the review date",
            "write the date the letter was sent, on or after the review",
        )
    if next_review and review_date and next_review <= review_date:
        reader.error(
            top["next_review"],
            "next_review",
            "is not after this review",
            "give the date of the next review, or leave it out to have it worked out",
        )
    if number == 1 and last:
        reader.error(
            top["last_time"],
            "last_time",
            "is filled in on a first review",
            "leave it out: there was no review before this one",
            Severity.WARNING,
        )

    if not reader.ok or None in (ref, review_date, number, child_id, name, born, in_care, code):
        raise YourReviewError(reader.problems)
    assert ref and review_date and number and child_id and name and born and in_care and code
    record = Record(
        source=source,
        ref=ref,
        review_date=review_date,
        number=number,
        held=held,
        minutes_sent=minutes_sent,
        child_id=child_id,
        name=name,
        date_of_birth=born,
        in_care_since=in_care,
        requested_style=style,
        own_words=own_words,
        iro=contact,
        took_part=code,
        took_part_how=how,
        people=tuple(people),
        told_me=told_me,
        going_well=going_well,
        worries=worries,
        next_steps=tuple(steps),
        last_time=tuple(last),
        next_review=next_review,
        texts=tuple(texts),
        where=positions(root),
    )
    return record, reader.problems


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
