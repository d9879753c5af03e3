"""What to publish, per audience: the generated pages as (address, content) pairs.

public: no personal data, ever. internal: adds one letter per review and the index of letters.
The MkDocs plugin only hands these to MkDocs; the CLI and the tests call the same function.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from importlib.resources import files
from typing import Literal

from markupsafe import Markup

from .cache import digest
from .checks import LetterCheck, check_project, letter_inputs
from .deadlines import Deadline, deadlines
from .errors import Problem
from .feedback.quotes import read_quotes
from .feedback.views import Overview, read_overview
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


def pages_for(
    project: Project,
    audience: Audience,
    directory_urls: bool = True,
    checked: tuple[list[Problem], list[LetterCheck]] | None = None,
) -> list[Page]:
    href = relative_href(directory_urls)
    pages = [Page(uri, asset(source), in_nav=False) for uri, source in ASSETS.items()]
    words = project.env.get_template("pages/words-we-use.md").render(terms=project.glossary.terms)
    pages.append(Page("words-we-use.md", tidy_page(words)))
    made = public_form_pages(project, href)
    made += thanks_pages(project, href)
    made.append(statement_page(project))
    made += told_us_pages(project, href, date.today())
    if audience == "internal":
        made += consultation_pages(project, href)
    pages += [Page(uri, tidy_page(content), in_nav) for uri, content, in_nav in made]
    if audience == "internal":
        checked = checked or check_project(project)  # the letters and the Checks page share it
        overview = read_overview(project.paths.root, project.forms)
        pages += letter_pages(project, href, checked[0], overview)
        pages.append(checks_page(project, href, date.today(), checked))
        pages.append(feedback_page(project, href, overview))
    return pages


def changed_letters(project: Project, directory_urls: bool, saved: Collection[str]) -> list[Page]:
    """The letter pages of the records saved (as `display_path` names them) and of the reviews
    that follow them (a letter says what happened since the last review), exactly as
    `pages_for` makes them: the same findings for their files, the same answers."""
    minutes = project.minutes
    previous, by_child = minutes.previous, minutes.by_child()
    # Only the children of the records saved can have a review that follows one of them.
    children = {r.child_id for r in minutes.records if r.source in saved}
    only = {
        r.source
        for child in children
        for r in by_child[child]
        if r.source in saved or getattr(previous(r), "source", None) in saved
    }
    problems = check_project(project, only)[0]
    overview = read_overview(project.paths.root, project.forms)
    return letter_pages(project, relative_href(directory_urls), problems, overview, only)


def thanks_uri(form_id: str, asked: bool = False) -> str:
    """Where the receiver sends a person after their answer is kept (receiver.py's Location);
    `asked`: after a yes to "get in touch" with no code from a letter."""
    return f"f/{form_id}/thanks/{'asked/' if asked else ''}index.md"


def thanks_pages(project: Project, href: Callable[[str, str], str]) -> list[tuple[str, str, bool]]:
    template = project.env.get_template("pages/thanks.md")
    return [
        (
            thanks_uri(form.id, asked),
            template.render(
                form=form,
                council=project.council,
                asked=asked,
                home=href(thanks_uri(form.id, asked), "index.md"),
            ),
            False,
        )
        for form in project.forms.approved
        for asked in (False, True)
        if not asked or any(q.kind == "get-in-touch" for q in (*form.questions, *form.retired))
    ]


def feedback_page(project: Project, href: Callable[[str, str], str], overview: Overview) -> Page:
    """Internal: answers per form and version, conflicts to resolve, rows set aside, and the
    quotes waiting for a person's approval."""
    letters = {
        project.token(r): href("feedback.md", letter_uri(r)) for r in project.minutes.records
    }
    quotes, problems = read_quotes(project.paths.root)
    content = project.env.get_template("pages/feedback.md").render(
        overview=overview,
        titles={f.id: f.title for f in project.forms.forms},
        letter_hrefs=letters,
        waiting=[q for q in quotes if q.status == "pending"],
        quote_problems=problems,
    )
    return Page("feedback.md", tidy_page(content))


def statement_page(project: Project) -> tuple[str, str, bool]:
    settings = project.accessibility
    tested = TestSummary(last_tested=settings.last_tested or date.today())
    page = render_statement(project.env, project.council, tested, settings)
    return page.uri, page.content, page.in_nav


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    href: str  # the letter of the review it follows from


def checks_page(
    project: Project,
    href: Callable[[str, str], str],
    as_of: date,
    checked: tuple[list[Problem], list[LetterCheck]] | None = None,
) -> Page:
    """Late and due-soon items first, then each letter's plain-words and readability findings,
    each linked to the findings box on its letter."""
    problems, letters = checked or check_project(project)
    by_ref = {r.ref: r for r in project.minutes.records}
    rows = [
        DeadlineRow(d, href("checks.md", letter_uri(by_ref[d.ref])))
        for d in deadlines(project.minutes, project.rules, project.calendar, as_of)
    ]
    targets = project.targets
    in_letters = {id(p) for c in letters for p in c.problems}
    letter_of = {r.source: href("checks.md", letter_uri(r)) for r in project.minutes.records}

    def findings_href(source: str) -> str | None:
        return letter_of[source] + "#findings" if source in letter_of else None

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
        other=[
            {"problem": p, "href": findings_href(p.file)}
            for p in problems
            if id(p) not in in_letters
        ],
        problem_count=len(problems),
        unread=project.minutes.unread,
    )
    return Page("checks.md", tidy_page(content))


def asset(name: str) -> str:
    return files("yourreview").joinpath(name).read_text(encoding="utf-8")


def letter_pages(
    project: Project,
    href: Callable[[str, str], str],
    problems: Sequence[Problem] = (),
    overview: Overview | None = None,
    only: Collection[str] | None = None,
) -> list[Page]:
    """One page per letter, each with the findings `check` gives for its record above it, and
    the answers that came back for its review, then the index of letters. `only`: just the
    letters of these records' files, no index."""
    env = project.env
    page_template = env.get_template("pages/letter.md")
    findings: dict[str, list[Problem]] = {}
    for problem in sorted(problems):
        findings.setdefault(problem.file, []).append(problem)

    def letter(record: Record) -> str:
        extras = letter_extras(project, record)
        return str(render_letter(env, record, project.minutes, project.council, extras))

    # A letter is made from its record, the child's previous review and the project's other
    # inputs; with none of them changed, it is read from the cache instead. The page around it
    # (findings, answers) changes without the letter changing, so it is made afresh: cheaply.
    inputs = project.inputs_digest()
    pages = []
    for record in project.minutes.records:
        if only is not None and record.source not in only:
            continue
        key = digest(inputs, "letter", *letter_inputs(project, record))
        token = project.token(record)
        answers = overview.for_token(token) if overview else None
        content = page_template.render(
            record=record,
            letter=Markup(project.cache.text("letters", key, partial(letter, record))),
            page_title=f"Letter {record.ref}",
            findings=findings.get(record.source, []),
            demo_key=project.key.is_demo,
            answers=answers,
            asked_for_iro=overview.asked_for_iro_by(token) if overview else [],
        )
        pages.append(Page(letter_uri(record), tidy_page(content), in_nav=False))
    if only is not None:
        return pages
    newest_first = sorted(
        project.minutes.records, key=lambda r: (r.review_date, r.ref), reverse=True
    )
    rows = [{"record": r, "href": href("letters/index.md", letter_uri(r))} for r in newest_first]
    index = env.get_template("pages/letters-index.md").render(
        rows=rows,
        demo_key=project.key.is_demo,
        unread=project.minutes.unread,
        checks_href=href("letters/index.md", "checks.md") + "#not-read",
    )
    pages.append(Page("letters/index.md", tidy_page(index)))
    return pages
