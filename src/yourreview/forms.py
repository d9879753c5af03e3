"""The forms: one definition each in site_config/questions.yml, rendered online and on paper.

From one definition come the online form (a real <form> that works without JavaScript), the A4
paper form, and the field names an import maps back (`form_id`, `form_version`, `token`, then
one field per question id). Every question can be skipped: nothing is `required`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from . import configkinds as kinds
from .configkinds import AUDIENCES, CHILD_AUDIENCES, PURPOSES, QUESTION_KINDS, STATUSES
from .declared import Loc, Tree, path, tree, validate_at
from .errors import Problem, YourReviewError
from .fieldtypes import Section, field
from .schema import Reader
from .yamlsafe import Node, load_file

__all__ = ["AUDIENCES", "CHILD_AUDIENCES", "PURPOSES", "STATUSES"]

KINDS = QUESTION_KINDS
CHOICE_KINDS = ("one-choice", "any-choices")
DEFAULT_FACES = ("Really bad", "Bad", "OK", "Good", "Really good")
# Under-8s and easy-read readers choose from three faces, each with a feeling word.
THREE_FACES = ("Sad", "OK", "Happy")
FACES = {"faces": DEFAULT_FACES, "three-faces": THREE_FACES}
CONSENT_LABEL = "Can we share what you wrote, without your name?"
# Two lines: who reads it, that sharing needs a yes, and that a child can change their mind.
CONSENT_HINT = (
    "Your IRO and the team that runs reviews read what you write.\n"
    "We only share it, without your name, if you say yes. You can change your mind."
)
CONSENT_OPTIONS = ("Yes, share it without my name", "No, do not share it")
# What earlier versions of the forms said: paper and exports with these words still count.
OLD_CONSENT_OPTIONS = (("yes", "Yes, you can share it"), ("no", "No, keep it private"))
GET_IN_TOUCH_LABEL = "Do you want your IRO to get in touch?"
# The label says it all: no hint, so a child's paper form keeps to one side of A4.
OWN_WORDS: dict[str, tuple[str, str | None]] = {
    "consent": (CONSENT_LABEL, CONSENT_HINT),
    "get-in-touch": (GET_IN_TOUCH_LABEL, None),
}
YES_NO = ("Yes", "No")
# The submission's own fields are form_id, form_version, token, about_form, about_version:
# ids are slugs (no underscores), so only `token` could clash with a question's id.
RESERVED_IDS = ("token",)


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
    since: int = 1  # the first version of its form that asks it
    until: int | None = None  # the last version that asked it; None: still asked

    def asked_in(self, version: int) -> bool:
        return self.since <= version and (self.until is None or version <= self.until)

    @property
    def is_faces(self) -> bool:
        return self.kind in FACES

    @property
    def faces_drawn(self) -> tuple[int, ...]:
        """Which of the five drawn faces each option shows: three faces are the worst, the
        middle and the best of them."""
        return (1, 3, 5) if self.kind == "three-faces" else (1, 2, 3, 4, 5)

    @property
    def is_result(self) -> bool:
        """Whether its answers are counted in the figures: text is counted by theme, consent
        is not a result, and asking for the IRO is for the IRO alone, never published."""
        return not self.is_text and self.kind not in OWN_WORDS

    @property
    def values(self) -> tuple[str, ...]:
        """What each option sends: faces send 1-5 (three faces 1-3; each scale is its own
        question id, so answers add up across versions)."""
        if self.is_faces:
            return tuple(str(n) for n in range(1, len(self.options) + 1))
        if self.kind in ("yes-no", "consent", "get-in-touch"):
            return ("yes", "no")
        return self.options

    @property
    def also_accepted(self) -> tuple[tuple[str, str], ...]:
        """(value, words) that earlier versions showed: still read from paper and exports."""
        return OLD_CONSENT_OPTIONS if self.kind == "consent" else ()

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
    # Questions no longer asked, kept so that answers to the versions that asked them still read.
    retired: tuple[Question, ...] = ()
    # The newer version the CiCC is looking at (`in_use`), while children get this one.
    draft: Form | None = None

    def questions_in(self, version: int) -> tuple[Question, ...]:
        """What version `version` of the form asked: today's questions it had, and retired ones."""
        return tuple(q for q in (*self.questions, *self.retired) if q.asked_in(version))

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

    @property
    def newest(self) -> Form:
        """The newest version: the draft the CiCC is reading, else this one."""
        return self.draft or self


def consent_given(value: object) -> bool:
    """Whether a consent answer says yes, in any version's wording (the value a form sends,
    today's words or earlier ones). Anything else, or nothing, is no: never share by doubt."""
    if not isinstance(value, str):
        return False
    said = " ".join(value.split()).casefold()
    yes = {"yes", CONSENT_OPTIONS[0], *(w for v, w in OLD_CONSENT_OPTIONS if v == "yes")}
    return said in {w.casefold() for w in yes}


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


class _File(Section):
    """questions.yml's top level; each form is then read on its own (kinds.Form)."""

    forms: tuple[object, ...] = field("the forms", say="the forms")


def load_forms(path: Path, display: str | None = None) -> Forms:
    """Read questions.yml; raise YourReviewError listing every problem in it."""
    name = display or path.as_posix()
    found = tree(load_file(path, name))
    top, problems = validate_at(_File, found, (), name, "config")
    reader = Reader(name, kind="config")
    reader.problems += problems
    forms: list[Form] = []
    seen: dict[str, int] = {}
    for i in range(len(top.forms) if top else 0):
        at = ("forms", i)
        declared, problems = validate_at(kinds.Form, found, at, name, "config")
        reader.problems += problems
        form = _form(reader, found, at, declared) if declared else None
        if form is None:
            continue
        if form.id in seen:
            reader.error(
                found.values[at],
                f"forms[{i}].id",
                f'"{form.id}" is used by another form (line {seen[form.id]})',
                "give each form its own id",
            )
            continue
        seen[form.id] = form.line
        forms.append(form)
    result = Forms(tuple(forms), name)
    if reader.ok:
        _check_coverage(reader, result, found.values[()])
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


def _form(reader: Reader, found: Tree, at: Loc, form: kinds.Form) -> Form | None:
    """What the declaration alone cannot say about one form; None if anything is wrong."""
    before = len(reader.problems)
    where = path(at)

    def node(*loc: str | int) -> Node | None:
        return found.values.get((*at, *loc)) or found.values.get(at)

    audiences: list[str] = []
    for i, audience in enumerate(form.audience):
        if audience in audiences:
            reader.error(
                node("audience", i),
                f"{where}.audience[{i}]",
                f"{audience} is listed twice",
                "list each audience once",
            )
        audiences.append(audience)
    if (form.purpose == "cicc-comment") != (tuple(audiences) == ("cicc",)):
        reader.error(
            node("audience"),
            f"{where}.audience",
            "the cicc audience goes with the cicc-comment purpose, and only with it",
            "write `audience: cicc` and `purpose: cicc-comment` together",
        )
    if form.status == "approved" and "cicc" not in audiences and form.cicc_reviewed is None:
        reader.error(
            node("status"),
            f"{where}.cicc_reviewed",
            "an approved form needs the date the CiCC reviewed it",
            "add `cicc_reviewed: YYYY-MM-DD`, or set `status: with-cicc` until then",
        )
    external = form.external_url
    if external is not None and not (
        external.startswith("https://") and "{token}" in external and " " not in external
    ):
        reader.error(
            node("external_url"),
            f"{where}.external_url",
            "should be an https:// link with {token} where the token goes",
            "e.g. https://forms.anytown.example/after?ref={token}",
        )
    changes = _changes(reader, node, where, form)
    questions = _questions(reader, node, where, form.questions, form.version)
    _check_in_use(reader, node, where, form)
    if len(reader.problems) > before:
        return None
    newest = Form(
        form.id,
        form.title,
        tuple(audiences),
        form.purpose,
        form.version,
        form.status,
        form.cicc_reviewed,
        changes,
        form.intro or "",
        tuple(q for q in questions if q.until is None),
        external,
        found.values[at].line,
        tuple(q for q in questions if q.until is not None),
    )
    if form.in_use is None:
        return newest
    # Children keep the approved version until the CiCC has read the new one.
    used = form.in_use
    asked = [q for q in questions if q.since <= used]
    return replace(
        newest,
        version=used,
        status="approved",
        changes=tuple(c for c in changes if c.version <= used),
        questions=tuple(q for q in asked if q.asked_in(used)),
        retired=tuple(q for q in asked if not q.asked_in(used)),
        draft=newest,
    )


def _check_in_use(reader: Reader, node: NodeAt, where: str, form: kinds.Form) -> None:
    if form.in_use is None:
        return
    if form.status == "approved":
        reader.error(
            node("in_use"),
            f"{where}.in_use",
            "is for a form whose newest version is not approved yet",
            "remove `in_use`: children get the newest version once it is approved",
        )
    elif form.in_use >= form.version:
        reader.error(
            node("in_use"),
            f"{where}.in_use",
            f"version {form.in_use} is not older than the form (version {form.version})",
            f"give the approved version children still get, below {form.version}",
        )
    elif form.cicc_reviewed is None:
        reader.error(
            node("in_use"),
            f"{where}.cicc_reviewed",
            f"version {form.in_use} is in use, so the CiCC has approved it: say when",
            "add `cicc_reviewed: YYYY-MM-DD`, the day they approved it",
        )


NodeAt = Callable[..., Node | None]


def _changes(reader: Reader, node: NodeAt, where: str, form: kinds.Form) -> tuple[Change, ...]:
    result: list[Change] = []
    for i, change in enumerate(form.changes):
        field = f"{where}.changes[{i}].version"
        if change.version > form.version:
            reader.error(
                node("changes", i, "version"),
                field,
                f"version {change.version} is newer than the form (version {form.version})",
                "raise the form's version, or fix this one",
            )
        elif any(c.version == change.version for c in result):
            reader.error(
                node("changes", i, "version"),
                field,
                f"version {change.version} is described twice",
                "describe each version once",
            )
        else:
            result.append(Change(change.version, change.what))
    if not any(c.version == form.version for c in result):
        reader.error(
            node("changes"),
            f"{where}.changes",
            f"does not say what changed in version {form.version}",
            f"add `- {{version: {form.version}, what: ...}}` in plain words",
        )
    return tuple(sorted(result, key=lambda c: c.version, reverse=True))


def _questions(
    reader: Reader, node: NodeAt, where: str, declared: tuple[kinds.Question, ...], version: int
) -> tuple[Question, ...]:
    result: list[Question] = []
    if not declared:
        reader.error(
            node("questions"), f"{where}.questions", "has no questions", "add at least one question"
        )
    for i, q in enumerate(declared):
        at = f"{where}.questions[{i}]"
        if q.id in RESERVED_IDS:
            reader.error(
                node("questions", i, "id"),
                f"{at}.id",
                f'"{q.id}" is kept for the form itself',
                "choose another id",
            )
            continue
        if any(other.id == q.id for other in result):
            reader.error(
                node("questions", i, "id"),
                f"{at}.id",
                f'"{q.id}" is used twice in this form',
                "give each question its own id",
            )
            continue
        own_label, own_hint = OWN_WORDS.get(q.kind, (None, None))
        label = q.label or own_label
        if label is None:
            reader.error(
                node("questions", i),
                f"{at}.label",
                "is missing",
                "add `label:` with the question in plain words",
            )
        options = _options(reader, lambda *loc, i=i: node("questions", i, *loc), at, q)
        since, until = q.since or 1, q.until
        if since > version:
            reader.error(
                node("questions", i, "since"),
                f"{at}.since",
                f"version {since} is newer than the form (version {version})",
                "raise the form's version, or fix this one",
            )
        elif until is not None and not since <= until < version:
            reader.error(
                node("questions", i, "until"),
                f"{at}.until",
                f"says version {until} was the last to ask it, but the form is at version "
                f"{version}" + (f" and first asked it in version {since}" if until < since else ""),
                "`until` is for a question no longer asked: give the last version that asked "
                "it, below the form's version, or remove `until` if it is still asked",
            )
        elif label and options is not None:
            result.append(Question(q.id, q.kind, label, q.hint or own_hint, options, since, until))
    if declared and not any(q.until is None for q in result) and len(result) == len(declared):
        reader.error(
            node("questions"),
            f"{where}.questions",
            f"has no question still asked in version {version}",
            "keep at least one question without `until`",
        )
    return tuple(result)


def _options(reader: Reader, node: NodeAt, at: str, q: kinds.Question) -> tuple[str, ...] | None:
    """The words to pick from, or None after reporting a problem."""
    if q.faces is not None and q.kind not in FACES:
        reader.error(
            node("faces"),
            f"{at}.faces",
            "is only for questions of kind faces or three-faces",
            "remove it, or write `kind: faces` or `kind: three-faces`",
        )
        return None
    if q.options is not None and q.kind not in CHOICE_KINDS:
        reader.error(
            node("options"),
            f"{at}.options",
            "is only for one-choice and any-choices questions",
            "remove it; faces, yes-no, consent and get-in-touch have their own answers",
        )
        return None
    if q.kind in CHOICE_KINDS:
        if not q.options or len(q.options) < 2:
            reader.error(
                node("options") if q.options is not None else node("kind"),
                f"{at}.options",
                f"a {q.kind} question needs at least two options",
                "add `options:` with one `- answer` per line",
            )
            return None
        return _unique(reader, node("options"), f"{at}.options", q.options)
    if q.kind in FACES:
        words = FACES[q.kind]
        if q.faces is None:
            return words
        if len(q.faces) != len(words):
            count = "five" if len(words) == 5 else "three"
            reader.error(
                node("faces"),
                f"{at}.faces",
                f"has {len(q.faces)} words; {q.kind} need exactly {count}",
                f"write {count} words, from worst to best, e.g. " + ", ".join(words),
            )
            return None
        return _unique(reader, node("faces"), f"{at}.faces", q.faces)
    if q.kind == "consent":
        return CONSENT_OPTIONS
    return YES_NO if q.kind in ("yes-no", "get-in-touch") else ()


def _unique(
    reader: Reader, node: Node | None, field: str, words: tuple[str, ...]
) -> tuple[str, ...] | None:
    folded = [w.casefold() for w in words]
    for i, word in enumerate(folded):
        if word in folded[:i]:
            reader.error(node, field, f'"{words[i]}" is listed twice', "list each answer once")
            return None
    return words
