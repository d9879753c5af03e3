"""The public section "What you told us": one page per reporting year with its quarters, an
easy-read summary of each year, "About these figures" and "You said, we did".

Every figure on these pages is a cell of the year's one suppressed table set
(feedback/published.py), so nothing hidden on one page can be worked out from another.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .clock import MONTH_NAMES
from .feedback.answerfigures import TOTAL, AnswerRow, answer_tables, rows_from_store
from .feedback.charts import bar_chart
from .feedback.figures import QUARTERS, REVIEWS, Figures, ReportingYear, cell, published_years
from .feedback.figures import year_figures as count_year
from .feedback.published import Publisher, Table, headline, year_tables
from .feedback.quotes import published_quotes, quote_redactor
from .formpages import Href, Page
from .project import Project

SECTION = "what-you-told-us"
INDEX = f"{SECTION}/index.md"
ABOUT = f"{SECTION}/about.md"
YOU_SAID = f"{SECTION}/you-said-we-did.md"


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


def told_us_pages(
    project: Project, href: Href, as_of: date, answers: Sequence[AnswerRow] | None = None
) -> list[Page]:
    """Every page of the section. `answers`: every answer to the forms (by default
    `answers_for_figures`)."""
    if answers is None:
        answers = answers_for_figures(project)
    quotes = quotes_for_pages(project)
    env = project.env
    symbol = project.figure_settings.symbol
    threshold = project.figure_settings.threshold
    years = published_years(project.minutes, as_of)
    pages: list[Page] = []
    listed = []
    for year in years:
        figures = year_figures(project, year)
        tables = year_tables(figures, symbol)
        big = headline(figures, symbol)
        said = [e for e in project.you_said if ReportingYear.of(e.when) == year]
        answered = year_answer_tables(project, year, answers)
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
