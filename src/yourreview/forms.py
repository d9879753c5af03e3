"""The forms: one definition each in site_config/questions.yml, rendered online and on paper.

From one definition come the online form (a real <form> that works without JavaScript), the A4
paper form, and the field names an import maps back (`form_id`, `form_version`, `token`, then
one field per question id). Every question can be skipped: nothing is `required`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import Problem, YourReviewError
from .schema import Reader
from .yamlsafe import Node, Scalar, load_file

CHILD_AUDIENCES = ("child-4-7", "child-8-12", "child-13-plus", "easy-read")
AUDIENCES = (*CHILD_AUDIENCES, "parent-carer", "cicc")
PURPOSES = ("before-review", "after-review", "cicc-comment")
STATUSES = ("draft", "with-cicc", "approved")
KINDS = ("faces", "one-choice", "any-choices", "yes-no", "short-text", "long-text", "consent")
CHOICE_KINDS = ("one-choice", "any-choices")
DEFAULT_FACES = ("Really bad", "Bad", "OK", "Good", "Really good")
CONSENT_LABEL = "Can we share what you wrote, without your name?"
CONSENT_OPTIONS = ("Yes, you can share it", "No, keep it private")
YES_NO = ("Yes", "No")
# The submission's own fields are form_id, form_version, token, about_form, about_version:
# ids are slugs (no underscores), so only `token` could clash with a question's id.
RESERVED_IDS = ("token",)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FORM_FIELDS = ("id", "title", "audience", "purpose", "version", "status", "questions")
_FORM_OPTIONAL = ("cicc_reviewed", "changes", "intro", "external_url")
_QUESTION_OPTIONAL = ("label", "hint", "options", "faces")


@dataclass(frozen=True)
class Change:
    version: int
    what: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    label: str
    hint: str | None = None
    options: tuple[str, ...] = ()  # what the person picks from, in order, for every choice kind

    @property
    def values(self) -> tuple[str, ...]:
        """What each option sends: faces send 1-5 (so answers add up across versions)."""
        if self.kind == "faces":
            return tuple(str(n) for n in range(1, len(self.options) + 1))
        if self.kind in ("yes-no", "consent"):
            return ("yes", "no")
        return self.options

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        """(value sent, words shown) for each option."""
        return tuple(zip(self.values, self.options, strict=True))

    @property
    def is_text(self) -> bool:
        return self.kind in ("short-text", "long-text")


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    audiences: tuple[str, ...]
    purpose: str
    version: int
    status: str
    cicc_reviewed: date | None
    changes: tuple[Change, ...]
    intro: str
    questions: tuple[Question, ...]
    external_url: str | None = None  # a council's own forms service, with {token} in it
    line: int = 0

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @property
    def for_children(self) -> bool:
        return any(a in CHILD_AUDIENCES for a in self.audiences)

    @property
    def max_pages(self) -> int:
        """How many A4 pages the paper form may take: children get one, grown-ups two."""
        return 1 if self.for_children else 2


@dataclass(frozen=True)
class Forms:
    forms: tuple[Form, ...]
    file: str

    def by_id(self, form_id: str) -> Form:
        for form in self.forms:
            if form.id == form_id:
                return form
        raise KeyError(form_id)

    @property
    def approved(self) -> tuple[Form, ...]:
        return tuple(f for f in self.forms if f.approved)

    def find(self, purpose: str, audience: str) -> Form:
        """The one approved form for this purpose and audience, or an error saying what to add."""
        for form in self.approved:
            if form.purpose == purpose and audience in form.audiences:
                return form
        raise YourReviewError(
            [
                Problem(
                    self.file,
                    0,
                    0,
                    "forms",
                    f"no approved {purpose} form for {audience}",
                    f"add {audience} to the audience of an approved {purpose} form, "
                    "or set `status: approved` on one the CiCC has reviewed",
                    kind="config",
                )
            ]
        )

    def for_letter(self, audience: str) -> Form:
        """The approved after-review form a letter links to ('Tell us what you thought')."""
        return self.find("after-review", audience)

    def before_review_form(self, audience: str) -> Form:
        return self.find("before-review", audience)

    def carer_form(self) -> Form:
        return self.find("after-review", "parent-carer")

    def cicc_form(self) -> Form:
        return self.find("cicc-comment", "cicc")


# What letters and consultation sheets need: checked when the file is loaded, not when the
# hundredth letter is rendered.
NEEDED = (
    *(("after-review", a) for a in CHILD_AUDIENCES),
    *(("before-review", a) for a in CHILD_AUDIENCES),
    ("after-review", "parent-carer"),
    ("cicc-comment", "cicc"),
)


def audience_for(style: str, age: int | None = None) -> str:
    """The form audience for a letter's style (see records) and the child's age in years."""
    if style in AUDIENCES:  # easy-read, or an audience given directly
        return style
    if style == "early-years":
        return "child-4-7"
    if style == "young-person":
        return "child-13-plus"
    if age is None:
        return "child-8-12"
    if age < 8:
        return "child-4-7"
    return "child-8-12" if age < 13 else "child-13-plus"


# -- loading ------------------------------------------------------------------------------------


def load_forms(path: Path, display: str | None = None) -> Forms:
    """Read questions.yml; raise YourReviewError listing every problem in it."""
    name = display or path.as_posix()
    root = load_file(path, name)
    reader = Reader(name, kind="config")
    top = reader.fields(root, "", required=("forms",))
    forms: list[Form] = []
    seen: dict[str, int] = {}
    for field, node in reader.items(top.get("forms") if top else None, "forms"):
        form = _read_form(reader, node, field)
        if form is None:
            continue
        if form.id in seen:
            reader.error(
                node,
                f"{field}.id",
                f'"{form.id}" is used by another form (line {seen[form.id]})',
                "give each form its own id",
            )
            continue
        seen[form.id] = node.line
        forms.append(form)
    result = Forms(tuple(forms), name)
    if reader.ok:
        _check_coverage(reader, result, root)
    if not reader.ok:
        raise YourReviewError(reader.problems)
    return result


def _check_coverage(reader: Reader, forms: Forms, root: Node) -> None:
    for purpose, audience in NEEDED:
        matches = [f for f in forms.approved if f.purpose == purpose and audience in f.audiences]
        if not matches:
            reader.error(
                root,
                "forms",
                f"no approved {purpose} form for {audience}",
                f"letters need one: add {audience} to an approved {purpose} form's "
                "audience, or approve one after the CiCC has reviewed it",
            )
        elif len(matches) > 1:
            ids = ", ".join(f.id for f in matches)
            reader.error(
                root,
                "forms",
                f"more than one approved {purpose} form for {audience} ({ids})",
                "keep one approved; set the other to draft",
            )


def _read_form(reader: Reader, node: Node, field: str) -> Form | None:
    found = reader.fields(node, field, required=_FORM_FIELDS, optional=_FORM_OPTIONAL)
    if found is None:
        return None
    before = len(reader.problems)
    form_id = _slug(reader, found.get("id"), f"{field}.id")
    title = reader.text(found.get("title"), f"{field}.title", required=True)
    audiences = _audiences(reader, found.get("audience"), f"{field}.audience")
    purpose = reader.choice(found.get("purpose"), f"{field}.purpose", PURPOSES)
    version = reader.integer(found.get("version"), f"{field}.version", minimum=1)
    status = reader.choice(found.get("status"), f"{field}.status", STATUSES)
    reviewed = reader.date(found.get("cicc_reviewed"), f"{field}.cicc_reviewed")
    intro = reader.text(found.get("intro"), f"{field}.intro") or ""
    external = reader.text(found.get("external_url"), f"{field}.external_url")
    if external is not None and not (
        external.startswith("https://") and "{token}" in external and " " not in external
    ):
        reader.error(
            found.get("external_url"),
            f"{field}.external_url",
            "should be an https:// link with {token} where the token goes",
            "e.g. https://forms.anytown.example/after?ref={token}",
        )
    changes = _changes(reader, found.get("changes"), f"{field}.changes", version)
    questions = _questions(reader, found.get("questions"), f"{field}.questions")
    if purpose and audiences and ((purpose == "cicc-comment") != (audiences == ("cicc",))):
        reader.error(
            found.get("audience"),
            f"{field}.audience",
            "the cicc audience goes with the cicc-comment purpose, and only with it",
            "write `audience: cicc` and `purpose: cicc-comment` together",
        )
    approving = status == "approved" and audiences and "cicc" not in audiences
    if approving and "cicc_reviewed" not in found:
        reader.error(
            found.get("status", node),
            f"{field}.cicc_reviewed",
            "an approved form needs the date the CiCC reviewed it",
            "add `cicc_reviewed: YYYY-MM-DD`, or set `status: with-cicc` until then",
        )
    if len(reader.problems) > before or not (form_id and title and purpose and status):
        return None
    if version is None or not audiences or not questions:
        return None
    return Form(
        form_id,
        title,
        audiences,
        purpose,
        version,
        status,
        reviewed,
        changes,
        intro,
        questions,
        external,
        node.line,
    )


def _slug(reader: Reader, node: Node | None, field: str) -> str | None:
    raw = reader.text(node, field, required=True)
    if raw is not None and not _SLUG.match(raw):
        reader.error(
            node,
            field,
            f'"{raw}" is not a simple name',
            "use lowercase letters, digits and single hyphens, e.g. after-8-12",
        )
        return None
    return raw


def _audiences(reader: Reader, node: Node | None, field: str) -> tuple[str, ...]:
    if isinstance(node, Scalar):
        one = reader.choice(node, field, AUDIENCES)
        return (one,) if one else ()
    result: list[str] = []
    for path, item in reader.items(node, field):
        one = reader.choice(item, path, AUDIENCES)
        if one in result:
            reader.error(item, path, f"{one} is listed twice", "list each audience once")
        elif one:
            result.append(one)
    return tuple(result)


def _changes(
    reader: Reader, node: Node | None, field: str, current: int | None
) -> tuple[Change, ...]:
    result: list[Change] = []
    for path, item in reader.items(node, field):
        found = reader.fields(item, path, required=("version", "what"))
        if found is None:
            continue
        version = reader.integer(found.get("version"), f"{path}.version", minimum=1)
        what = reader.text(found.get("what"), f"{path}.what", required=True)
        if version is not None and current is not None and version > current:
            reader.error(
                found.get("version"),
                f"{path}.version",
                f"version {version} is newer than the form (version {current})",
                "raise the form's version, or fix this one",
            )
        elif version is not None and any(c.version == version for c in result):
            reader.error(
                found.get("version"),
                f"{path}.version",
                f"version {version} is described twice",
                "describe each version once",
            )
        elif version is not None and what:
            result.append(Change(version, what))
    if current is not None and not any(c.version == current for c in result):
        reader.error(
            node,
            field,
            f"does not say what changed in version {current}",
            f"add `- {{version: {current}, what: ...}}` in plain words",
        )
    return tuple(sorted(result, key=lambda c: c.version, reverse=True))


def _questions(reader: Reader, node: Node | None, field: str) -> tuple[Question, ...]:
    result: list[Question] = []
    items = reader.items(node, field)
    if node is not None and not items:
        reader.error(node, field, "has no questions", "add at least one question")
    for path, item in items:
        found = reader.fields(item, path, required=("id", "kind"), optional=_QUESTION_OPTIONAL)
        if found is None:
            continue
        qid = _slug(reader, found.get("id"), f"{path}.id")
        if qid in RESERVED_IDS:
            reader.error(
                found.get("id"),
                f"{path}.id",
                f'"{qid}" is kept for the form itself',
                "choose another id",
            )
            qid = None
        elif qid and any(q.id == qid for q in result):
            reader.error(
                found.get("id"),
                f"{path}.id",
                f'"{qid}" is used twice in this form',
                "give each question its own id",
            )
            qid = None
        kind = reader.choice(found.get("kind"), f"{path}.kind", KINDS)
        label = reader.text(found.get("label"), f"{path}.label", required=True)
        if label is None and kind == "consent":
            label = CONSENT_LABEL
        elif label is None and "label" not in found:
            reader.error(
                item, f"{path}.label", "is missing", "add `label:` with the question in plain words"
            )
        hint = reader.text(found.get("hint"), f"{path}.hint")
        options = _options(reader, found, path, kind)
        if qid and kind and label and options is not None:
            result.append(Question(qid, kind, label, hint, options))
    return tuple(result)


def _options(
    reader: Reader, found: dict[str, Node], path: str, kind: str | None
) -> tuple[str, ...] | None:
    """The words to pick from, or None after reporting a problem."""
    given = reader.texts(found.get("options"), f"{path}.options") if "options" in found else None
    faces = reader.texts(found.get("faces"), f"{path}.faces") if "faces" in found else None
    if faces is not None and kind != "faces":
        reader.error(
            found["faces"],
            f"{path}.faces",
            "is only for questions of kind faces",
            "remove it, or write `kind: faces`",
        )
        return None
    if given is not None and kind not in CHOICE_KINDS:
        reader.error(
            found["options"],
            f"{path}.options",
            "is only for one-choice and any-choices questions",
            "remove it; faces, yes-no and consent have their own answers",
        )
        return None
    if kind in CHOICE_KINDS:
        if not given or len(given) < 2:
            reader.error(
                found.get("options", found.get("kind")),
                f"{path}.options",
                f"a {kind} question needs at least two options",
                "add `options:` with one `- answer` per line",
            )
            return None
        return _unique(reader, found["options"], f"{path}.options", given)
    if kind == "faces":
        if faces is None:
            return DEFAULT_FACES
        if len(faces) != len(DEFAULT_FACES):
            reader.error(
                found["faces"],
                f"{path}.faces",
                f"has {len(faces)} words; faces need exactly five",
                "write five words, from worst to best, e.g. " + ", ".join(DEFAULT_FACES),
            )
            return None
        return _unique(reader, found["faces"], f"{path}.faces", faces)
    if kind == "consent":
        return CONSENT_OPTIONS
    return YES_NO if kind == "yes-no" else ()


def _unique(
    reader: Reader, node: Node, field: str, words: tuple[str, ...]
) -> tuple[str, ...] | None:
    folded = [w.casefold() for w in words]
    for i, word in enumerate(folded):
        if word in folded[:i]:
            reader.error(node, field, f'"{words[i]}" is listed twice', "list each answer once")
            return None
    return words
