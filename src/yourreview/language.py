"""Plain words: the council's glossary of jargon, unexplained acronyms, and readability.

Pure functions over text. Every free-text field of a record, and the text the templates add,
goes through `find_jargon`; every rendered letter goes through `readability`. The caller turns
findings into Problems with the file, line and field it knows about.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, Severity, YourReviewError
from .schema import Reader
from .yamlsafe import Node, Scalar, load_file

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
    wait safe sorry thing yay yeah zero again always never other people review school dates
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
        return f'"{self.word}" is a word children have asked us not to use'

    @property
    def suggestion(self) -> str:
        if self.kind == "acronym":
            return "explain it or use plain words"
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


def line_column(text: str, offset: int) -> tuple[int, int]:
    """0-based line and 1-based column of `offset`, to place a finding inside a long field."""
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# -- loading --------------------------------------------------------------------------------


def _key(form: str) -> str:
    return " ".join(re.split(_SEP, form.strip().lower().replace("\u2019", "'")))


def _list(reader: Reader, node: Node | None, field: str) -> tuple[str, ...]:
    if isinstance(node, Scalar):  # `avoid: placement` means a list of one
        one = reader.text(node, field)
        return (one,) if one else ()
    return reader.texts(node, field)


def _severity(reader: Reader, node: Node | None, field: str) -> Severity:
    value = reader.choice(node, field, [s.value for s in (Severity.WARNING, Severity.ERROR)])
    return Severity(value) if value else Severity.WARNING


def read_glossary(reader: Reader, root: Node) -> Glossary:
    top = (
        reader.fields(
            root, "", required=("terms",), optional=("allow_acronyms", "severity_acronyms")
        )
        or {}
    )
    terms: list[Term] = []
    seen: dict[str, str] = {}
    for path, item in reader.items(top.get("terms"), "terms"):
        found = reader.fields(
            item, path, required=("avoid", "say"), optional=("why", "except", "severity")
        )
        if found is None:
            continue
        avoid = _list(reader, found.get("avoid"), f"{path}.avoid")
        for form in avoid:
            key = _key(form)
            if not any(c.isalnum() for c in key):
                reader.error(
                    found["avoid"],
                    f"{path}.avoid",
                    f'"{form}" has no letters in it',
                    "write the word or phrase to avoid",
                )
            elif seen.get(key, path) != path:
                reader.error(
                    found["avoid"],
                    f"{path}.avoid",
                    f'"{form}" is listed twice',
                    f"keep it in one term only; it is also under {seen[key]}",
                )
            seen.setdefault(key, path)
        terms.append(
            Term(
                avoid=avoid,
                say=_list(reader, found.get("say"), f"{path}.say"),
                why=reader.text(found.get("why"), f"{path}.why") or "",
                exceptions=_list(reader, found.get("except"), f"{path}.except"),
                severity=_severity(reader, found.get("severity"), f"{path}.severity"),
            )
        )
    allow = {a.upper() for a in _list(reader, top.get("allow_acronyms"), "allow_acronyms")}
    return Glossary(
        terms=tuple(t for t in terms if t.avoid),
        allow_acronyms=DEFAULT_ALLOWED_ACRONYMS | allow,
        acronym_severity=_severity(reader, top.get("severity_acronyms"), "severity_acronyms"),
    )


def load_glossary(path: Path, display: str) -> Glossary:
    """The council's glossary, or YourReviewError naming every problem in the file."""
    reader = Reader(display, kind="config")
    glossary = read_glossary(reader, load_file(path, display))
    if not reader.ok:
        raise YourReviewError(reader.problems)
    return glossary


# -- readability ----------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(["mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "etc", "vs", "no"])
_WORD = re.compile(r"[^\W_]+(?:['\u2019.\-][^\W_]+)*")
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s|$)")
_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)]|[a-z][.)]|#+|>)\s+")
# A web or email address reads as one word, "link"; a Markdown link as its text. Possessive
# quantifiers and the lookbehind keep a 100,000-letter field from taking minutes.
_ADDRESS_END = (
    r"(?:[^\s)>\]]*[^\s)>\].,!?;:'\"])?"  # a full stop after an address ends the sentence
)
_LINK = re.compile(
    rf"\[([^\[\]]*+)\]\([^()\s]*+\)|(?:https?://|www\.){_ADDRESS_END}"
    rf"|(?<![^\s(<\[])[^\s@(<\[]++@{_ADDRESS_END}"
)
_IRREGULAR = """
    people:2 maybe:2 every:2 everyone:3 everything:3 everybody:4 everywhere:3 area:3 idea:3
    ideas:3 create:2 created:3 creative:3 recipe:3 cafe:2 poem:2 quiet:2 science:2 diet:2
    business:2 client:2 society:4 police:2 being:2
    """
_SYLLABLE_EXCEPTIONS = {w: int(n) for w, n in (item.split(":") for item in _IRREGULAR.split())}
# A silent e before these endings stays silent: lovely, homework, someone, placement.
_SILENT_E = "ful ly ment ments ness less work where time one thing body side"
_SILENT_E_BEFORE = tuple(_SILENT_E.split())


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    words_per_sentence: float
    longest_sentences: tuple[Sentence, ...]  # up to 3, longest first
    polysyllables: int  # words of three or more syllables
    reading_age: float  # years


def syllables(word: str) -> int:
    """Syllables in one English word, by rule: right for most words a letter uses."""
    return _syllables(word.lower())


@functools.lru_cache(maxsize=65536)  # a letter repeats its words; 3,600 letters repeat more
def _syllables(word: str) -> int:
    w = re.sub(r"[^a-z'\u2019]", "", word.lower()).replace("\u2019", "'")
    if not any(c.isalpha() for c in w):
        return 1 if any(c.isdigit() for c in word) else 0
    extra = 0
    if w.endswith("n't"):
        w = w[:-3]
        extra = 0 if w in {"ca", "wo", "do", "are", "were", "ai", "sha"} else 1
    w = re.sub(r"'(?:s|ll|re|ve|d|m)$", "", w).replace("'", "")
    if w in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[w] + extra
    if len(w) <= 3:
        return 1 + extra
    if w.endswith("ed") and w[-3] not in "td":
        w = w[:-2]  # talked, played: silent; wanted, needed: heard
    elif re.search(r"(?:[sxzcg]|ch|sh)es$", w):
        w, extra = w[:-2], extra + 1  # places, wishes, changes
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith(("ier", "iest")):
        extra += 1  # happier, earliest
    for suffix in _SILENT_E_BEFORE:
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            if re.search(r"[aeiouy][^aeiouy]e$", stem):
                w = stem[:-1] + suffix  # lovely, homework, someone, placement
            break
    if w.endswith("e") and not re.search(r"(?:[^aeiouy]le|ee)$", w):
        w = w[:-1]  # silent e: like, home; but table, little, free
    count, previous_vowel = 0, False
    for i, char in enumerate(w):
        after = w[i + 1] if i + 1 < len(w) else ""
        if char == "y":
            if after and after in "aeiou" and (i == 0 or previous_vowel):
                vowel = False  # yes, beyond, player: y is a consonant here
            elif after and after in "aeiou":
                count, previous_vowel = count + 1, False  # anyone, crying: y then a vowel
                continue
            else:
                vowel = True
        else:
            vowel = char in "aeiou"
        if vowel and not previous_vowel:
            count += 1
        previous_vowel = vowel
    if re.search(r"[^ctsxg](?:i[aou]|eo)|[^qg]ua", w) and not re.search(r"ious?$|eou", w):
        count += 1  # radio, media, video, usual: two vowels, two syllables
    if re.search(r"[^ctxg]ious$", w):
        count += 1  # serious, various; but delicious, religious
    if re.search(r"[aeiou]ing$", w):
        count += 1  # going, seeing
    return max(1, count) + extra


def sentences(text: str) -> list[str]:
    """Sentences, where every list item and every line counts as its own.

    A line break inside a sentence (a hard-wrapped paragraph: no full stop, the next line
    starting in lower case) joins the lines back; letters are full of bullet lists, and an
    item with no full stop is still a sentence a child reads on its own.
    """
    blocks: list[list[str]] = []
    joinable = False
    for raw in text.splitlines():
        line = _LINK.sub(lambda m: "link" if m.group(1) is None else m.group(1), raw)
        bullet = _BULLET.match(line)
        body = line[bullet.end() :] if bullet else line.strip()
        if not body.strip():
            joinable = False
            continue
        if joinable and not bullet and body.strip()[0].islower():
            blocks[-1].append(body.strip())
        else:
            blocks.append([body.strip()])
        joinable = not re.search(r"[.!?:;\"'\u201d\u2019)]$", body.strip())
    found: list[str] = []
    for lines in blocks:
        block, start = " ".join(lines), 0
        for match in _END.finditer(block):
            # The word before the stop; abbreviations are short, so a short look back will do.
            before = block[max(start, match.start() - 12) : match.start()].split()
            last = before[-1].lower() if before else ""
            initial = len(last) == 1 and before[-1].isupper()
            if match.group() == "." and (last in _ABBREVIATIONS or initial):
                continue  # Mr. Shah, e.g. this, J. Smith
            found.append(block[start : match.end()].strip())
            start = match.end()
        found.append(block[start:].strip())
    return [s for s in found if _WORD.search(s)]


def readability(text: str) -> Readability:
    parts = [(s, _WORD.findall(s)) for s in sentences(text)]
    words = [w for _, ws in parts for w in ws]
    if not words:
        return Readability(0, 0, 0.0, (), 0, 5.0)
    counts = [_word_syllables(w) for w in words]
    wps = len(words) / len(parts)
    # Flesch-Kincaid grade level (Kincaid et al. 1975, "Derivation of new readability formulas
    # for Navy enlisted personnel"): 0.39 * words per sentence + 11.8 * syllables per word
    # - 15.59. A US grade is a UK reading age minus five years; below five it means nothing.
    grade = 0.39 * wps + 11.8 * (sum(counts) / len(words)) - 15.59
    order = sorted(range(len(parts)), key=lambda i: (-len(parts[i][1]), i))[:3]
    return Readability(
        sentences=len(parts),
        words=len(words),
        words_per_sentence=round(wps, 1),
        longest_sentences=tuple(Sentence(parts[i][0], len(parts[i][1])) for i in order),
        polysyllables=sum(
            1 for w, c in zip(words, counts, strict=True) if c >= 3 and not w.isdigit()
        ),
        reading_age=round(max(5.0, grade + 5), 1),
    )


def _word_syllables(word: str) -> int:
    if word.replace(".", "").isdigit():
        return 1  # numbers and dates are read at a glance
    return sum(syllables(part) for part in re.split(r"[-.]", word) if part)


# -- targets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadabilityTarget:
    max_words_per_sentence: float
    max_reading_age: float


# The reading age at the top of each style's band: early years are read to the child (picture
# book level, 8); easy read is for limited understanding whatever the age (8); child letters
# are for 5-11s (11); young-person letters for 12-17s (15, a GCSE-level reader). Words per
# sentence follow issue 3: 12, 12, 15, 20.
DEFAULT_TARGETS: dict[str, ReadabilityTarget] = {
    "early-years": ReadabilityTarget(12, 8),
    "easy-read": ReadabilityTarget(12, 8),
    "child": ReadabilityTarget(15, 11),
    "young-person": ReadabilityTarget(20, 15),
}


@dataclass(frozen=True)
class ReadabilityFinding:
    measure: str  # "words_per_sentence" or "reading_age"
    value: float
    limit: float
    style: str
    longest: tuple[Sentence, ...]
    severity: Severity = Severity.WARNING

    @property
    def message(self) -> str:
        if self.measure == "reading_age":
            return (
                f"needs a reading age of {self.value:g} years, above {self.limit:g} "
                f"for the {self.style} style"
            )
        return (
            f"sentences average {self.value:g} words, above {self.limit:g} "
            f"for the {self.style} style"
        )

    @property
    def suggestion(self) -> str:
        named = "; ".join(f'"{_clip(s.text)}" ({s.words} words)' for s in self.longest)
        hint = "use shorter words and split" if self.measure == "reading_age" else "split"
        return f"{hint} the longest sentences: {named}" if named else hint + " long sentences"

    def problem(self, file: str, line: int, column: int, field: str) -> Problem:
        return Problem(
            file, line, column, field, self.message, self.suggestion, self.severity, "readability"
        )


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def readability_findings(
    stats: Readability, style: str, target: ReadabilityTarget
) -> list[ReadabilityFinding]:
    """What is over the style's target, each naming the longest sentences to split first."""
    found = []
    if stats.words_per_sentence > target.max_words_per_sentence:
        found.append(
            ReadabilityFinding(
                "words_per_sentence",
                stats.words_per_sentence,
                target.max_words_per_sentence,
                style,
                stats.longest_sentences,
            )
        )
    if stats.reading_age > target.max_reading_age:
        found.append(
            ReadabilityFinding(
                "reading_age",
                stats.reading_age,
                target.max_reading_age,
                style,
                stats.longest_sentences,
            )
        )
    return found


def read_targets(
    reader: Reader, node: Node | None, field: str = "readability"
) -> dict[str, ReadabilityTarget]:
    """The defaults, with the council's `readability:` overrides from council.yml."""
    targets = dict(DEFAULT_TARGETS)
    styles = reader.fields(node, field, optional=tuple(DEFAULT_TARGETS)) or {}
    for style, section in styles.items():
        path = f"{field}.{style}"
        limits = (
            reader.fields(section, path, optional=("max_words_per_sentence", "max_reading_age"))
            or {}
        )
        default = DEFAULT_TARGETS[style]
        words = _number(
            reader, limits.get("max_words_per_sentence"), f"{path}.max_words_per_sentence"
        )
        age = _number(reader, limits.get("max_reading_age"), f"{path}.max_reading_age")
        targets[style] = ReadabilityTarget(
            default.max_words_per_sentence if words is None else words,
            default.max_reading_age if age is None else age,
        )
    return targets


def _number(reader: Reader, node: Node | None, field: str) -> float | None:
    raw = reader.text(node, field)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 100:
        reader.error(
            node,
            field,
            f'"{raw}" is not a number between 0 and 100',
            "write a number such as 15 or 11.5",
        )
        return None
    return value
