"""One question of a form: its kinds, the words and values each kind has, and reading the
questions of one form from questions.yml (forms.py reads the rest of the form).

Kinds with their own words (consent, get-in-touch) and the faces' default words are declared
here once; earlier versions' words stay readable (`Question.also_accepted`, `consent_given`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from . import configkinds as kinds
from .declared import FileProblems
from .yamlsafe import Node

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
# A form with no code from a letter (the general link, a paper form from the website) cannot be
# joined to a review: under its get-in-touch question a child may say who they are and how to
# reach them. (id suffix, label, hint): written answers, read by the IRO team alone, never
# counted, quoted or published.
REACH_INTRO = (
    "If you said yes: this form has no code from a letter, so we do not know who you are. "
    "You can tell us, if you want to. Only the team that runs reviews reads it, to get in "
    "touch with you."
)
# On paper, one line beside the QR code: a child's form must still fit one side of A4.
REACH_PAPER = "Only the team that runs reviews reads this:"
REACH_NAME = "name"  # the part that is a name: the leak check looks for it however short
# What the hint suggests writing: on every public form, so an answer of just these words is no
# leak (the leak check would otherwise stop every build once a child took the suggestion).
REACH_SUGGESTIONS = ("ask my carer", "ask my social worker")
REACH_FIELDS = (
    (REACH_NAME, "Your first name", None),
    (
        "how",
        "How can we reach you?",
        "A phone number or email, or " + " or ".join(f"“{s}”" for s in REACH_SUGGESTIONS) + ".",
    ),
)
# The submission's own fields are form_id, form_version, token, about_form, about_version:
# ids are slugs (no underscores), so only `token` could clash with a question's id.
RESERVED_IDS = ("token",)


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    label: str
    hint: str | None = None
    options: tuple[str, ...] = ()  # what the person picks from, in order, for every choice kind
    since: int = 1  # the first version of its form that asks it
    until: int | None = None  # the last version that asked it; None: still asked
    reach_for: str | None = None  # a get-in-touch question's "how can we reach you" part

    @property
    def is_reach_name(self) -> bool:
        return self.reach_for is not None and self.id == f"{self.reach_for}-{REACH_NAME}"

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


def reach_questions(asks: Question) -> tuple[Question, ...]:
    """The written parts under a get-in-touch question, asked on the same versions as it."""
    return tuple(
        Question(
            f"{asks.id}-{suffix}", "short-text", label, hint, (), asks.since, asks.until, asks.id
        )
        for suffix, label, hint in REACH_FIELDS
    )


def reach_suggested(value: str) -> bool:
    """Whether a "how can we reach you" answer is just what the hint suggested."""
    return " ".join(re.findall(r"[^\W_]+", value.casefold())) in REACH_SUGGESTIONS


def asks_for_iro(asked: Iterable[Question], answers: Mapping[str, object]) -> bool:
    """Whether an answer said yes to one of its form's get-in-touch questions."""
    return any(q.kind == "get-in-touch" and answers.get(q.id) == "yes" for q in asked)


def consent_given(value: object) -> bool:
    """Whether a consent answer says yes, in any version's wording (the value a form sends,
    today's words or earlier ones). Anything else, or nothing, is no: never share by doubt."""
    if not isinstance(value, str):
        return False
    said = " ".join(value.split()).casefold()
    yes = {"yes", CONSENT_OPTIONS[0], *(w for v, w in OLD_CONSENT_OPTIONS if v == "yes")}
    return said in {w.casefold() for w in yes}


NodeAt = Callable[..., Node | None]


def read_questions(
    reader: FileProblems,
    node: NodeAt,
    where: str,
    declared: tuple[kinds.Question, ...],
    version: int,
) -> tuple[Question, ...]:
    result: list[Question] = []
    if not declared:
        reader.error(
            node("questions"), f"{where}.questions", "has no questions", "add at least one question"
        )
    # Ids no question may have: the form's own field, and the parts of each get-in-touch.
    kept = {rid: "the form itself" for rid in RESERVED_IDS}
    kept |= {
        f"{q.id}-{suffix}": f'how to reach a child who says yes to "{q.id}"'
        for q in declared
        if q.kind == "get-in-touch"
        for suffix, _, _ in REACH_FIELDS
    }
    for i, q in enumerate(declared):
        at = f"{where}.questions[{i}]"
        if q.id in kept:
            reader.error(
                node("questions", i, "id"),
                f"{at}.id",
                f'"{q.id}" is kept for {kept[q.id]}',
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
            if q.kind == "get-in-touch":
                result += reach_questions(result[-1])
    asked = [q for q in result if not q.reach_for]
    if declared and not any(q.until is None for q in asked) and len(asked) == len(declared):
        reader.error(
            node("questions"),
            f"{where}.questions",
            f"has no question still asked in version {version}",
            "keep at least one question without `until`",
        )
    return tuple(result)


def _options(
    reader: FileProblems, node: NodeAt, at: str, q: kinds.Question
) -> tuple[str, ...] | None:
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
    reader: FileProblems, node: Node | None, field: str, words: tuple[str, ...]
) -> tuple[str, ...] | None:
    folded = [w.casefold() for w in words]
    for i, word in enumerate(folded):
        if word in folded[:i]:
            reader.error(node, field, f'"{words[i]}" is listed twice', "list each answer once")
            return None
    return words
