"""The parts of "What you told us": reporting years, the settings files and their errors, the
charts, the words on the pages, and `yourreview report` in each format."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import run_cli
from test_figures import page_tables
from yourreview.checks import letter_text
from yourreview.errors import YourReviewError
from yourreview.feedback.answerfigures import AnswerRow, form_name
from yourreview.feedback.charts import bar_chart
from yourreview.feedback.figures import ReportingYear
from yourreview.feedback.published import Shown
from yourreview.figurepages import told_us_pages
from yourreview.project import Paths, load_project
from yourreview.readability import DEFAULT_TARGETS, readability
from yourreview.report import spreadsheet_safe


def test_a_reporting_year_runs_april_to_march_in_four_quarters() -> None:
    year = ReportingYear.parse("2025-26")
    assert year == ReportingYear.parse("2025-2026") == ReportingYear.of(date(2026, 3, 31))
    assert ReportingYear.of(date(2026, 4, 1)).label == "2026-27"
    assert [year.quarter(date(2025, m, 1)) for m in (4, 7, 10, 12)] == ["Q1", "Q2", "Q3", "Q3"]
    assert year.quarter(date(2026, 1, 5)) == "Q4"
    assert year.quarter_words("Q4") == "January to March 2026"
    for wrong in ("2025", "2025-27", "25-26", "2025/26"):
        with pytest.raises(ValueError, match="write it like 2025-26"):
            ReportingYear.parse(wrong)


def test_every_mistake_in_both_settings_files_is_listed_in_one_run(example: Path) -> None:
    config = example / "site_config"
    (config / "figures.yml").write_text("threshold: five\nsymbol: 7\ncolour: red\n", "utf-8")
    (config / "you-said-we-did.yml").write_text(
        "- you_said: Too long.\n  we_did: Shorter now.\n  when: 14/11/2025\n  cicc_seen: maybe\n"
        "- you_said: Hard words.\n",
        "utf-8",
    )
    with pytest.raises(YourReviewError) as caught:
        load_project(Paths.under(example))
    report = caught.value.report()
    for expected in (
        'site_config/figures.yml:1:12: threshold: "five" is not a whole number of 1 or more',
        "site_config/figures.yml:2:9: symbol:",
        "site_config/figures.yml:3:1: colour: is not a field here",
        'site_config/you-said-we-did.yml:3:9: item 1, when: "14/11/2025" is not a date — write '
        "2025-11-14",
        'site_config/you-said-we-did.yml:4:14: item 1, cicc_seen: "maybe" is not one of '
        "the choices",
        "site_config/you-said-we-did.yml:5:3: item 2, we_did: is missing",
    ):
        assert expected in report, (expected, report)


def test_a_low_threshold_is_a_warning_and_is_used(example: Path) -> None:
    (example / "site_config" / "figures.yml").write_text("threshold: 3\nsymbol: '*'\n", "utf-8")
    project = load_project(Paths.under(example))
    assert (project.figure_settings.threshold, project.figure_settings.symbol) == (3, "*")
    assert any("hides fewer small numbers" in p.message for p in project.warnings)


def test_a_chart_has_a_name_a_description_and_no_bar_for_a_hidden_figure() -> None:
    svg = bar_chart("chart-x", "Faces <b>", [("Happy", Shown(12, "12")), ("Sad", Shown(None, "c"))])
    assert svg.startswith('<svg class="yr-chart" id="chart-x" role="img"')
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">Faces &lt;b&gt;</title>' in svg
    assert '<desc id="chart-x-desc">Happy: 12; Sad: c (hidden)</desc>' in svg
    assert svg.count("<rect") == 1 and "style=" not in svg and "<script" not in svg


def page_text(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    return letter_text(article.split(">", 1)[1])


@pytest.mark.parametrize(
    ("path", "style"),
    [
        ("what-you-told-us", "child"),
        ("what-you-told-us/2025-26", "child"),
        ("what-you-told-us/2024-25", "child"),
        ("what-you-told-us/about", "child"),
        ("what-you-told-us/you-said-we-did", "child"),
        ("what-you-told-us/2025-26-easy-read", "easy-read"),
    ],
)
def test_the_pages_are_written_for_children(public_site: Path, path: str, style: str) -> None:
    text = page_text(public_site, path)
    stats = readability(text)
    target = DEFAULT_TARGETS[style]
    assert stats.words > 40
    assert stats.reading_age <= target.max_reading_age, (stats.reading_age, stats.longest_sentences)
    assert stats.words_per_sentence <= target.max_words_per_sentence, stats.longest_sentences


def test_the_about_page_states_the_rules_and_the_threshold(public_site: Path) -> None:
    text = page_text(public_site, "what-you-told-us/about")
    assert "any number from 1 to 5 is hidden" in text
    assert "A hidden number shows as c." in text
    assert "from 5 or more reviews" in text
    assert "We never show anything smaller" in text


def test_the_report_in_markdown_is_the_published_figures(example: Path) -> None:
    result = run_cli(example, "report", "--year", "2025-26")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Anytown Independent Reviewing Service: reviews of children in care")
    assert "| PN1: Children who came and spoke for themselves |" in out
    assert "| Reviews held | 11 | 15 | 11 | 15 | 52 |" in out
    assert "c marks a hidden figure" in out and "EXACT" not in out
    assert "| Held late | c | 0 | 0 | c | c |" in out


def test_exact_figures_say_so_on_every_table_in_every_format(example: Path) -> None:
    md = run_cli(example, "report", "--year", "2025-26", "--exact").stdout
    assert md.count("**Exact figures: not for publication.**") == 4
    assert "| c |" not in md and "| Held late | 1 | 0 | 0 | 1 | 2 |" in md
    csv_text = run_cli(example, "report", "--year", "2025-26", "--exact", "--format", "csv").stdout
    lines = csv_text.splitlines()[1:]
    assert lines and all(line.startswith("exact (not for publication),") for line in lines)
    book = example / "exact.xlsx"
    result = run_cli(example, "report", "--year", "2025-26", "--exact", "--format", "xlsx",
                     "-o", str(book))  # fmt: skip
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(book)["2025-26"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert cells[1].startswith("EXACT FIGURES")
    assert cells.count(cells[1]) == 5  # the top and once under each of the four tables
    assert 52 in cells  # counts are numbers a council can add up


def test_the_report_refuses_what_it_cannot_do(example: Path) -> None:
    assert "write it like 2025-26" in run_cli(example, "report", "--year", "2025").stderr
    assert "No review in minutes/" in run_cli(example, "report", "--year", "2019-20").stderr
    assert (
        "needs a file" in run_cli(example, "report", "--year", "2025-26", "--format", "xlsx").stderr
    )
    kept = example / "kept.md"
    kept.write_text("mine", encoding="utf-8")
    result = run_cli(example, "report", "--year", "2025-26", "-o", str(kept))
    assert result.returncode == 1 and kept.read_text(encoding="utf-8") == "mine"


def test_text_for_spreadsheets_never_starts_a_formula(example: Path) -> None:
    assert [spreadsheet_safe(t) for t in ("=1+1", "+44", "-3", "@SUM", "Reviews")] == [
        "'=1+1", "'+44", "'-3", "'@SUM", "Reviews",
    ]  # fmt: skip
    council = example / "site_config" / "council.yml"
    text = council.read_text(encoding="utf-8")
    council.write_text(
        text.replace("  service: Anytown Independent Reviewing Service",
                     "  service: '=HYPERLINK(\"http://x.example\")'"),
        encoding="utf-8",
    )  # fmt: skip
    book = example / "r.xlsx"
    assert run_cli(example, "report", "--year", "2025-26", "--format", "xlsx", "-o", str(book))
    title = load_workbook(book)["2025-26"]["A1"].value
    assert title.startswith("'=HYPERLINK")


def generated_answers(project_forms: object, n: int, seed: int) -> list[AnswerRow]:
    """`n` people's answers to every approved form with questions, over 2025-26."""
    from yourreview.forms import Forms

    assert isinstance(project_forms, Forms)
    rng = random.Random(seed)
    phrases = ["She listened to me.", "I felt safe.", "Nobody explained my plan.", "ok"]
    rows = []
    for i in range(n):
        form = rng.choice([f for f in project_forms.approved if f.questions])
        channel = rng.choice(["online", "paper", "online"])
        received = date(2025, 4, 1) + timedelta(days=rng.randrange(365))
        for q in form.questions:
            if rng.random() < 0.1:
                continue  # every question can be skipped
            value: str | tuple[str, ...]
            if q.is_text:
                value = rng.choice([*phrases, "Zebedee Quartermaine was at my review"])
            elif q.kind == "any-choices":
                value = tuple(v for v in q.values if rng.random() < 0.4)
            else:
                value = rng.choices(q.values, weights=range(1, len(q.values) + 1))[0]
            rows.append(AnswerRow(f"r{i}", form.id, form.version, q.id, value, channel, received))
    return rows


def test_answers_become_suppressed_counts_charts_and_themes(example: Path) -> None:
    project = load_project(Paths.under(example))
    answers = generated_answers(project.forms, 600, seed=3)
    pages = dict(
        (uri, html)
        for uri, html, _ in told_us_pages(project, lambda a, b: b, date.today(), answers)
    )
    html = pages["what-you-told-us/2025-26.md"]
    assert "Zebedee" not in html and "listened to me" not in html  # text is never published
    tables = page_tables(html)
    year = ReportingYear(2025)
    checked = 0
    for form in project.forms.approved:
        mine = [a for a in answers if a.form_id == form.id and form.purpose != "cicc-comment"]
        if not mine:
            continue
        people = tables[f"{form_name(form)}: how many answered"]
        online = len({a.response for a in mine if a.channel == "online"})
        assert people[("Online", "People")] in (str(online), "c")
        for q in form.questions:
            if q.kind not in ("faces", "one-choice", "yes-no"):
                continue
            shown = tables[f"{form_name(form)}: {q.label}"]
            for value, words in q.choices:
                n = sum(1 for a in mine if a.question_id == q.id and a.value == value)
                text = shown[(words, "People")]
                assert text == ("c" if text == "c" else str(n)), (q.id, value)
                assert text == "c" or not 1 <= n <= 5
                checked += 1
            if q.kind == "faces":
                assert f'id="chart-faces-{form.id}-{q.id}" role="img"' in html
    assert checked > 20
    themes = tables["What people wrote about"]
    texts = [a for a in answers if isinstance(a.value, str) and year.first_day <= a.received]
    texts = [
        a
        for a in texts
        if any(
            q.id == a.question_id and q.is_text
            for f in project.forms.approved
            if f.id == a.form_id and f.purpose != "cicc-comment"
            for q in f.questions
        )
    ]
    listened = sum(1 for a in texts if re.search(r"\blistened\b", str(a.value), re.I))
    assert themes[("Listened to me", "Answers")] == str(listened)
    assert themes[("All written answers", "Answers")] == str(len(texts))


def test_words_written_on_an_older_version_of_a_form_count_in_the_themes(example: Path) -> None:
    # Last year's answers were given on version 1: their words are as much what children told
    # us as this year's (themes once counted only answers to the newest version).
    from yourreview.feedback.answerfigures import Theme, answer_tables

    project = load_project(Paths.under(example))
    form = next(f for f in project.forms.approved if f.id == "after-review")
    older = next(v for v in range(1, form.version) if any(q.is_text for q in form.questions_in(v)))
    text = next(q for q in form.questions_in(older) if q.is_text)
    rows = [
        AnswerRow(
            f"r{i}", form.id, older, text.id, "She listened to me.", "online", date(2024, 6, 3)
        )
        for i in range(7)
    ]
    tables = answer_tables(
        project.forms, rows, ReportingYear(2024), (Theme("Listened to me", ("listened",)),), 5, "c"
    )
    themes = next(t for t in tables if t.id == "themes")
    assert [(row.label, row.cells[0].text) for row in themes.rows] == [
        ("Listened to me", "7"),
        ("All written answers", "7"),
    ]
