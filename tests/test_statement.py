"""The accessibility statement: the regulations' sections, filled in from the council's settings."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import markdown
import pytest
import yaml

from conftest import ROOT
from yourreview.council import Council, load_council
from yourreview.hosting import find_unsafe_markup
from yourreview.render import environment
from yourreview.statement import (
    AccessibilitySettings,
    StatementPage,
    TestSummary,
    read_accessibility,
    render_statement,
)
from yourreview.yamlsafe import Mapping, parse_text

# GOV.UK's sample accessibility statement, in its order, with each heading's level.
SECTIONS = [
    (1, "Accessibility statement for Anytown Independent Reviewing Service"),
    (2, "How accessible this website is"),
    (2, "Feedback and contact information"),
    (2, "Reporting accessibility problems with this website"),
    (2, "Enforcement procedure"),
    (2, "Technical information about this website’s accessibility"),
    (3, "Compliance status"),
    (2, "Non-accessible content"),
    (3, "Disproportionate burden"),
    (2, "What we’re doing to improve accessibility"),
    (2, "Preparation of this accessibility statement"),
]
TESTED = TestSummary(
    last_tested=date(2026, 11, 5),
    tools=("axe-core 4.14.1 (WCAG 2.2 AA rules)", "Nu HTML Checker"),
    pages_tested=26,
)


@pytest.fixture(scope="module")
def council() -> Council:
    return load_council(ROOT / "site_config" / "council.yml", ROOT)


def render(
    council: Council,
    tested: TestSummary = TESTED,
    settings: AccessibilitySettings | None = None,
) -> StatementPage:
    return render_statement(environment(), council, tested, settings or AccessibilitySettings())


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, where `!ENV` tags name environment variables."""


_MkDocsLoader.add_constructor("!ENV", lambda loader, node: None)


def body_of(page: StatementPage) -> str:
    _, _, body = page.content.partition("\n---\n")
    return body


def as_html(page: StatementPage) -> str:
    """The page as MkDocs would turn it into HTML, with this project's Markdown extensions."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert extensions
    return markdown.markdown(body_of(page), extensions=extensions)


def headings(html: str) -> list[tuple[int, str]]:
    return [(int(level), text) for level, text in re.findall(r"<h([1-6])>(.*?)</h\1>", html)]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_every_section_the_regulations_ask_for_in_order(council: Council) -> None:
    page = render(council)
    assert page.uri == "accessibility.md"
    html = as_html(page)
    assert headings(html) == SECTIONS
    text = text_of(html)
    assert (
        "This accessibility statement applies to the Anytown Independent Reviewing Service" in text
    )
    assert "This website is run by Anytown Council." in text
    # The enforcement wording is fixed by the model statement.
    assert (
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
        "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 "
        "(the ‘accessibility regulations’). If you’re not happy with how we respond to your "
        "complaint, contact the Equality Advisory and Support Service (EASS)."
    ) in text
    assert '<a href="https://www.equalityadvisoryservice.com/">' in html
    assert (
        "Anytown Council is committed to making its website accessible, in accordance with the "
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
        "Regulations 2018."
    ) in text


def test_one_raw_html_block_with_a_title(council: Council) -> None:
    page = render(council)
    head, sep, body = page.content.partition("\n---\n")
    assert sep and yaml.safe_load(head.removeprefix("---\n")) == {
        "title": "Accessibility statement"
    }
    assert body.startswith('\n<div class="yr-page">\n') and body.endswith("</div>\n")
    assert "\n\n" not in body.strip()


def test_contact_details_come_from_the_councils_settings(council: Council) -> None:
    html = as_html(render(council))
    assert '<a href="mailto:reviews@anytown.example">reviews@anytown.example</a>' in html
    assert '<a href="tel:01632960000">01632 960000</a> (Monday to Friday, 9am to 5pm)' in html
    assert '<a href="https://reviews.anytown.example/">' in html
    # Asked for in two sections: a different format, and reporting a problem.
    assert html.count("mailto:reviews@anytown.example") == 2
    own = AccessibilitySettings(
        contact_email="access@anytown.example", contact_phone="01632 960999"
    )
    html = as_html(render(council, settings=own))
    assert "reviews@anytown.example" not in html and "01632 960000" not in html
    assert html.count('<a href="mailto:access@anytown.example">') == 2
    assert html.count('<a href="tel:01632960999">') == 2


def test_fully_compliant_without_known_issues(council: Council) -> None:
    text = text_of(as_html(render(council)))
    assert (
        "This website is fully compliant with the Web Content Accessibility Guidelines version "
        "2.2 AA standard."
    ) in text
    assert "partially" not in text
    assert "Non-compliance with the accessibility regulations" not in text


def test_partially_compliant_lists_every_known_issue_once(council: Council) -> None:
    settings = AccessibilitySettings(known_issues=("Some charts have no text version.",))
    tested = dataclasses.replace(
        TESTED,
        known_issues=("The theme's search box has no border.", "Some charts have no text version."),
    )
    html = as_html(render(council, tested, settings))
    text = text_of(html)
    assert (
        "This website is partially compliant with the Web Content Accessibility Guidelines "
        "version 2.2 AA standard, due to the non-compliances listed below."
    ) in text
    assert "fully compliant" not in text
    assert (3, "Non-compliance with the accessibility regulations") in headings(html)
    # Listed under "How accessible" and under "Non-compliance": each issue twice, not four times.
    assert text.count("Some charts have no text version.") == 2
    assert text.count("The theme&#39;s search box has no border.") == 2
    assert html.index("Some charts") < html.index("The theme&#39;s search box")


def test_dates_in_words(council: Council) -> None:
    text = text_of(as_html(render(council)))
    assert "This website was last tested on 5 November 2026." in text
    assert (
        "This statement was prepared on 5 November 2026. It was last reviewed on 5 November 2026."
        in text
    )
    assert "2026-11-05" not in text
    settings = AccessibilitySettings(prepared=date(2025, 3, 1), tested_by="Anytown Digital")
    text = text_of(as_html(render(council, settings=settings)))
    assert "prepared on 1 March 2025. It was last reviewed on 5 November 2026." in text
    assert "The test was carried out by Anytown Digital." in text
    assert "We tested 26 pages" in text
    assert "axe-core 4.14.1 (WCAG 2.2 AA rules)" in text and "Nu HTML Checker" in text


def test_reply_time_only_when_the_council_promises_one(council: Council) -> None:
    assert "working day" not in text_of(as_html(render(council)))
    text = text_of(as_html(render(council, settings=AccessibilitySettings(reply_working_days=5))))
    assert "get back to you in 5 working days." in text


def test_what_people_typed_is_escaped(council: Council, tmp_path: Path) -> None:
    hostile = dataclasses.replace(
        council,
        name="Anytown <b>Council</b> & Co",
        iro_team=dataclasses.replace(council.iro_team, hours='9 to 5" onmouseover="x()'),
    )
    settings = AccessibilitySettings(
        contact_email='a"onclick="steal()@anytown.example',
        tested_by="[me](javascript:alert(1))",
        known_issues=("<script>alert('x')</script> in a chart", "{: onclick=alert(1) }"),
    )
    html = as_html(render(hostile, settings=settings))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; in a chart" in html
    assert "Anytown &lt;b&gt;Council&lt;/b&gt; &amp; Co" in html
    assert 'href="mailto:a&#34;onclick=&#34;steal()@anytown.example"' in html
    (tmp_path / "accessibility.html").write_text(html, encoding="utf-8")
    assert find_unsafe_markup(tmp_path) == []


def read(text: str) -> tuple[AccessibilitySettings, list[str]]:
    node = parse_text(text, "site_config/council.yml")
    assert isinstance(node, Mapping)
    settings, problems = read_accessibility(node.items["accessibility"][1], "council.yml")
    return settings, [f"{p.line}: {p.field}: {p.message} — {p.suggestion}" for p in problems]


def test_reading_the_accessibility_settings() -> None:
    settings, problems = read(
        "accessibility:\n"
        "  contact_email: access@anytown.example\n"
        "  contact_phone: 01632 960999\n"
        "  last_tested: 2026-11-05\n"
        "  tested_by: Anytown Digital\n"
        "  known_issues:\n"
        "    - Some charts have no text version.\n"
        "  prepared: 2025-03-01\n"
        "  reply_working_days: 5\n"
    )
    assert problems == []
    assert settings == AccessibilitySettings(
        contact_email="access@anytown.example",
        contact_phone="01632 960999",
        last_tested=date(2026, 11, 5),
        tested_by="Anytown Digital",
        known_issues=("Some charts have no text version.",),
        prepared=date(2025, 3, 1),
        reply_working_days=5,
    )
    assert settings.values() == ("access@anytown.example", "01632 960999", "Anytown Digital")
    assert read("accessibility:\n") == (AccessibilitySettings(), [])


def test_mistakes_in_the_settings_say_what_to_write() -> None:
    _, problems = read(
        "accessibility:\n"
        "  contact_email: access at anytown\n"
        "  last_tested: 5/11/2026\n"
        "  known_isues: [x]\n"
        "  reply_working_days: soon\n"
    )
    assert sorted(problems) == [
        '2: accessibility.contact_email: "access at anytown" is not an email address — '
        "write one address, e.g. accessibility@anytown.gov.uk",
        '3: accessibility.last_tested: "5/11/2026" is not a date — write 2026-11-05',
        "4: accessibility.known_isues: is not a field here — did you mean `known_issues`?",
        '5: accessibility.reply_working_days: "soon" is not a whole number of 1 or more — '
        "write a number such as 2",
    ]
