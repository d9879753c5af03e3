"""Easy read, the last parts of issue 11 §5: a picture for every idea of every list item, chosen
by what the item is; next steps in short lines; "What you showed us" for every child who took
part without spoken words, decided in one place (tookpart.py) for every style."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from pathlib import Path

import pytest

from test_letter_rights import PROJECT, REFS, RUBY, letter, record, section
from yourreview.checks import check_project, letter_text
from yourreview.formpages import letter_extras
from yourreview.readability import long_sentences
from yourreview.records import LastTime, Person, Record
from yourreview.render import render_letter
from yourreview.tookpart import NO_WORDS_CUES, without_words

ROOT = Path(__file__).resolve().parents[1]
SYMBOLS = ROOT / "src" / "yourreview" / "templates" / "letters" / "symbols"
NOAH = "AT-2026-0791"
PICTURE = re.compile(r'<span class="yr-symbol" role="img" aria-label="([^"]+)"><svg ')
IDEA = re.compile(r'<p class="yr-idea[^"]*">.*?</p>', re.S)


def child_part(html: str) -> str:
    """What the child reads: the grown-ups' part (with its typed link) is for the grown-ups."""
    return html.split('<div class="yr-grown-ups">')[0]


def items(html: str) -> list[str]:
    """Every list item the child reads, as HTML."""
    return re.findall(r"<li\b[^>]*>.*?</li>", child_part(html), re.S)


def ideas(item: str) -> list[tuple[str, str]]:
    """(what the picture says, the words beside it) for each idea in a list item."""
    # A one-idea item is itself the idea; an item of several ideas holds one <p> for each.
    found = [item] if re.match(r'<li class="yr-idea[ "]', item) else IDEA.findall(item)
    out = []
    for idea in found:
        picture = PICTURE.search(idea)
        assert picture, idea
        out.append((picture[1], letter_text(idea)))
    return out


def full_ruby() -> tuple[Record, str]:
    """Ruby with everything a list can hold: someone online and someone who sent their views,
    last time's steps done, started and not done (one with a note), a step due before the letter
    is sent."""
    r = record(RUBY)
    r = dataclasses.replace(
        r,
        people=(
            *r.people,
            Person("Kim", "your teacher", "online"),
            Person("Mum", "your mum", "sent their views"),
        ),
        last_time=(
            LastTime("Dev will ask about a new bike", "done"),
            LastTime("Nadia will find a riding school", "started", "She has found one she likes"),
            LastTime("Dev will ask if you can see Lenny", "not done"),
        ),
    )
    extras = letter_extras(PROJECT, r)
    assert extras.sent_on is not None
    first = dataclasses.replace(r.next_steps[0], by=extras.sent_on - timedelta(days=1))
    r = dataclasses.replace(r, next_steps=(first, *r.next_steps[1:]))
    return r, render_letter(PROJECT.env, r, PROJECT.minutes, PROJECT.council, extras)


# -- a picture for every idea of every list item ---------------------------------------------------


@pytest.mark.parametrize("ref", [RUBY, NOAH])
def test_every_list_item_in_an_easy_read_letter_has_its_own_picture(ref: str) -> None:
    r = record(ref)
    assert r.style == "easy-read"
    found = items(letter(r))
    assert len(found) >= 15
    for item in found:
        said = ideas(item)
        assert said and all(words for _, words in said), item


def test_each_item_s_picture_is_chosen_by_what_it_is() -> None:
    _, html = full_ruby()
    every = [ideas(i) for i in items(html)]
    for found in every:  # no list item is left without its picture
        assert found
    told = letter_text(section(html, "told-me"))
    assert "You are happy at Nadia's house." in told
    wishes = [ideas(i) for i in items(section(html, "told-me"))]
    # Ruby shows us without words: her wish has the pointing hand; my answer has its own.
    assert wishes[0] == [
        ("A hand pointing", "You are happy at Nadia's house."),
        ("An answer", "My answer: You will keep living with Nadia."),
    ]
    # A reply that is a step: the step's picture with who, then the calendar with by when.
    assert wishes[1][1:] == [
        ("An answer", "My answer:"),
        ("An arrow pointing on", "Dev will ask school for a quiet room."),
        ("A calendar", "By Friday 9 October."),
    ]
    (worry,) = [ideas(i) for i in items(section(html, "worries"))]
    assert worry == [
        ("A cloud", "Nadia is worried that you get upset when plans change."),
        ("Hands holding a heart", "Nadia will make a picture plan for each week with you."),
    ]
    good = [ideas(i) for i in items(section(html, "going-well"))]
    assert good == [
        [("A star", "You like your new school.")],
        [("A star", "You go horse riding on Saturdays.")],
    ]
    people = [ideas(i)[0] for i in items(section(html, "took-part"))]
    assert ("A person", "Nadia, your foster carer") in people
    assert ("A computer", "Kim, your teacher (online)") in people
    assert ("Someone talking", "Mum") in people
    last = [ideas(i) for i in items(section(html, "last-time"))]
    assert last == [
        [("A clock going back", "Dev will ask about a new bike."), ("A tick", "Done.")],
        [
            ("A clock going back", "Nadia will find a riding school."),
            ("A bar, half full", "Started."),
            ("A note", "She has found one she likes."),
        ],
        [
            ("A clock going back", "Dev will ask if you can see Lenny."),
            ("A sand timer", "Not done yet."),
        ],
    ]
    contact = [ideas(i)[0][0] for i in items(section(html, "contact"))]
    assert contact == ["A phone", "A letter", "People at a meeting"]


def test_every_symbol_has_words_a_screen_reader_says() -> None:
    source = (SYMBOLS.parent / "_icons.html").read_text(encoding="utf-8")
    said = dict(re.findall(r'^  "([a-z-]+)": "([^"]+)",?$', source, re.M))
    files = {p.stem for p in SYMBOLS.glob("*.svg")}
    assert files == set(said), files ^ set(said)
    for path in SYMBOLS.glob("*.svg"):  # the same style: a 48-unit line drawing, hidden itself
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith(
            '<svg class="yr-icon" aria-hidden="true" focusable="false" viewBox="0 0 48 48"'
        ), path


# -- next steps in short lines --------------------------------------------------------------------


def test_an_easy_read_next_step_is_in_short_lines() -> None:
    _, html = full_ruby()
    steps = [ideas(i) for i in items(section(html, "next-steps"))]
    # What will happen, with who will do it; by when, on its own line.
    assert steps[1] == [
        ("An arrow pointing on", "Dev will ask school for a quiet room."),
        ("A calendar", "By Friday 9 October."),
    ]
    # A step due before the letter comes: whether it happened, in two more short lines.
    assert steps[0][0] == ("An arrow pointing on", "Nadia was going to make you a picture plan.")
    assert steps[0][1][0] == "A calendar" and steps[0][1][1].startswith("By ")
    assert steps[0][2:] == [
        ("A clock", "This should have happened."),
        ("Someone talking", "If it has not, please tell me."),
    ]
    for found in steps:
        for _, words in found:
            assert not long_sentences(words, 12), words
    # The other styles keep a step as one sentence.
    sam = letter(record(REFS["child"]))
    assert re.search(
        r"<li><strong>[^<]+</strong> will [^<]+ by [^<]+\.</li>", section(sam, "next-steps")
    )


def test_every_example_easy_read_letter_is_within_its_target_sentence_by_sentence() -> None:
    easy = [r for r in PROJECT.minutes.records if r.style == "easy-read"]
    assert {r.ref for r in easy} >= {RUBY, NOAH}
    for r in easy:
        text = letter_text(child_part(letter(r)))
        assert not long_sentences(text, 12), (r.ref, long_sentences(text, 12))
    problems, _ = check_project(PROJECT)
    found = [p for p in problems if p.kind == "readability" and "easy read" in p.message]
    assert found == [], found


# -- "What you showed us": one decision for every style -------------------------------------------

HEADINGS = {
    "child": ("What you showed us", "What you told me"),
    "early-years": ("What you showed us", "What you told us"),
    "young-person": ("What you showed us", "What you said"),
    "easy-read": ("What you showed us", "What you told me"),
}


@pytest.mark.parametrize("code", ["PN1", "PN6"])
@pytest.mark.parametrize("style", sorted(REFS))
def test_a_child_who_signs_gets_what_you_showed_us_in_every_style(style: str, code: str) -> None:
    showed, told = HEADINGS[style]
    r = record(REFS[style])
    assert r.told_me, "the example needs something the child said"
    signs = letter(dataclasses.replace(r, took_part=code, took_part_how="using Makaton signs"))
    assert f">{showed}</h2>" in signs and f">{told}</h2>" not in signs
    assert "using Makaton signs" in letter_text(section(signs, "took-part")).replace(
        "Using", "using"
    )
    phone = letter(dataclasses.replace(r, took_part=code, took_part_how="on the phone"))
    assert f">{told}</h2>" in phone and f">{showed}</h2>" not in phone


def test_the_decision_is_made_in_one_place() -> None:
    assert without_words("PN3", None)
    for how in (
        "using Makaton signs",
        "with BSL",
        "by eye-pointing",
        "with her PECS book",
        "on his communication board",
        "with gestures and drawings",
        "in pictures",
    ):
        assert without_words("PN1", how) and without_words("PN6", how), how
    for how in (
        "on the phone",
        "in text messages to me before the meeting",
        "in a video you made",
        "by email",
        "in a letter he designed",
    ):
        assert not without_words("PN1", how) and not without_words("PN6", how), how
    # PN2 and PN5 name who spoke for the child, not how the child shared their views.
    assert not without_words("PN2", "Lou, who knows your signs")
    assert not without_words("PN0", None) and not without_words("PN7", "using signs")
    # Every style's heading asks the one decision, never the PN code itself.
    headings = [
        m[1]
        for path in SYMBOLS.parent.glob("*.html")
        for m in re.finditer(
            r"{% block h_told_me %}(.*?){% endblock %}", path.read_text(encoding="utf-8")
        )
    ]
    assert len(headings) == 4
    for heading in headings:
        assert "record.without_words" in heading and "PN" not in heading, heading


def test_the_readme_lists_every_cue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("took part without spoken words", 1)[1].split("\n\n", 1)[0]
    for cue in NO_WORDS_CUES:
        assert f"`{cue}`" in listed, cue


# -- the example letters read as their child would (#11 "Done means") ----------------------------


@pytest.mark.parametrize("style", sorted(REFS))
def test_a_sentence_that_starts_with_who_starts_with_a_capital(style: str) -> None:
    r = record(REFS[style])
    step = dataclasses.replace(r.next_steps[0], who="your social worker")
    text = letter_text(letter(dataclasses.replace(r, next_steps=(step, *r.next_steps[1:]))))
    assert "Your social worker will" in text or "Your social worker was going to" in text
    assert not re.search(r"^your social worker", text, re.M)


def test_a_young_person_who_said_nothing_is_not_told_what_they_said() -> None:
    amara = record("AT-2026-0644")
    assert amara.style == "young-person" and amara.took_part == "PN7" and not amara.told_me
    opening = letter_text(letter(amara)).split("\n")[4]
    assert opening.endswith(
        "It sets out what is going well, what people are worried about, and who will do what next."
    )
    assert "what you said" not in opening
    zain = letter_text(letter(record(REFS["young-person"])))
    assert "It sets out what you said, what is going well," in zain


def test_a_child_under_4_is_not_asked_to_scan_a_code() -> None:
    poppy = record("AT-2026-0412")
    assert poppy.took_part == "PN0"
    html = letter(poppy)
    said = letter_text(section(html, "feedback"))
    assert "When you are older, I would like to know what you think of your reviews." in said
    assert "Scan the code with a phone" not in said  # the grown-ups' part keeps its own code
    assert html.count('class="yr-qr"') == 1
    kai = letter(record(REFS["early-years"]))  # 6: the child's code and the grown-ups'
    assert kai.count('class="yr-qr"') == 2
