"""The forms: one definition each in site_config/questions.yml, rendered online and on paper.

From one definition come the online form (a real <form> that works without JavaScript), the A4
paper form, and the field names an import maps back (`form_id`, `form_version`, `token`, then
one field per question id). Every question can be skipped: nothing is `required`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from . import configkinds as kinds
from .configkinds import AUDIENCES, CHILD_AUDIENCES, PURPOSES, QUESTION_KINDS, STATUSES
from .declared import FileProblems, Loc, Tree, path, tree, validate_at
from .errors import Problem, YourReviewError
from .fieldtypes import Section, field
from .formquestions import (
    CHOICE_KINDS,
    CONSENT_HINT,
    CONSENT_LABEL,
    CONSENT_OPTIONS,
    DEFAULT_FACES,
    GET_IN_TOUCH_LABEL,
    REACH_INTRO,
    REACH_PAPER,
    THREE_FACES,
    YES_NO,
    NodeAt,
    Question,
    asks_for_iro,
    consent_given,
    reach_suggested,
    read_questions,
)
from .yamlsafe import Node, load_file

# Re-exported: what a form is made of is read where the forms are.
__all__ = [
    "AUDIENCES",
    "CHILD_AUDIENCES",
    "CHOICE_KINDS",
    "CONSENT_HINT",
    "CONSENT_LABEL",
    "CONSENT_OPTIONS",
    "DEFAULT_FACES",
    "GET_IN_TOUCH_LABEL",
    "PURPOSES",
    "REACH_INTRO",
    "REACH_PAPER",
    "STATUSES",
    "THREE_FACES",
    "YES_NO",
    "Question",
    "asks_for_iro",
    "consent_given",
    "reach_suggested",
]

KINDS = QUESTION_KINDS


@dataclass(frozen=True)
class Change:
    version: int
    what: str


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


@dataclass(frozen=True)
class Forms:
    forms: tuple[Form, ...]
    file: str

    def by_id(self, form_id: str) -> Form:
        for form in self.forms:
            if form.id == form_id:
                return form
        raise KeyError(form_id)

    def text_questions(
        self, form_id: str, version: int, *, reach: bool = False
    ) -> frozenset[str] | None:
        """The ids of the written questions version `version` of a form asked (older versions
        too: last year's answers were written on them); None for a form no longer defined.
        `reach`: with how a child without a code said to reach them (the leak check looks for
        it; themes never count it)."""
        try:
            form = self.by_id(form_id)
        except KeyError:
            return None
        asked = form.questions_in(version)
        return frozenset(q.id for q in asked if q.is_text and (reach or not q.reach_for))

    def reach_names(self, form_id: str, version: int) -> frozenset[str]:
        """The ids where a child with no code wrote their name, on this version of a form."""
        try:
            form = self.by_id(form_id)
        except KeyError:
            return frozenset()
        return frozenset(q.id for q in form.questions_in(version) if q.is_reach_name)

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
    reader = FileProblems(name, kind="config")
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


def _check_coverage(reader: FileProblems, forms: Forms, root: Node) -> None:
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


def _form(reader: FileProblems, found: Tree, at: Loc, form: kinds.Form) -> Form | None:
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
    questions = read_questions(reader, node, where, form.questions, form.version)
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


def _check_in_use(reader: FileProblems, node: NodeAt, where: str, form: kinds.Form) -> None:
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


def _changes(
    reader: FileProblems, node: NodeAt, where: str, form: kinds.Form
) -> tuple[Change, ...]:
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
