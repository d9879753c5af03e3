"""The public section "What you told us": one page per reporting year with its quarters, an
easy-read summary of each year, "About these figures" and "You said, we did".

Every figure on these pages is a cell of the year's one suppressed table set
(feedback/published.py), so nothing hidden on one page can be worked out from another.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from .cache import digest
from .clock import MONTH_NAMES
from .feedback.answerfigures import TOTAL, AnswerRow, answer_tables, rows_from_store
from .feedback.charts import bar_chart
from .feedback.figures import QUARTERS, REVIEWS, Figures, ReportingYear, cell, published_years
from .feedback.figures import year_figures as count_year
from .feedback.published import Publisher, Table, headline, year_tables
from .feedback.quotes import published_quotes, quote_redactor, quotes_path
from .feedback.store import store_path
from .formpages import Href, Page
from .project import Project

SECTION = "what-you-told-us"
INDEX = f"{SECTION}/index.md"
ABOUT = f"{SECTION}/about.md"
YOU_SAID = f"{SECTION}/you-said-we-did.md"
T = TypeVar("T")


def year_uri(year: ReportingYear) -> str:
    return f"{SECTION}/{year.label}.md"


def easy_read_uri(year: ReportingYear) -> str:
    return f"{SECTION}/{year.label}-easy-read.md"


def year_figures(project: Project, year: ReportingYear, exact: bool = False) -> Figures:
    """The one suppressed set of a year's figures, as every page and the report show it."""
    return count_year(
        project.minutes,
        year,
        project.rules,
        project.calendar,
        project.figure_settings.threshold,
        exact,
        project.cache,
    )


def month_year(day: date) -> str:
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def answers_for_figures(project: Project) -> tuple[AnswerRow, ...]:
    """The answers the section counts, one AnswerRow per answer to one question, from the
    answers store: the one place it plugs in (the pages and `yourreview report` both ask
    here). With no store yet there are none, and the section shows the records' figures."""
    return rows_from_store(project.paths.root)


def quotes_for_pages(project: Project) -> dict[str, list[str]]:
    """Approved quotes by reporting year (e.g. "2025-26")."""
    redact = quote_redactor(project.minutes, project.council)
    by_year: dict[str, list[str]] = {}
    for year, words in published_quotes(project.paths.root, redact):
        by_year.setdefault(year, []).append(words)
    return by_year


def year_answer_tables(
    project: Project, year: ReportingYear, answers: Sequence[AnswerRow], exact: bool = False
) -> list[Table]:
    settings = project.figure_settings
    return answer_tables(
        project.forms, answers, year, project.themes, settings.threshold, settings.symbol, exact
    )


# The cache's kind for what the public pages and the leak check derive from the whole project.
PUBLIC = "public"


def public_key(project: Project) -> str | None:
    """One key for everything the public build derives from the records and the answers: the
    record files as the project read them, our code, the council's settings, templates and
    token key, the answers store and feedback/quotes.yml, byte for byte. None (nothing kept)
    when the project was not read with `load_project(defer=True)` or has no cache."""
    if not project.records_digest or project.cache.folder is None:
        return None
    root = project.paths.root
    store = store_path(root)
    parts: list[str | bytes] = [project.records_digest, project.loaded_inputs]
    # The store's newest pages may still be in its write-ahead log: both files are its content.
    for path in (store, store.with_name(store.name + "-wal"), quotes_path(root)):
        try:
            parts += [path.name, path.read_bytes()]
        except FileNotFoundError:
            parts += [path.name, "(none)"]
        except OSError:
            return None
    return digest(*parts)


def kept_whole(project: Project, what: str, make: Callable[[], T]) -> T:
    """`make()`, or what it gave for the same `public_key`: an unchanged project's public
    figures are one entry read back, not every record parsed and counted again. Stored only
    if the store and quotes did not change while it was made."""
    key = public_key(project)
    if key is None:
        return make()
    return project.cache.value(
        PUBLIC, digest(key, what), make, keep=lambda: public_key(project) == key
    )


@dataclass(frozen=True)
class ToldUs:
    """What the section shows from the records and the answers: every reporting year it
    publishes, newest first, with its suppressed figures and its answers' tables; and the
    approved quotes by year."""

    years: tuple[tuple[Figures, tuple[Table, ...]], ...]
    quotes: Mapping[str, list[str]]


def told_us(project: Project, as_of: date, answers: Sequence[AnswerRow] | None = None) -> ToldUs:
    """The section's figures: every year ended by `as_of`. `answers`: every answer to the
    forms (by default `answers_for_figures`, and then kept whole in the cache)."""

    def make() -> ToldUs:
        rows = answers_for_figures(project) if answers is None else answers
        return ToldUs(
            tuple(
                (year_figures(project, y), tuple(year_answer_tables(project, y, rows)))
                for y in published_years(project.minutes, as_of)
            ),
            quotes_for_pages(project),
        )

    if answers is not None:
        return make()
    # The years published change only when a reporting year begins: they are every year with a
    # review that started before the one `as_of` is in.
    return kept_whole(project, f"told-us before {ReportingYear.of(as_of).label}", make)


def told_us_pages(
    project: Project, href: Href, as_of: date, answers: Sequence[AnswerRow] | None = None
) -> list[Page]:
    """Every page of the section. `answers`: every answer to the forms (by default
    `answers_for_figures`)."""
    found = told_us(project, as_of, answers)
    quotes = found.quotes
    env = project.env
    symbol = project.figure_settings.symbol
    threshold = project.figure_settings.threshold
    pages: list[Page] = []
    listed = []
    for figures, answered_tables in found.years:
        year = figures.year
        tables = year_tables(figures, symbol)
        big = headline(figures, symbol)
        said = [e for e in project.you_said if ReportingYear.of(e.when) == year]
        answered = list(answered_tables)
        common = {
            "year": year,
            "big": big,
            "symbol": symbol,
            "about": href(year_uri(year), ABOUT),
        }
        pages.append(
            (
                year_uri(year),
                env.get_template("pages/told-us-year.md").render(
                    **common,
                    tables={t.id: t for t in tables},
                    charts=charts(figures, tables, symbol),
                    answer_tables=answered,
                    answer_charts={
                        t.id: bar_chart(
                            f"chart-{t.id}",
                            t.title,
                            [(r.label, r.cells[0]) for r in t.rows if r.key != TOTAL],
                        )
                        for t in answered
                        if t.id.startswith("faces-")
                    },
                    said=said,
                    quotes=quotes.get(year.label, []),
                    month_year=month_year,
                    easy_read=href(year_uri(year), easy_read_uri(year)),
                    you_said=href(year_uri(year), YOU_SAID),
                ),
                False,
            )
        )
        took_part = next(t for t in tables if t.id == "took-part")
        pages.append(
            (
                easy_read_uri(year),
                env.get_template("pages/told-us-easy-read.md").render(
                    **common,
                    took_part=[r for r in took_part.rows if r.key != REVIEWS],
                    full=href(easy_read_uri(year), year_uri(year)),
                ),
                False,
            )
        )
        listed.append((year, href(INDEX, year_uri(year)), href(INDEX, easy_read_uri(year)), big))
    pages.append(
        (
            INDEX,
            env.get_template("pages/told-us-index.md").render(
                years=listed,
                about=href(INDEX, ABOUT),
                you_said=href(INDEX, YOU_SAID),
                has_you_said=bool(project.you_said),
            ),
            True,
        )
    )
    pages.append(
        (
            ABOUT,
            env.get_template("pages/told-us-about.md").render(
                threshold=threshold, symbol=symbol, council=project.council
            ),
            True,
        )
    )
    if project.you_said:
        pages.append(
            (
                YOU_SAID,
                env.get_template("pages/you-said-we-did.md").render(
                    said=project.you_said, month_year=month_year
                ),
                True,
            )
        )
    return pages


def charts(figures: Figures, tables: list[Table], symbol: str) -> dict[str, object]:
    """The charts beside the tables: the same shown figures, drawn."""
    out = Publisher(figures, symbol)
    year = figures.year
    took_part = next(t for t in tables if t.id == "took-part")
    return {
        "took-part": bar_chart(
            "chart-took-part",
            f"How children took part in their reviews, {year.words}",
            [(r.label, r.cells[0]) for r in took_part.rows if r.key != REVIEWS],
        ),
        "reviews": bar_chart(
            "chart-reviews",
            f"Reviews held on time, each quarter of {year.words}",
            [(year.quarter_words(q), out.count(cell("held on time", q))) for q in QUARTERS],
        ),
    }
