"""Redaction: what comes out of a written answer before a person is asked to approve it as a
quote. Names (any case, with possessives), places and schools the council lists, emails, phone
numbers, postcodes, dates and long numbers become a word in brackets ("[name]"), and the quote
is cut to 280 characters.

Redaction is the first of two guards, never the only one: a person reads every quote beside
what was taken out before approving it, and the leak check reads the built site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..clock import MONTH_NAMES

MAX_QUOTE = 280
# Relationship words stand in for names ("Mum", "Grandad"): they identify nobody, and the
# public pages use them ("your mum and dad"). The leak check skips them too.
RELATIONS = frozenset(
    [
        "mum",
        "dad",
        "mummy",
        "daddy",
        "mother",
        "father",
        "nan",
        "nana",
        "nanny",
        "grandma",
        "grandad",
        "grandpa",
        "granny",
        "gran",
        "auntie",
        "aunt",
        "uncle",
        "brother",
        "sister",
        "cousin",
    ]
)

_MONTH = "|".join(m[:3] + (m[3:] and f"(?:{m[3:]})?") for m in MONTH_NAMES)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
# Tried in this order at each place in the text: the first that matches there wins.
_PATTERNS = (
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    ("date", r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
    (
        "date",
        rf"\b{_ORDINAL}\s+(?:of\s+)?(?:{_MONTH})\b(?:,?\s+\d{{4}})?"
        rf"|\b(?:{_MONTH})\s+{_ORDINAL}\b(?:,?\s+\d{{4}})?",
    ),
    # A UK number: 0 or +44, then ten or so digits however they are spaced.
    ("phone", r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d(?:[\s().-]{0,2}\d){8,10}(?!\d)"),
    ("number", r"(?<!\d)\d(?:[\s.,-]?\d){4,}(?!\d)"),  # five digits or more
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*['’]?")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$", re.IGNORECASE)


@dataclass(frozen=True)
class Redacted:
    text: str  # what a person is asked to approve
    found: tuple[tuple[str, str], ...]  # (kind, words) of what was taken out, in order, once
    cut: bool = False  # whether it was cut to MAX_QUOTE characters

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(words for _, words in self.found)


@dataclass
class Redactor:
    """Build once per run (`redactor(...)`), then `redact` each answer."""

    names: frozenset[str] = frozenset()  # casefolded single words, taken out in any case
    capital_names: frozenset[str] = frozenset()  # names that are ordinary words: only "Will"
    phrases: list[tuple[str, str]] = field(default_factory=list)  # (kind, words), longest first
    _pattern: re.Pattern[str] | None = None

    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            parts = [
                rf"(?P<{kind}{i}>(?<!\w){_spaced(words)}(?:['’]s)?(?!\w))"
                for i, (kind, words) in enumerate(self.phrases)
            ]
            parts += [f"(?P<{kind}_{i}>{regex})" for i, (kind, regex) in enumerate(_PATTERNS)]
            parts.append(f"(?P<word>{_WORD.pattern})")
            self._pattern = re.compile("|".join(parts), re.IGNORECASE)
        return self._pattern

    def redact(self, text: str) -> Redacted:
        removed: dict[tuple[str, str], None] = {}

        def replace(match: re.Match[str]) -> str:
            found = match.group(0)
            kind = match.lastgroup or ""
            if kind == "word":
                if not self._is_name(found):
                    return found
                kind = "name"
            kind = kind.rstrip("_0123456789")
            removed[(kind, found)] = None
            return f"[{kind}]"

        out = self.pattern().sub(replace, text)
        out = " ".join(out.split())  # line breaks and runs of spaces: one space
        cut = len(out) > MAX_QUOTE
        if cut:
            out = out[: MAX_QUOTE - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
        return Redacted(out, tuple(removed), cut)

    def _is_name(self, word: str) -> bool:
        base = _POSSESSIVE.sub("", word)
        folded = base.casefold()
        if folded in self.names:
            return True
        return folded in self.capital_names and base[:1].isupper()


def redactor(
    names: Iterable[str],
    places: Iterable[str] = (),
    schools: Iterable[str] = (),
    ordinary_words: Iterable[str] = (),
) -> Redactor:
    """A redactor for these names (every word of each is taken out on its own, so "Priya
    Shah" takes out "Priya" and "Shah"), places and schools. A name that is also an ordinary
    word (council.yml's `leak_check.ordinary_words`, e.g. "Will") is taken out only where it
    is written with a capital letter."""
    ordinary = {w.casefold() for w in ordinary_words}
    single: set[str] = set()
    for name in names:
        for word in _WORD.findall(name):
            folded = _POSSESSIVE.sub("", word).casefold()
            if len(folded) > 1 and folded not in RELATIONS:
                single.add(folded)
    phrases = [("school", s) for s in schools if s.strip()]
    phrases += [("place", p) for p in places if p.strip()]
    phrases.sort(key=lambda kw: len(kw[1]), reverse=True)  # "Anytown Park" before "Anytown"
    return Redactor(frozenset(single - ordinary), frozenset(single & ordinary), phrases)


def _spaced(words: str) -> str:
    """A place's words, however the writer spaced them."""
    return r"\s+".join(re.escape(w) for w in words.split())
