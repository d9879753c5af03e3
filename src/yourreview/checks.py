"""Checks before a letter goes out: plain words, readability, and the review clock.

Every free-text field of every record is checked for jargon where the IRO wrote it (file, line,
column). The words the templates add are checked too, by rendering each letter with the
record's text blanked out, so a finding names the template rather than a record. Readability is
measured on the whole letter the child will read.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import partial
from html import unescape
from pathlib import Path
from typing import cast

from .cache import digest
from .deadlines import deadline_findings, step_findings
from .errors import Problem, Severity, display_path
from .forked import SMALL_BATCH, forked_map
from .language import Glossary, find_blame, find_jargon, line_column
from .project import Project
from .readability import (
    PER_SENTENCE,
    Readability,
    Sentence,
    clip,
    long_sentences,
    readability,
    readability_findings,
)
from .records import LastTime, NextStep, Person, Record, Text, Wish, Worry
from .render import LetterExtras, render_letter

BLANK = "x"  # stands in for the record's words when checking what the template says
BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "section",
    "header",
    "ul",
    "ol",
    "div",
    "br",
    "article",
    "tr",
    "td",
    "th",
}


@dataclass(frozen=True)
class LetterCheck:
    record: Record
    readability: Readability
    problems: tuple[Problem, ...]


# The letter's HTML is our own autoescaped output, so its tags can be taken apart with regular
# expressions: a person's "<" is always "&lt;" by now. Ten times faster than html.parser.
_ICONS = re.compile(r"<svg\b.*?</svg>", re.S)  # icons and QR codes: not words a child reads
_BLOCK_TAGS = re.compile(r"</?(?:" + "|".join(sorted(BLOCKS)) + r")\b[^>]*>")
_TAGS = re.compile(r"<[^>]*>")


def letter_text(html: str) -> str:
    """The words of a letter as a child reads them: one line per block, no icons."""
    text = _TAGS.sub("", _BLOCK_TAGS.sub("\n", _ICONS.sub("", html)))
    lines = (" ".join(line.split()) for line in unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def _blank_how(record: Record) -> str | None:
    """`took_part.how` blanked, still saying whether the child used words: the template's
    words are then those of the child's own letter ("What you showed us" or not)."""
    if not record.took_part_how:
        return None
    return f"{BLANK} without words" if record.without_words else BLANK


def blanked(record: Record) -> Record:
    """The record with every word the IRO wrote replaced, leaving only the template's words."""
    return dataclasses.replace(
        record,
        name=BLANK,
        took_part_how=_blank_how(record),
        people=tuple(Person(BLANK, BLANK, p.joined) for p in record.people),
        told_me=tuple(Wish(BLANK, BLANK if w.reply else None, w.step) for w in record.told_me),
        in_their_words=BLANK if record.in_their_words else None,
        going_well=tuple(BLANK for _ in record.going_well),
        worries=tuple(
            Worry(BLANK, *(BLANK if x else None for x in (w.who, w.helping, w.will)))
            for w in record.worries
        ),
        next_steps=tuple(NextStep(BLANK, BLANK, s.by) for s in record.next_steps),
        last_time=tuple(
            LastTime(BLANK, x.happened, BLANK if x.note else None) for x in record.last_time
        ),
    )


def text_findings(
    texts: Iterable[Text], source: str, glossary: Glossary, own_words: tuple[str, ...]
) -> list[Problem]:
    """Jargon in the IRO's own words, and blaming shapes in the worries, at the line and column
    where each was written."""
    problems = []
    for text in texts:
        found = find_jargon(text.text, glossary, own_words)
        if text.field.startswith("worries["):  # "You have not…" is fine news in going_well
            found = sorted(found + find_blame(text.text), key=lambda f: f.start)
        for finding in found:
            line, column = line_column(text.text, finding.start)
            problems.append(
                finding.problem(
                    source,
                    text.line + line,
                    (text.column if line == 0 else 1) + column - 1,
                    text.field,
                )
            )
    return problems


# One letter's findings before the template's are told once per template: the record's own,
# the template's with their (template, word) key, the readability figures and findings.
_Found = tuple[list[Problem], list[tuple[tuple[str, str], Problem]], Readability, list[Problem]]


def check_letters(
    project: Project, only: Collection[str] | None = None, workers: int = 1
) -> list[LetterCheck]:
    """Each letter's checks, in the order of the records. `workers` > 1: the letters not in
    the cache are checked in that many processes (forked: only from a process with no threads
    of its own, such as `yourreview check`)."""
    own = {r.ref: tuple(v for _, v in r.own_words) for r in project.minutes.records}
    inputs = project.inputs_digest()
    todo = [r for r in project.minutes.records if only is None or r.source in only]
    # The same inputs as the letter, plus where each text sits: unchanged, not redone.
    keys = [digest(inputs, "check", repr(r.texts), *letter_inputs(project, r)) for r in todo]
    results = []
    seen_template_words: set[tuple[str, str]] = set()
    for record, found in zip(todo, _all_found(project, todo, keys, own, workers), strict=True):
        mine, template, stats, hard = found
        problems = list(mine)
        for word, problem in template:
            if word not in seen_template_words:
                seen_template_words.add(word)
                problems.append(problem)
        problems += hard
        results.append(LetterCheck(record, stats, tuple(problems)))
    return results


def _all_found(
    project: Project,
    records: list[Record],
    keys: list[str],
    own: dict[str, tuple[str, ...]],
    workers: int,
) -> list[_Found]:
    found = [cast("_Found | None", project.cache.known("checks", key)) for key in keys]
    missing = [i for i, f in enumerate(found) if f is None]

    def check(i: int) -> _Found:
        return _check_cached(project, records[i], keys[i], own[records[i].ref])

    if len(missing) >= 2 * SMALL_BATCH and workers > 1:
        # The first letter of each style is checked here, before forking: the workers then
        # inherit its compiled templates and the calendar's bank holidays, not each make them.
        for i in {records[i].style: i for i in reversed(missing)}.values():
            found[i] = check(i)
    rest = [i for i in missing if found[i] is None]
    for i, value in zip(rest, forked_map(check, rest, workers), strict=True):
        # A letter a worker could not check is checked here, so its error is raised as it is.
        found[i] = value if value is not None else check(i)
    return cast("list[_Found]", found)


def _check_cached(project: Project, record: Record, key: str, own: tuple[str, ...]) -> _Found:
    return project.cache.value("checks", key, partial(_check_letter, project, record, own))


def _check_letter(project: Project, record: Record, own: tuple[str, ...]) -> _Found:
    env = project.env
    mine = text_findings(record.texts, record.source, project.glossary, own)
    extras = LetterExtras(next_review=project.next_review(record), sent_on=project.sent_on(record))
    template = env.get_template(f"letters/{record.style}.html")
    source = display_path(
        Path(template.filename or f"letters/{record.style}.html"), project.paths.root
    )
    template_words = letter_text(
        render_letter(env, blanked(record), project.minutes, project.council, extras)
    )
    in_template = [
        ((source, finding.word.casefold()), finding.problem(source, 0, 0, "template"))
        for finding in find_jargon(template_words, project.glossary, own)
    ]
    letter = letter_text(render_letter(env, record, project.minutes, project.council, extras))
    stats = readability(letter)
    target = project.targets[record.style]
    hard = [
        finding.problem(record.source, 0, 0, "letter")
        for finding in readability_findings(stats, record.style, target)
    ]
    if record.style in PER_SENTENCE:
        for sentence in long_sentences(letter, target.max_words_per_sentence):
            problem = _long_sentence(project, record, sentence, template_words)
            if problem.file == record.source:
                hard.append(problem)
            else:  # the template's or council.yml's words: told once, like template jargon
                in_template.append(((problem.file, sentence.text), problem))
    return mine, in_template, stats, hard


_SPACE = re.compile(r"\s+")


def _long_sentence(
    project: Project, record: Record, sentence: Sentence, template_words: str
) -> Problem:
    """A sentence over the easy-read target, found where it was written: the record's field
    at its line; council.yml's text; else the template, at its line when written there whole."""
    limit = project.targets[record.style].max_words_per_sentence
    message = (
        f'"{clip(sentence.text)}" has {sentence.words} words, above {limit:g} for easy read '
        "(easy read keeps every sentence short, not just the average)"
    )
    said = _SPACE.sub(" ", sentence.text).casefold()  # "you pointed…" may begin a sentence
    texts = [(t, _SPACE.sub(" ", unescape(t.text)).strip().casefold()) for t in record.texts]
    inside = [t for t, words in texts if said in words]  # part of what the IRO wrote
    holds = sorted((t for t, words in texts if words and words in said), key=lambda t: -len(t.text))
    council = {
        "advocacy.about": project.council.advocacy.about,
        "iro_team.about": project.council.iro_team.about,
    }
    where = (record.source, 0, 0, "letter")
    if inside or holds:
        text = (inside or holds)[0]
        where = (record.source, text.line, text.column, text.field)
    elif found := [
        name
        for name, words in council.items()
        if words and said in _SPACE.sub(" ", words).casefold()
    ]:
        path = project.paths.site_config / "council.yml"
        where = (
            display_path(path, project.paths.root),
            _line_of(said, path.read_text(encoding="utf-8").casefold()),
            0,
            found[0],
        )
    elif said in _SPACE.sub(" ", template_words).casefold() and project.env.loader is not None:
        name = f"letters/{record.style}.html"
        source, filename, _ = project.env.loader.get_source(project.env, name)
        where = (
            display_path(Path(filename or name), project.paths.root),
            _line_of(said, source.casefold()),
            0,
            "template",
        )
    return Problem(
        *where,
        message,
        "split it into short sentences of one idea each",
        Severity.WARNING,
        "readability",
    )


def _line_of(sentence: str, source: str) -> int:
    return next((n for n, row in enumerate(source.splitlines(), 1) if sentence in row), 0)


def letter_inputs(project: Project, record: Record) -> tuple[str, ...]:
    """What one letter is made from besides the project's inputs: its record, the child's
    previous review, and the day it goes out (an unsent letter's past steps change with the
    day). The letter's cache and its checks' cache both key on these, so they never disagree."""
    return repr(record), repr(project.minutes.previous(record)), repr(project.sent_on(record))


def check_project(
    project: Project, only: Collection[str] | None = None, workers: int = 1
) -> tuple[list[Problem], list[LetterCheck]]:
    """Every problem worth telling an IRO about, and the per-letter results for the Checks page.

    `only`: just the findings in these files (as `display_path` writes them), computed the same
    way, so `check FILE` tells exactly what the whole-project check tells about that file.
    `workers`: processes for the letters not in the cache (see `check_letters`).
    """
    letters = check_letters(project, only, workers)
    problems = list(project.warnings)
    problems += [p for letter in letters for p in letter.problems]
    for unread in project.minutes.unread:
        problems += unread.problems
        own = tuple(v for _, v in unread.own_words)
        problems += text_findings(unread.texts, unread.source, project.glossary, own)
    problems += deadline_findings(project.minutes, project.rules, project.calendar, only)
    problems += step_findings(project.minutes, project.today)
    if only is not None:
        problems = [p for p in problems if p.file in only]
    return problems, letters


def errors_in(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]
