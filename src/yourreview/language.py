"""Plain words: the council's glossary of jargon, and unexplained acronyms.

Pure functions over text. Every free-text field of a record, and the text the templates add,
goes through `find_jargon` (readability is in readability.py). The caller turns
findings into Problems with the file, line and field it knows about.

Matching: case-insensitive, whole words, plurals and possessives, a hyphen or a space alike,
longest leftmost term first. An `avoid` form written all in capitals (LAC, PEP) matches only in
capitals: "a pep talk" and "Pa" are English. An `except` phrase excuses only its own term. The
child's own words excuse anything inside them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .configkinds import GlossaryFile
from .declared import Tree, validate
from .errors import Problem, Severity, YourReviewError
from .schema import Reader
from .yamlsafe import Node, load_file

# Harmless capitals a child meets every day. A council adds its own with `allow_acronyms`.
# "I" and "A" are one letter, and only runs of two or more capitals are looked at.
_ALLOWED = "UK USA EU TV PE RE DT ICT IT OK ID DJ PS GP NHS DVD BBC PC CD PIN AM PM MP GCSE BTEC"
_ALLOWED += " SAT LEGO"
DEFAULT_ALLOWED_ACRONYMS = frozenset(_ALLOWED.split())

# Capitals written for emphasis ("WELL DONE", "YOUR REVIEW") are words, not acronyms. We only
# flag tokens of 2-6 capitals (longer runs are shouting, acronyms are short) and skip those that
# are common English words when lower-cased. The list is short on purpose: what it misses
# shows as a warning, which an IRO can read and ignore.
MAX_ACRONYM = 6
_COMMON = """
    a about after again all also am an and any are as at away back bad be been best big but by
    call came can care come could day days dear did do does done down each end ever every fab
    feel felt find fine for free from fun get go goes going good got great had has have he help
    her here hi him his home how i if in is it its just keep kind know last let like live look
    lot love made make many may me meet more most much must my name need new next nice no not
    now of off oh ok on one only or our out over own play plan please proud put read ready real
    said same saw say says see seen she so some soon stay still stop sure take talk team tell
    than thank thanks that the their them then there these they thing think this those time to
    told too try two up us very view want was way we week well went were what when where which
    who why will wish with wow yes yet you your yours ask asked cool happy hello hooray hurray
    wait safe sorry yay yeah zero always never other people review school dates
    date note notes first second third game games pizza
    """
COMMON_WORDS = frozenset(_COMMON.split())

_SEP = r"[\s\-\u2010\u2011]+"  # space, newline, hyphen: long-term == long term == long-term
_APOS = r"['\u2019]"
# Plurals and possessives: placements, LACs, LAC's, placement's, placements'.
_SUFFIX = r"(?:e?s['\u2019]?|['\u2019]s)?"
# Possessive (*+): a long run of capitals must not make the engine try every split of it.
_ACRONYM = (
    r"(?<![\w'\u2019])(?P<acronym>(?-i:(?P<core>[A-Z](?=[0-9]*[A-Z])[A-Z0-9]*+)"
    r"(?:s|['\u2019][sS])?))(?![\w'\u2019])"
)


@dataclass(frozen=True)
class Term:
    avoid: tuple[str, ...]
    say: tuple[str, ...]
    why: str = ""
    exceptions: tuple[str, ...] = ()  # `except:` in the file
    severity: Severity = Severity.WARNING


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    allow_acronyms: frozenset[str] = DEFAULT_ALLOWED_ACRONYMS
    acronym_severity: Severity = Severity.WARNING
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    except_patterns: tuple[re.Pattern[str] | None, ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # Compiled once per glossary: a frozen dataclass may still set its own derived fields.
        forms = [
            (form, f"t{i}_{j}")  # a group name per form: re refuses one name twice
            for i, term in enumerate(self.terms)
            for j, form in enumerate(term.avoid)
        ]
        trie = _trie(forms)
        pattern = rf"(?<!\w)(?:{_emit(trie)})" if trie.children else ""
        full = f"{pattern}|{_ACRONYM}" if pattern else _ACRONYM
        object.__setattr__(self, "pattern", re.compile(full, re.IGNORECASE))
        excepts = tuple(_phrases(term.exceptions) for term in self.terms)
        object.__setattr__(self, "except_patterns", excepts)


@dataclass(frozen=True)
class Finding:
    word: str  # as written in the text: text[start:end] == word
    start: int
    end: int
    term: str  # the term's first `avoid` form, or the acronym itself
    suggestions: tuple[str, ...]
    why: str
    severity: Severity
    kind: str  # "jargon" or "acronym"

    @property
    def message(self) -> str:
        if self.kind == "acronym":
            return f'"{self.word}" is an acronym a child may not know'
        if self.kind == "blame":
            return f'"{self.word}…" can read as blaming the child'
        return f'"{self.word}" is a word children have asked us not to use'

    @property
    def suggestion(self) -> str:
        if self.kind == "acronym":
            return "explain it or use plain words"
        if self.kind == "blame":
            return self.why
        text = "say " + " or ".join(f'"{s}"' for s in self.suggestions)
        return f"{text} ({self.why})" if self.why else text

    def problem(self, file: str, line: int, column: int, field: str) -> Problem:
        return Problem(
            file, line, column, field, self.message, self.suggestion, self.severity, self.kind
        )


# -- matching -------------------------------------------------------------------------------


class _Node:
    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.end: str | None = None
        self.depth = 0  # longest path below: longer terms are tried first


def _is_acronym(form: str) -> bool:
    return not any(c.islower() for c in form) and sum(c.isupper() for c in form) >= 2


def _units(form: str) -> list[str]:
    """Regex pieces for one phrase, one per character or separator."""
    units: list[str] = []
    acronym = _is_acronym(form)
    for i, part in enumerate(p for p in re.split(_SEP, form.strip()) if p):
        if i:
            units.append(_SEP)
        for char in part:
            if char in "'\u2019":
                units.append(_APOS)
            elif acronym and char.isalpha():
                units.append(f"(?-i:{re.escape(char)})")  # PEP is a plan, "pep talk" is not
            else:
                units.append(re.escape(char.lower()))
    return units


def _trie(forms: Iterable[tuple[str, str]]) -> _Node:
    root = _Node()
    for form, name in forms:
        node, path = root, [root]
        for unit in _units(form):
            node = node.children.setdefault(unit, _Node())
            path.append(node)
        if node is not root and node.end is None:
            node.end = name
        for depth, visited in enumerate(reversed(path)):
            visited.depth = max(visited.depth, depth)
    return root


def _emit(node: _Node) -> str:
    """One alternation, sharing prefixes, so a 60-term glossary costs little more than one."""
    branches = [
        unit + _emit(child)
        for unit, child in sorted(node.children.items(), key=lambda kv: -kv[1].depth)
    ]
    if node.end is not None:  # after the longer branches, so the longest term wins
        branches.append(f"(?P<{node.end}>{_SUFFIX}(?!\\w))" if node.end else f"{_SUFFIX}(?!\\w)")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """Every occurrence, overlapping too, of any phrase: the lookahead captures each start."""
    trie = _trie((p, "") for p in phrases)
    if not trie.children:
        return None
    return re.compile(rf"(?<!\w)(?=({_emit(trie)}))", re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def _own_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return _phrases(words)


def _spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in pattern.finditer(text)] if pattern else []


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def find_jargon(text: str, glossary: Glossary, own_words: Iterable[str] = ()) -> list[Finding]:
    """Glossary words and unexplained acronyms in `text`, in order, longest leftmost first.

    A match inside one of its term's `except` phrases is ordinary English; a match inside one
    of the child's own words is the child's choice. Neither is reported.
    """
    own_pattern = _own_pattern(tuple(sorted({w.strip() for w in own_words if w.strip()})))
    own: list[tuple[int, int]] | None = None  # found when first needed: most texts need none
    excepts: dict[int, list[tuple[int, int]]] = {}
    findings: list[Finding] = []
    for match in glossary.pattern.finditer(text):
        start, end = match.span()
        if own is None:
            own = _spans(own_pattern, text)
        if _inside(own, start, end):
            continue
        if match.lastgroup and match.lastgroup.startswith("t"):
            index = int(match.lastgroup[1:].partition("_")[0])
            term = glossary.terms[index]
            if index not in excepts:
                excepts[index] = _spans(glossary.except_patterns[index], text)
            if _inside(excepts[index], start, end):
                continue
            word, say, why = match.group(), term.say, term.why
            findings.append(
                Finding(word, start, end, term.avoid[0], say, why, term.severity, "jargon")
            )
            continue
        core = match.group("core")
        if (
            len(core) > MAX_ACRONYM
            or core in glossary.allow_acronyms
            or core.lower() in COMMON_WORDS
        ):
            continue
        findings.append(
            Finding(match.group(), start, end, core, (), "", glossary.acronym_severity, "acronym")
        )
    return findings


# -- blaming shapes -------------------------------------------------------------------------

# A worry told as something the child does wrong ("You keep running off") puts the worry on
# the child. "Language that cares" asks for who is worried and why, and who is helping.
_KINDER = " and name who is worried and who is helping (`who:`, `helping:`)"
BLAMING_SHAPES: tuple[tuple[str, str], ...] = (
    (
        r"you (?:have|had) (?:not|never)|you (?:haven't|hadn't|never)",
        'say what people will help with rather than what the child has not done, e.g. "Dev '
        'is finding a time for you to see your dad";' + _KINDER,
    ),
    (
        r"you (?:keep|kept)",
        'say what happens and how it feels, e.g. "Sometimes you go out without saying '
        'where";' + _KINDER,
    ),
    (
        r"you (?:refuse[sd]?|won't|will not|would not|wouldn't)",
        'say what the child feels or wants, e.g. "You did not want to talk about it yet, and '
        'that is OK";' + _KINDER,
    ),
)
_BLAME = re.compile(
    "|".join(
        rf"(?P<b{i}>(?<!\w){shape.replace(chr(39), _APOS)}(?!\w))"
        for i, (shape, _) in enumerate(BLAMING_SHAPES)
    ),
    re.IGNORECASE,
)


def find_blame(text: str) -> list[Finding]:
    """Blaming shapes ("You have not…", "You keep…", "You refuse…") in `text`, each with a
    kinder way to say it."""
    findings = []
    for match in _BLAME.finditer(text):
        why = BLAMING_SHAPES[int((match.lastgroup or "b0")[1:])][1]
        start, end = match.span()
        word = match.group()
        findings.append(Finding(word, start, end, word, (), why, Severity.WARNING, "blame"))
    return findings


def line_column(text: str, offset: int) -> tuple[int, int]:
    """0-based line and 1-based column of `offset`, to place a finding inside a long field."""
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# -- loading --------------------------------------------------------------------------------


def _key(form: str) -> str:
    return " ".join(re.split(_SEP, form.strip().lower().replace("\u2019", "'")))


def read_glossary(reader: Reader, root: Node) -> Glossary:
    model, found, problems = validate(GlossaryFile, root, reader.file, reader.kind)
    reader.problems += problems
    _check_forms(reader, found)  # on what was written, so a typo elsewhere hides nothing
    if model is None:
        return Glossary(terms=())
    return Glossary(
        terms=tuple(
            Term(t.avoid, t.say, t.why or "", t.except_, Severity(t.severity))
            for t in model.terms
            if t.avoid
        ),
        allow_acronyms=DEFAULT_ALLOWED_ACRONYMS | {a.upper() for a in model.allow_acronyms},
        acronym_severity=Severity(model.severity_acronyms),
    )


def _check_forms(reader: Reader, found: Tree) -> None:
    """Each word to avoid has letters in it, and belongs to one term only."""
    terms = found.data.get("terms") if isinstance(found.data, dict) else None
    seen: dict[str, str] = {}
    for i, term in enumerate(terms if isinstance(terms, list) else []):
        avoid = term.get("avoid") if isinstance(term, dict) else None
        forms = [avoid] if isinstance(avoid, str) else avoid if isinstance(avoid, list) else []
        where = f"terms[{i}]"
        node = found.values.get(("terms", i, "avoid"))
        for form in (f for f in forms if isinstance(f, str)):
            key = _key(form)
            if not any(c.isalnum() for c in key):
                reader.error(
                    node,
                    f"{where}.avoid",
                    f'"{form}" has no letters in it',
                    "write the word or phrase to avoid",
                )
            elif seen.get(key, where) != where:
                reader.error(
                    node,
                    f"{where}.avoid",
                    f'"{form}" is listed twice',
                    f"keep it in one term only; it is also under {seen[key]}",
                )
            seen.setdefault(key, where)


def load_glossary(path: Path, display: str) -> Glossary:
    """The council's glossary, or YourReviewError naming every problem in the file."""
    reader = Reader(display, kind="config")
    glossary = read_glossary(reader, load_file(path, display))
    if not reader.ok:
        raise YourReviewError(reader.problems)
    return glossary
