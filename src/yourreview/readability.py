"""Readability: sentences, words per sentence, long words and a reading age, per letter.

Pure functions over text. Every list item and line is a sentence of its own, because letters are
mostly lists. Targets per style come from `site_config/council.yml` (`readability:`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import configkinds
from .declared import validate
from .errors import Problem, Severity
from .yamlsafe import Node, Scalar

# -- readability ----------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(["mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "etc", "vs", "no"])
_PARTS = re.compile(r"[-.]")
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


def long_sentences(text: str, limit: float) -> list[Sentence]:
    """Every sentence over `limit` words, in reading order. Easy read is held to its target
    sentence by sentence: a reader with limited understanding is lost by one long sentence,
    however short the others are."""
    found = []
    for sentence in sentences(text):
        words = len(_WORD.findall(sentence))
        if words > limit:
            found.append(Sentence(sentence, words))
    return found


# The styles whose words-per-sentence target holds for every sentence, not on average.
PER_SENTENCE = frozenset({"easy-read"})


@functools.lru_cache(maxsize=65536)
def _word_syllables(word: str) -> int:
    if word.replace(".", "").isdigit():
        return 1  # numbers and dates are read at a glance
    return sum(_syllables(part) for part in _PARTS.split(word.lower()) if part)


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
        named = "; ".join(
            f'"{clip(s.text)}" ({s.words} word{"" if s.words == 1 else "s"})' for s in self.longest
        )
        hint = "use shorter words and split" if self.measure == "reading_age" else "split"
        return f"{hint} the longest sentences: {named}" if named else hint + " long sentences"

    def problem(self, file: str, line: int, column: int, field: str) -> Problem:
        return Problem(
            file, line, column, field, self.message, self.suggestion, self.severity, "readability"
        )


def clip(text: str, limit: int = 80) -> str:
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
    node: Node | None, file: str, field: str = "readability"
) -> tuple[dict[str, ReadabilityTarget], list[Problem]]:
    """The defaults, with the council's `readability:` overrides from council.yml (declared in
    configkinds.Readability); a style with a mistake keeps its defaults."""
    targets = dict(DEFAULT_TARGETS)
    if node is None or (isinstance(node, Scalar) and node.value is None):
        return targets, []
    declared, _, problems = validate(
        configkinds.Readability, node, file, "config", (field,), keep_rest=True
    )
    for name, info in configkinds.Readability.model_fields.items() if declared else ():
        style, given = info.alias or name, getattr(declared, name)
        if given is None:
            continue
        default = DEFAULT_TARGETS[style]
        words, age = given.max_words_per_sentence, given.max_reading_age
        targets[style] = ReadabilityTarget(
            default.max_words_per_sentence if words is None else words,
            default.max_reading_age if age is None else age,
        )
    return targets, problems
