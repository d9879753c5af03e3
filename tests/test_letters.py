"""Letters: golden files per style, the child's own words, and text that can never become markup."""

from __future__ import annotations

import dataclasses
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yourreview.project import Paths, load_project
from yourreview.records import LastTime, Minutes, NextStep, Person, Record, Wish, Worry
from yourreview.render import LetterExtras, environment, render_letter, tidy_page

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
# One letter per style, each from the example council.
GOLDEN_REFS = {
    "child": "AT-2026-0877",
    "early-years": "AT-2026-0455",
    "young-person": "AT-2026-0733",
    "easy-read": "AT-2026-0540",
}

PROJECT = load_project(Paths.under(ROOT))
MINUTES = PROJECT.minutes
COUNCIL = PROJECT.council
ENV = PROJECT.env


def record(ref: str) -> Record:
    return next(r for r in MINUTES.records if r.ref == ref)


AS_OF = date(2026, 11, 23)  # the day an unsent example letter goes out, in these tests


def letter(r: Record, minutes: Minutes = MINUTES) -> str:
    extras = LetterExtras(next_review=PROJECT.next_review(r), sent_on=r.minutes_sent or AS_OF)
    return render_letter(ENV, r, minutes, COUNCIL, extras)


@pytest.mark.parametrize("style", sorted(GOLDEN_REFS))
def test_letter_matches_golden_file(style: str, update_golden: bool) -> None:
    r = record(GOLDEN_REFS[style])
    assert r.style == style
    html = letter(r)
    path = GOLDEN / f"letter-{style}.html"
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(html, encoding="utf-8")
    assert path.exists(), "run `make golden` to create the golden files"
    assert html == path.read_text(encoding="utf-8"), (
        f"{path.name} changed: if the change is intended, run `make golden` and review the diff"
    )


def test_letter_speaks_to_the_child_and_covers_every_part() -> None:
    html = letter(record("AT-2026-0877"))  # Sam's third review
    assert "Dear Sam," in html
    for heading in (
        "How you took part",
        "What you told me",
        "What is going well",
        "What people are worried about",
        "What we said last time",
        "What will happen next",
        "Your next meeting",
        "How to get in touch with me",
        "Someone to help you speak up",
        "Tell us what you thought",
    ):
        assert heading in html, heading
    assert "You came to your meeting and told us what you think yourself." in html
    assert (
        "<strong>Jo</strong> will agree a weekend bedtime with you by the end of November." in html
    )
    assert "by Friday 18 December" in html
    assert "This has started." in html and "It starts again after half term." in html
    assert "Anytown Speak Up" in html and "0808 157 0000" in html
    assert "01632 960101" in html


def test_previous_steps_are_shown_when_last_time_is_not_filled_in() -> None:
    sam_3 = record("AT-2026-0877")
    html = letter(dataclasses.replace(sam_3, last_time=()))
    assert "At your meeting on Tuesday 12 May 2026 we agreed:" in html
    assert "Jo will find out about swimming lessons near home" in html


@pytest.mark.parametrize(
    ("code", "how", "expected"),
    [
        ("PN1", None, "told us what you think yourself"),
        ("PN2", "Lou", "and Lou spoke up for you"),
        ("PN3", "with pictures", "without using words: with pictures"),
        ("PN4", None, "You did not want to say anything this time"),
        ("PN5", "Lou", "you told Lou what to say for you"),
        ("PN6", "in a video", "you told us what you think in a video"),
        ("PN7", None, "we did not hear what you think this time"),
    ],
)
def test_how_you_took_part_follows_the_pn_code(code: str, how: str | None, expected: str) -> None:
    r = dataclasses.replace(record("AT-2026-0601"), took_part=code, took_part_how=how)
    assert expected in letter(r)


def test_easy_read_has_an_icon_per_section_and_others_none() -> None:
    easy = letter(record("AT-2026-0540"))
    assert easy.count('<svg class="yr-icon"') == easy.count("<h2 ")
    assert easy.count("<h2 ") >= 8
    assert "yr-icon" not in letter(record("AT-2026-0877"))


def test_auto_style_follows_age_on_the_review_date() -> None:
    r = record("AT-2026-0601")
    for born, style in (
        (date(2019, 9, 16), "early-years"),
        (date(2018, 9, 15), "child"),
        (date(2013, 9, 15), "young-person"),
    ):
        assert dataclasses.replace(r, date_of_birth=born).style == style


def test_a_council_template_overrides_one_style(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "child.html").write_text(
        '{% extends "letters/base.html" %}{% block opening %}<p>Hello from Anytown.</p>'
        "{% endblock %}",
        encoding="utf-8",
    )
    env = environment(tmp_path)
    child = render_letter(env, record("AT-2026-0877"), MINUTES, COUNCIL)
    young = render_letter(env, record("AT-2026-0733"), MINUTES, COUNCIL)
    assert "Hello from Anytown." in child
    assert "Hello from Anytown." not in young


# -- text from people is data --------------------------------------------------------------

NASTY = [
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "Nice {: onclick=alert(1) }",
    "{{ 7 * 7 }} {% raw %}",
    "<script>alert('x')</script>",
    "**bold** _em_ `code` <b>b</b> &amp; &lt;",
    "\n\n    indented code\n\n# heading\n\n- list",
    "</div></article><div onmouseover=x>",
    "<!-- comment --> <![CDATA[x]]>",
]


class Structure(HTMLParser):
    """Every element and attribute name, in order: the shape of a page without its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape.append(tag + "[" + ",".join(sorted(a for a, _ in attrs)) + "]")
        self.hrefs += [v or "" for a, v in attrs if a in ("href", "src")]

    def handle_comment(self, data: str) -> None:
        self.shape.append("<!--comment-->")


def markdown_extensions() -> list[object]:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", "")
    extensions = yaml.safe_load(config)["markdown_extensions"]
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions]
    return [*names, "md_in_html"]  # md_in_html too: a council may turn it on


def page_html(r: Record) -> str:
    body = ENV.get_template("pages/letter.md").render(
        record=r, letter=letter(r), page_title="t", findings=[], demo_key=False
    )
    content = tidy_page(body).split("\n---\n", 1)[1]
    return markdown.markdown(content, extensions=markdown_extensions())


def shape(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    return parser


def fill(r: Record, text: str) -> Record:
    """The same record with every piece of free text replaced by `text`."""
    return dataclasses.replace(
        r,
        name=text,
        took_part_how=text,
        people=tuple(Person(text, text, p.joined) for p in r.people),
        told_me=tuple(Wish(text, text, w.step) for w in r.told_me),
        in_their_words=text,
        going_well=tuple(text for _ in r.going_well),
        worries=tuple(Worry(text, text, text, text) for _ in r.worries),
        next_steps=tuple(NextStep(text, text, s.by) for s in r.next_steps),
        last_time=tuple(LastTime(text, x.happened, text) for x in r.last_time),
        own_words=(("review", text), ("home", text)),
    )


BASE = record("AT-2026-0877")
EXPECTED = {
    style: shape(page_html(dataclasses.replace(fill(BASE, "plain"), requested_style=style)))
    for style in GOLDEN_REFS
}


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("style", sorted(GOLDEN_REFS))
def test_known_attacks_show_as_typed(text: str, style: str) -> None:
    r = dataclasses.replace(fill(BASE, text), requested_style=style)
    html = page_html(r)
    found = shape(html)
    assert found.shape == EXPECTED[style].shape
    assert not any(h.lower().lstrip().startswith("javascript:") for h in found.hrefs)
    assert "<script>" not in html
    # What the child typed is there to read, exactly as typed.
    first_line = text.strip().splitlines()[0]
    assert first_line in "".join(found.text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=60).filter(lambda s: s.strip() != ""))
def test_no_text_in_a_record_adds_an_element_or_attribute(text: str) -> None:
    found = shape(page_html(fill(BASE, text)))
    assert found.shape == EXPECTED["child"].shape
    assert not any(h.lower().strip().startswith("javascript:") for h in found.hrefs)
