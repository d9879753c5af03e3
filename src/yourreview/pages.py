"""What to publish, per audience: the generated pages as (address, content) pairs.

public: no personal data, ever. internal: adds one letter per review and the index of letters.
The MkDocs plugin only hands these to MkDocs; the CLI and the tests call the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Literal

from .checks import check_project
from .deadlines import Deadline, deadlines
from .figurepages import told_us_pages
from .formpages import consultation_pages, letter_extras, public_form_pages, relative_href
from .project import Project
from .records import Record
from .render import render_letter, tidy_page
from .statement import TestSummary, render_statement

Audience = Literal["public", "internal"]
AUDIENCES: tuple[Audience, ...] = ("public", "internal")
# Our stylesheets and script, served from the site itself (never another origin).
ASSETS = {
    "assets/yourreview/yourreview.css": "assets/yourreview.css",
    "assets/yourreview/forms.css": "assets/forms.css",
    "assets/yourreview/forms.js": "assets/forms.js",
}


@dataclass(frozen=True)
class Page:
    uri: str  # the path under docs/ it would have, e.g. letters/AT-2026-0412.md
    content: str
    in_nav: bool = True  # letters are listed by an index page, never in the sidebar


def letter_uri(record: Record) -> str:
    return f"letters/{record.ref}.md"


def pages_for(project: Project, audience: Audience, directory_urls: bool = True) -> list[Page]:
    href = relative_href(directory_urls)
    pages = [Page(uri, asset(source), in_nav=False) for uri, source in ASSETS.items()]
    words = project.env.get_template("pages/words-we-use.md").render(terms=project.glossary.terms)
    pages.append(Page("words-we-use.md", tidy_page(words)))
    made = public_form_pages(project, href)
    made.append(statement_page(project))
    made += told_us_pages(project, href, date.today())
    if audience == "internal":
        made += consultation_pages(project, href)
    pages += [Page(uri, tidy_page(content), in_nav) for uri, content, in_nav in made]
    if audience == "internal":
        pages += letter_pages(project, href)
        pages.append(checks_page(project, href, date.today()))
    return pages


def statement_page(project: Project) -> tuple[str, str, bool]:
    settings = project.accessibility
    tested = TestSummary(last_tested=settings.last_tested or date.today())
    page = render_statement(project.env, project.council, tested, settings)
    return page.uri, page.content, page.in_nav


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    href: str  # the letter of the review it follows from


def checks_page(project: Project, href: Callable[[str, str], str], as_of: date) -> Page:
    """Late and due-soon items first, then each letter's plain-words and readability findings."""
    problems, letters = check_project(project)
    by_ref = {r.ref: r for r in project.minutes.records}
    rows = [
        DeadlineRow(d, href("checks.md", letter_uri(by_ref[d.ref])))
        for d in deadlines(project.minutes, project.rules, project.calendar, as_of)
    ]
    targets = project.targets
    in_letters = {id(p) for c in letters for p in c.problems}
    content = project.env.get_template("pages/checks.md").render(
        as_of=as_of,
        late=[r for r in rows if r.deadline.status == "late"],
        due_soon=[r for r in rows if r.deadline.status == "due soon"],
        due_soon_days=project.rules.due_soon_working_days,
        letters=[
            {
                "check": c,
                "href": href("checks.md", letter_uri(c.record)),
                "target": targets[c.record.style],
            }
            for c in letters
        ],
        other=[p for p in problems if id(p) not in in_letters],
        problem_count=len(problems),
    )
    return Page("checks.md", tidy_page(content))


def asset(name: str) -> str:
    return files("yourreview").joinpath(name).read_text(encoding="utf-8")


def letter_pages(project: Project, href: Callable[[str, str], str]) -> list[Page]:
    env = project.env
    page_template = env.get_template("pages/letter.md")
    pages = []
    for record in project.minutes.records:
        letter = render_letter(
            env, record, project.minutes, project.council, letter_extras(project, record)
        )
        content = page_template.render(
            record=record, letter=letter, page_title=f"Letter {record.ref}"
        )
        pages.append(Page(letter_uri(record), tidy_page(content), in_nav=False))
    newest_first = sorted(
        project.minutes.records, key=lambda r: (r.review_date, r.ref), reverse=True
    )
    rows = [{"record": r, "href": href("letters/index.md", letter_uri(r))} for r in newest_first]
    index = env.get_template("pages/letters-index.md").render(
        rows=rows, demo_key=project.key.is_demo
    )
    pages.append(Page("letters/index.md", tidy_page(index)))
    return pages
