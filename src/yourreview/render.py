"""Render records into HTML with Jinja: the council's templates first, then ours.

Templates are sandboxed (a council edits them) and autoescaped, with StrictUndefined so a typo
in a template fails loudly instead of printing nothing. Everything a person typed reaches the
page as escaped text; the pages module wraps the HTML so Markdown never parses it either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .clock import by_when, child_time, long_date
from .council import Council
from .errors import plain_field, plural
from .records import Minutes, Record

PN_GROUPS = {
    "PN0": "under-4",
    "PN1": "came",
    "PN2": "came",
    "PN3": "came",
    "PN4": "came",
    "PN5": "away",
    "PN6": "away",
    "PN7": "away",
}


def environment(council_templates: Path | None = None) -> SandboxedEnvironment:
    loaders: list[Any] = []
    if council_templates is not None and council_templates.is_dir():
        loaders.append(FileSystemLoader(council_templates))
    loaders.append(PackageLoader("yourreview", "templates"))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["long_date"] = long_date
    env.filters["by_when"] = by_when
    env.filters["child_time"] = child_time
    env.filters["sentence"] = sentence
    env.filters["after_that"] = after_that
    env.filters["capfirst"] = lambda s: s[:1].upper() + s[1:] if s else s
    env.filters["tel"] = lambda s: re.sub(r"[^\d+]", "", s)
    env.filters["front_title"] = front_title
    env.filters["url_breaks"] = url_breaks
    env.filters["plural"] = plural  # {{ n | plural("thing") }}: "1 thing", "2 things"
    env.filters["plain_field"] = plain_field  # "told_me[0]" as a person counts: "told_me, item 1"
    return env


_ENDS_A_SENTENCE = re.compile(r"[.!?…][\"'’”)]*$")


def sentence(text: str) -> str:
    """Text that another sentence follows ("… every two weeks. This happened."): a full stop
    is added when the IRO left it off."""
    text = text.rstrip()
    return text if not text or _ENDS_A_SENTENCE.search(text) else text + "."


def after_that(text: str) -> str:
    """A worry written as its own sentence ("You miss…") read after "Priti is worried that":
    the "You" at its start loses its capital."""
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if first in ("You", "Your", "You're") else text


def url_breaks(url: str) -> Markup:
    """A typed link in pieces that a line may end between: only after a "/", and the query
    ("?t=" and the token) stays with the form's name before it."""
    parts = re.findall(r"[^/]*/+|[^/]+$", url)
    if len(parts) > 1 and parts[-1].startswith("?"):
        parts[-2:] = [parts[-2] + parts[-1]]
    return Markup("<wbr>").join(
        Markup('<span class="yr-link-part">{}</span>').format(part) for part in parts
    )


def front_title(text: str) -> Markup:
    """A page title for front matter. MkDocs' theme templates do not escape, so we do, then
    quote it as JSON, which YAML reads as a double-quoted string."""
    return Markup(json.dumps(str(escape(text)), ensure_ascii=False))


@dataclass(frozen=True)
class LetterExtras:
    """What later stages add to a letter: the review clock and feedback links."""

    next_review: date | None = None
    feedback_html: str = ""  # the "tell us what you thought" part, already rendered
    sent_on: date | None = None  # when the child reads it: steps due by then have passed


def your(record: Record, key: str) -> str:
    """The child's own word in the second person: "my meeting" -> "your meeting"."""
    own = dict(record.own_words).get(key)
    if own is None:
        return f"your {key}"
    if own.lower().startswith("my "):
        return "your " + own[3:]
    return own


def render_letter(
    env: SandboxedEnvironment,
    record: Record,
    minutes: Minutes,
    council: Council,
    extras: LetterExtras = LetterExtras(),
) -> str:
    """One letter as an HTML fragment in the child's style."""
    template = env.get_template(f"letters/{record.style}.html")
    html = template.render(
        record=record,
        style=record.style,
        council=council,
        previous=minutes.previous(record),
        next_review=record.next_review or extras.next_review,
        # A date the IRO set is the day of the meeting; the clock's is only the latest it can be.
        next_review_planned=record.next_review is not None
        and record.next_review == (extras.next_review or record.next_review),
        sent_on=extras.sent_on,
        feedback_html=extras.feedback_html,
        came=[p for p in record.people if p.joined != "sent their views"],
        sent_views=[p for p in record.people if p.joined == "sent their views"],
        pn_group=PN_GROUPS[record.took_part],
        your_review=your(record, "review"),
        your_next_review=your(record, "review").replace("your ", "your next ", 1),
        your_home=your(record, "home"),
        your_family_time=your(record, "family time"),
    )
    return tidy(html)


_BLANK_LINES = re.compile(r"\n\s*\n+")


def tidy(html: str) -> str:
    # Markdown ends a raw HTML block at a blank line in some parsers; a fragment with none is
    # one block however the council configures Markdown.
    return _BLANK_LINES.sub("\n", html).strip() + "\n"


def tidy_page(content: str) -> str:
    """Keep the front matter's blank line; make the HTML body one raw block."""
    head, sep, body = content.partition("\n---\n")
    return head + sep + "\n" + tidy(body) if sep else tidy(content)


_DIV = re.compile(r"<(/?)div\b", re.I)


def one_html_block(body: str) -> bool:
    """Whether Markdown would pass `body` through untouched: one <div> element, nothing around
    it, no blank line (`tidy` saw to that). Then its HTML is `body.strip()`, so Python-Markdown
    need not parse it (~4-11 ms a page); tests/test_speed.py compares the two on every page."""
    text = body.strip()
    if not text.startswith("<div") or not text.endswith("</div>") or _BLANK_LINES.search(text):
        return False
    depth = 0
    for match in _DIV.finditer(text):
        depth += -1 if match[1] else 1
        if depth == 0:
            return match.end() == len(text) - 1  # the first <div> closes at the very end
    return False
