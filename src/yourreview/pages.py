"""What to publish, per audience: the generated pages as (address, content) pairs.

public: no personal data, ever. internal: adds one letter per review and the index of letters.
The MkDocs plugin only hands these to MkDocs; the CLI and the tests call the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Literal

from .project import Project
from .records import Record
from .render import LetterExtras, render_letter, tidy

Audience = Literal["public", "internal"]
AUDIENCES: tuple[Audience, ...] = ("public", "internal")
STYLESHEET = "assets/yourreview/yourreview.css"


@dataclass(frozen=True)
class Page:
    uri: str  # the path under docs/ it would have, e.g. letters/AT-2026-0412.md
    content: str
    in_nav: bool = True  # letters are listed by an index page, never in the sidebar


def letter_uri(record: Record) -> str:
    return f"letters/{record.ref}.md"


def pages_for(project: Project, audience: Audience, directory_urls: bool = True) -> list[Page]:
    pages = [
        Page(STYLESHEET, stylesheet(), in_nav=False),
        Page(
            "words-we-use.md",
            tidy_page(
                project.env.get_template("pages/words-we-use.md").render(
                    terms=project.glossary.terms
                )
            ),
        ),
    ]
    if audience == "internal":
        pages += letter_pages(project, directory_urls)
    return pages


def stylesheet() -> str:
    return files("yourreview").joinpath("assets/yourreview.css").read_text(encoding="utf-8")


def letter_pages(project: Project, directory_urls: bool) -> list[Page]:
    env = project.env
    page_template = env.get_template("pages/letter.md")
    pages = []
    for record in project.minutes.records:
        extras = LetterExtras(next_review=project.next_review(record))
        letter = render_letter(env, record, project.minutes, project.council, extras)
        content = page_template.render(
            record=record, letter=letter, page_title=f"Letter {record.ref}"
        )
        pages.append(Page(letter_uri(record), tidy_page(content), in_nav=False))
    rows = [
        {"record": r, "href": _href(r, directory_urls)}
        for r in sorted(project.minutes.records, key=lambda r: (r.review_date, r.ref), reverse=True)
    ]
    index = env.get_template("pages/letters-index.md").render(rows=rows)
    pages.append(Page("letters/index.md", tidy_page(index)))
    return pages


def _href(record: Record, directory_urls: bool) -> str:
    # Raw HTML links are not rewritten by MkDocs, so write the final address.
    return f"{record.ref}/" if directory_urls else f"{record.ref}.html"


def tidy_page(content: str) -> str:
    """Keep the front matter's blank line; make the HTML body one raw block."""
    head, sep, body = content.partition("\n---\n")
    return head + sep + "\n" + tidy(body) if sep else tidy(content)
