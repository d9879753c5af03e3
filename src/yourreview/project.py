"""Load everything a council's repository holds, collecting every problem in one run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from jinja2.sandbox import SandboxedEnvironment

from .clock import ClockRules, WorkingCalendar, read_clock, review_due_after
from .council import Council, load_council
from .errors import Problem, Severity, YourReviewError, display_path
from .feedback.answerfigures import THEMES_FILE, Theme, read_themes
from .feedback.settings import (
    FIGURES_FILE,
    YOU_SAID_FILE,
    FigureSettings,
    YouSaid,
    read_figure_settings,
    read_you_said,
)
from .forms import Forms, load_forms
from .language import Glossary, load_glossary
from .readability import DEFAULT_TARGETS, ReadabilityTarget, read_targets
from .records import Minutes, Record, load_minutes
from .render import environment
from .schema import Reader
from .statement import AccessibilitySettings, read_accessibility
from .tokens import TokenKey, review_token, token_key


@dataclass(frozen=True)
class Paths:
    root: Path
    minutes: Path
    templates: Path
    site_config: Path

    @classmethod
    def under(
        cls,
        root: Path,
        minutes: str = "minutes",
        templates: str = "templates",
        site_config: str = "site_config",
    ) -> Paths:
        return cls(root, root / minutes, root / templates, root / site_config)

    def watched(self) -> list[Path]:
        """What `mkdocs serve` watches: a saved change rebuilds the preview."""
        return [p for p in (self.minutes, self.templates, self.site_config) if p.is_dir()]


@dataclass(frozen=True)
class Project:
    paths: Paths
    council: Council
    glossary: Glossary
    minutes: Minutes
    env: SandboxedEnvironment
    rules: ClockRules
    calendar: WorkingCalendar
    targets: Mapping[str, ReadabilityTarget]  # readability targets per letter style
    forms: Forms
    key: TokenKey
    accessibility: AccessibilitySettings
    warnings: tuple[Problem, ...] = ()
    figure_settings: FigureSettings = field(default_factory=FigureSettings)  # figures.yml
    you_said: tuple[YouSaid, ...] = ()  # site_config/you-said-we-did.yml
    themes: tuple[Theme, ...] = ()  # site_config/themes.yml

    def published_values(self) -> frozenset[str]:
        """What the council publishes on purpose: never a leak when it appears on the site."""
        return self.council.published_values() | frozenset(self.accessibility.values())

    def token(self, record: Record) -> str:
        """The opaque token on this review's links: joins a response to it, internally only."""
        return review_token(record.ref, self.key.key)

    def next_review(self, record: Record) -> date:
        """The date the IRO set, but never later than the review clock allows: a letter must
        not promise a child a review after it is due (`check` reports the later date)."""
        limit = review_due_after(record.number, record.review_date, self.rules, self.calendar)
        return min(record.next_review, limit) if record.next_review else limit


T = TypeVar("T")


def _collect(problems: list[Problem], load: Callable[[], T]) -> T | None:
    """Run one loader; keep its problems and go on, so one run lists them all."""
    try:
        return load()
    except YourReviewError as exc:
        problems += exc.problems
        return None


def load_project(paths: Paths) -> Project:
    problems: list[Problem] = []
    config = paths.site_config
    glossary_file, questions_file = config / "glossary.yml", config / "questions.yml"
    council = _collect(problems, lambda: load_council(config / "council.yml", paths.root))
    glossary = _collect(
        problems, lambda: load_glossary(glossary_file, display_path(glossary_file, paths.root))
    )
    minutes = _collect(problems, lambda: load_minutes(paths.minutes, paths.root))
    forms = _collect(
        problems, lambda: load_forms(questions_file, display_path(questions_file, paths.root))
    )
    key = _collect(problems, token_key)
    figures = _collect(problems, lambda: read_figure_settings(config / FIGURES_FILE, paths.root))
    you_said = _collect(problems, lambda: read_you_said(config / YOU_SAID_FILE, paths.root))
    themes = _collect(problems, lambda: read_themes(config / THEMES_FILE, paths.root))
    if figures is not None:
        problems += figures[1]
    rules, calendar, targets = ClockRules(), WorkingCalendar(), DEFAULT_TARGETS
    accessibility = AccessibilitySettings()
    if council is not None:
        reader = Reader(display_path(paths.site_config / "council.yml", paths.root), "config")
        rules, calendar = read_clock(reader, council.clock)
        targets = read_targets(reader, council.readability)
        accessibility = read_accessibility(reader, council.accessibility)
        if accessibility.last_tested is None:
            reader.error(
                council.accessibility,
                "accessibility.last_tested",
                "is missing",
                "write the date of your last accessibility test, e.g. 2026-11-23; "
                "the statement needs it",
                Severity.WARNING,
            )
        problems += reader.problems
    if minutes is not None:
        problems += minutes.warnings
    loaded = (council, glossary, minutes, forms, key)
    if any(p.severity is Severity.ERROR for p in problems) or None in loaded:
        raise YourReviewError(problems)
    assert council and glossary and minutes and forms and key
    warnings = tuple(p for p in problems if p.severity is Severity.WARNING)
    return Project(
        paths,
        council,
        glossary,
        minutes,
        environment(paths.templates),
        rules,
        calendar,
        targets,
        forms,
        key,
        accessibility,
        warnings,
        figures[0] if figures else FigureSettings(),
        you_said or (),
        themes or (),
    )
