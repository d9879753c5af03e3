"""The plain-words checks: glossary matching, acronyms, loading errors, readability, targets."""

from __future__ import annotations

import string
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yourreview.errors import Severity, YourReviewError
from yourreview.language import (
    Finding,
    Glossary,
    Term,
    find_jargon,
    line_column,
    load_glossary,
)
from yourreview.readability import (
    DEFAULT_TARGETS,
    ReadabilityTarget,
    read_targets,
    readability,
    readability_findings,
    sentences,
    syllables,
)
from yourreview.yamlsafe import Mapping, parse_text

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / "site_config" / "glossary.yml"  # the example council's copy of the shared list
COUNCIL = ROOT / "site_config" / "glossary.yml"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(COUNCIL, "site_config/glossary.yml")


def words(text: str, glossary: Glossary, own: tuple[str, ...] = ()) -> list[str]:
    return [f.word for f in find_jargon(text, glossary, own)]


def terms(text: str, glossary: Glossary) -> list[str]:
    return [f.term for f in find_jargon(text, glossary)]


# -- matching -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your placement is going well.", ["placement"]),
        ("PLACEMENT", ["PLACEMENT"]),
        ("Placement", ["Placement"]),
        ("two placements", ["placements"]),
        ("the placement's garden", ["placement's"]),
        ("the placement\u2019s garden", ["placement\u2019s"]),
        ("both placements' gardens", ["placements'"]),
        ("replacement and placemented", []),
        ("LACs and LAC's", ["LACs", "LAC's"]),
        ("foster placements", ["foster placements"]),
    ],
)
def test_case_plurals_possessives_whole_words(
    text: str, expected: list[str], glossary: Glossary
) -> None:
    assert words(text, glossary) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a long-term placement",
        "a long term placement",
        "a long-term-placement",
        "a Long Term  Placement",
        "a long-\nterm placement",
    ],
)
def test_hyphen_and_space_variants_are_one_term(text: str, glossary: Glossary) -> None:
    [finding] = find_jargon(text, glossary)
    assert finding.term == "long-term placement"
    assert finding.word == text[2:]
    assert finding.suggestions[0] == "long-term home"


def test_looked_after_child_with_or_without_hyphen(glossary: Glossary) -> None:
    assert terms("a looked-after child, a looked after child", glossary) == [
        "looked after child",
        "looked after child",
    ]


def test_longest_term_wins_over_the_word_inside_it(glossary: Glossary) -> None:
    assert words("your contact centre visit and supervised contact", glossary) == [
        "contact centre",
        "supervised contact",
    ]
    assert words("an interim care order", glossary) == ["interim care order"]
    assert terms("the LAC review", glossary) == ["LAC review"]


def test_overlapping_terms_resolve_to_the_leftmost(glossary: Glossary) -> None:
    # "foster placement" and "placement order" overlap; the leftmost is taken, then go on.
    assert words("foster placement order", glossary) == ["foster placement"]


@pytest.mark.parametrize(
    "text",
    [
        "Please contact me on my phone.",
        "Here are my contact details.",
        "Just in case it rains.",
        "In case you forget.",
        "Bring your pencil case.",
        "Two pencil cases.",
        "He packed a suitcase.",
        "They wore matching socks.",
    ],
)
def test_except_phrases_are_ordinary_english(text: str, glossary: Glossary) -> None:
    assert find_jargon(text, glossary) == []


def test_the_same_word_outside_its_except_phrase_is_flagged(glossary: Glossary) -> None:
    text = "Contact with Mum is on Tuesdays, so contact me if it changes."
    [finding] = find_jargon(text, glossary)
    assert (finding.word, finding.start) == ("Contact", 0)
    assert finding.why.startswith("Say who")
    assert words("Your case is in case of rain.", glossary) == ["case"]


def test_except_phrase_only_protects_its_own_term() -> None:
    glossary = Glossary(
        terms=(
            Term(avoid=("contact",), say=("family time",), exceptions=("contact me",)),
            Term(avoid=("me",), say=("x",)),
        )
    )
    # "contact" is excused, but "me" is its own term and is still reported.
    assert [f.word for f in find_jargon("contact me", glossary)] == ["me"]


def test_own_words_are_never_flagged(glossary: Glossary) -> None:
    text = "You like Nan's placement. My LAC meeting went well. Your placement is good."
    own = ("Nan's placement", "my LAC meeting")
    found = find_jargon(text, glossary, own)
    assert [(f.word, f.start) for f in found] == [("placement", text.rindex("placement"))]
    assert len(find_jargon(text, glossary)) == 3


def test_own_words_with_regex_characters_are_literal(glossary: Glossary) -> None:
    # Read as a regex, "(placement)?" and "placement.*" would excuse every placement.
    assert words("my placement home", glossary, ("(placement)?",)) == ["placement"]
    assert words("my placement home", glossary, ("placement.*",)) == ["placement"]
    assert words("my (placement)? home", glossary, ("(placement)?",)) == []


def test_unexplained_acronyms_are_flagged(glossary: Glossary) -> None:
    [finding] = find_jargon("Your SENCO will help.", glossary)
    assert (finding.word, finding.kind, finding.term) == ("SENCO", "acronym", "SENCO")
    assert finding.severity is Severity.WARNING
    assert "explain it" in finding.suggestion
    assert words("The SENCOs and the SENCO's room", glossary) == ["SENCOs", "SENCO's"]
    assert words("COVID-19 kept us home", glossary) == ["COVID"]


@pytest.mark.parametrize(
    "text",
    [
        "You did PE and watched TV in the UK.",
        "Your GP at the NHS said OK.",
        "Your GCSEs went well.",
        "PSHE is fun.",  # allowed by the council's own list
        "I went home.",  # one letter is never an acronym
        "WELL DONE! YOU ARE AMAZING.",  # emphasis, not acronyms
        "YOU'LL be fine, DON'T worry.",
        "Meet me at 10AM.",
        "McDONALD and iPad",
    ],
)
def test_allowed_and_ordinary_capitals_are_not_flagged(text: str, glossary: Glossary) -> None:
    assert find_jargon(text, glossary) == []


def test_glossary_acronyms_are_reported_as_glossary_terms(glossary: Glossary) -> None:
    found = find_jargon("Your PEP, your IRO's notes and CAMHS.", glossary)
    assert [(f.word, f.kind) for f in found] == [
        ("PEP", "jargon"),
        ("IRO's", "jargon"),
        ("CAMHS", "jargon"),
    ]
    assert found[0].suggestions == ("your school plan",)


def test_acronym_terms_match_only_in_capitals(glossary: Glossary) -> None:
    assert find_jargon("a pep talk from Pa", glossary) == []
    assert words("S20 and s.20", glossary) == ["S20", "s.20"]  # not acronyms: written in lower


def test_severity_comes_from_the_term(glossary: Glossary) -> None:
    found = {f.word: f.severity for f in find_jargon("LAC placement", glossary)}
    assert found == {"LAC": Severity.ERROR, "placement": Severity.WARNING}


def test_finding_becomes_a_problem(glossary: Glossary) -> None:
    [finding] = find_jargon("Your placement.", glossary)
    problem = finding.problem("minutes/sam.yml", 12, 5, "going_well[0]")
    assert str(problem) == (
        'minutes/sam.yml:12:5: going_well, item 1: "placement" is a word children have asked us '
        'not to use — say "home" or "where you live" (warning)'
    )
    assert problem.kind == "jargon"


def test_line_column_places_an_offset() -> None:
    text = "first line\nsecond placement"
    assert line_column(text, text.index("placement")) == (1, 8)
    assert line_column(text, 0) == (0, 1)


def test_the_shared_glossary_loads_and_catches_every_avoid_form() -> None:
    glossary = load_glossary(SHARED, "glossary.yml")
    for term in glossary.terms:
        for form in term.avoid:
            found = find_jargon(f"We spoke about {form} today.", glossary)
            assert [f.word for f in found] == [form], form


# -- properties -----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), own=st.lists(st.text(max_size=12), max_size=3))
def test_never_raises_and_offsets_slice_the_text(text: str, own: list[str]) -> None:
    found = find_jargon(text, COUNCIL_GLOSSARY, own)
    assert all(text[f.start : f.end] == f.word for f in found)
    assert [f.start for f in found] == sorted(f.start for f in found)


PLAIN = st.text(alphabet=string.ascii_letters + string.digits + " .,!?\n-'", max_size=80)
SHARED_GLOSSARY = load_glossary(SHARED, "glossary.yml")
COUNCIL_GLOSSARY = load_glossary(COUNCIL, "site_config/glossary.yml")
SIMPLE_TERMS = [t for t in SHARED_GLOSSARY.terms if not t.exceptions]


@settings(max_examples=300, deadline=None)
@given(
    before=PLAIN,
    after=PLAIN,
    term=st.sampled_from(SIMPLE_TERMS),
    data=st.data(),
)
def test_an_inserted_glossary_word_is_found(
    before: str, after: str, term: Term, data: st.DataObject
) -> None:
    glossary = SHARED_GLOSSARY
    form = data.draw(st.sampled_from(term.avoid))
    if any(c.islower() for c in form):
        form = data.draw(st.sampled_from([form, form.upper(), form.title(), form.lower()]))
    text = f"{before} {form} {after}"
    found = find_jargon(text, glossary)
    start = len(before) + 1
    assert any(f.start <= start < f.end or start <= f.start < start + len(form) for f in found)


# -- loading --------------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_severity_names_line_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "terms:\n  - avoid: [placement]\n    say: [home]\n    severity: sometimes\n",
    )
    with pytest.raises(YourReviewError) as caught:
        load_glossary(path, "site_config/glossary.yml")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (
        "site_config/glossary.yml",
        4,
        "terms[0].severity",
    )
    assert "write one of: warning, error" in problem.suggestion


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "terms:\n"
        "  - avoid: [placement]\n"
        "    sya: [home]\n"  # line 3: a typo, and so `say` is missing
        "  - avoid: [Placements, respite]\n"
        "    say: [home]\n"
        "  - avoid: [placement]\n"  # line 6: listed twice
        "    say: [home]\n"
        "severity_acronyms: loud\n",
    )
    with pytest.raises(YourReviewError) as caught:
        load_glossary(path, "g.yml")
    found = {(p.line, p.field) for p in caught.value.problems}
    assert (3, "terms[0].sya") in found
    assert (2, "terms[0].say") in found
    assert (6, "terms[2].avoid") in found
    assert (8, "severity_acronyms") in found
    sya = next(p for p in caught.value.problems if p.field == "terms[0].sya")
    assert "did you mean `say`" in sya.suggestion


def test_loaded_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "allow_acronyms: [sencO, DfE]\n"
        "severity_acronyms: error\n"
        "terms:\n"
        "  - avoid: respite\n"
        "    say: short break\n"
        "    why: Children asked.\n"
        "    except: [respite care home]\n"
        "    severity: ERROR\n",
    )
    glossary = load_glossary(path, "g.yml")
    [term] = glossary.terms
    assert term == Term(
        ("respite",), ("short break",), "Children asked.", ("respite care home",), Severity.ERROR
    )
    assert {"SENCO", "DFE", "UK"} <= glossary.allow_acronyms
    assert find_jargon("SENCO", glossary) == []
    [acronym] = find_jargon("CAMHS", glossary)
    assert acronym.severity is Severity.ERROR


# -- readability ----------------------------------------------------------------------------

SYLLABLES = """
cat:1 school:1 home:1 like:1 talked:1 played:1 whole:1 while:1 time:1 made:1 lives:1 maths:1
meeting:2 review:2 social:2 worker:2 table:2 little:2 happy:2 wanted:2 places:2 going:2
someone:2 homework:2 lovely:2 placement:2 football:2 teacher:2 today:2 birthday:2 because:2
before:2 sometimes:2 goodbye:2 nature:2 question:2 swimming:2 children:2 worried:2 grandad:2
together:3 important:3 officer:3 remember:3 yesterday:3 happier:3 serious:3 radio:3 video:3
usual:3 tomorrow:3 holiday:3 decision:3 anyone:3 hospital:3 computer:3 beautiful:3 elephant:3
excited:3 exciting:3 organise:3 reviewing:3 independent:4 everybody:4 education:4
actually:4 information:4 statutory:4 opportunity:5 unfortunately:5 responsibility:6
"""


def test_syllable_counter_is_right_on_common_words() -> None:
    pairs = [(w, int(n)) for w, n in (item.split(":") for item in SYLLABLES.split())]
    wrong = [(w, n, syllables(w)) for w, n in pairs if syllables(w) != n]
    assert len(pairs) >= 40
    assert len(wrong) <= len(pairs) // 10, wrong


def test_syllables_of_contractions_and_capitals() -> None:
    assert syllables("didn't") == 2
    assert syllables("don't") == 1
    assert syllables("Nan's") == 1
    assert syllables("PLACEMENT") == 2
    assert syllables("2027") == 1
    assert syllables("...") == 0


def test_sentences_split_on_stops_but_not_abbreviations() -> None:
    text = "Mr. Shah came. Dr. Jones came too! Did you see J. Smith? We ate e.g. pizza."
    assert sentences(text) == [
        "Mr. Shah came.",
        "Dr. Jones came too!",
        "Did you see J. Smith?",
        "We ate e.g. pizza.",
    ]


def test_each_list_item_is_a_sentence_and_wrapped_lines_join() -> None:
    text = (
        "# Dear Sam\n\n"
        "You told me:\n"
        "- you like football\n"
        "* you want to stay with Jo\n"
        "1. you miss your brother\n\n"
        "We talked about\nyour school and [the form](https://example.org/f).\n"
    )
    assert sentences(text) == [
        "Dear Sam",
        "You told me:",
        "you like football",
        "you want to stay with Jo",
        "you miss your brother",
        "We talked about your school and the form.",
    ]


def test_addresses_read_as_one_word_and_keep_the_full_stop() -> None:
    text = "Email me at priya.shah@anytown.example. Or see [the form](https://a.example/f?x=1)."
    assert sentences(text) == ["Email me at link.", "Or see the form."]


@pytest.mark.parametrize(
    "text",
    [
        "A" * 200_000 + "b",
        "x" * 200_000 + ".",
        "[" * 100_000,
        "](" * 100_000,
        "a@" * 100_000,
        "www." + "." * 200_000,
        "Mr. " * 50_000,
        "contact " * 50_000,
        "long-" * 50_000,
    ],
)
def test_hostile_input_takes_linear_time(text: str) -> None:
    # Each of these took minutes with a backtracking pattern; linear work takes well under 1 s.
    started = time.perf_counter()
    find_jargon(text, COUNCIL_GLOSSARY, ("contact contact x",))
    readability(text)
    assert time.perf_counter() - started < 10


def test_readability_of_an_easy_text() -> None:
    stats = readability("I like cats. Do you like dogs?")
    assert (stats.sentences, stats.words, stats.words_per_sentence) == (2, 7, 3.5)
    assert stats.polysyllables == 0
    # FK grade 0.39*3.5 + 11.8*1 - 15.59 = -2.43: below the floor of five years
    assert stats.reading_age == 5.0


def test_readability_of_a_hard_sentence() -> None:
    text = "The independent reviewing officer will organise the statutory review."
    stats = readability(text)
    # The(1) independent(4) reviewing(3) officer(3) will(1) organise(3) the(1) statutory(4)
    # review(2): 9 words, 22 syllables; 0.39*9 + 11.8*22/9 - 15.59 = 16.76 -> age 21.8
    assert (stats.sentences, stats.words, stats.polysyllables) == (1, 9, 5)
    assert stats.reading_age == 21.8
    assert stats.longest_sentences[0].words == 9


def test_longest_sentences_are_the_three_longest_longest_first() -> None:
    text = "One two. One two three four. One. One two three. One two three four five."
    stats = readability(text)
    assert [(s.text, s.words) for s in stats.longest_sentences] == [
        ("One two three four five.", 5),
        ("One two three four.", 4),
        ("One two three.", 3),
    ]
    assert stats.words_per_sentence == 3.0


def test_empty_text() -> None:
    stats = readability(" \n- \n")
    assert (stats.sentences, stats.words, stats.longest_sentences) == (0, 0, ())
    assert stats.reading_age == 5.0


# -- targets --------------------------------------------------------------------------------


def test_default_targets_follow_the_styles() -> None:
    assert DEFAULT_TARGETS["early-years"] == ReadabilityTarget(12, 8)
    assert DEFAULT_TARGETS["easy-read"] == ReadabilityTarget(12, 8)
    assert DEFAULT_TARGETS["child"] == ReadabilityTarget(15, 11)
    assert DEFAULT_TARGETS["young-person"] == ReadabilityTarget(20, 15)


def test_over_target_names_the_longest_sentences() -> None:
    long = (
        "You and Jo and Mark and I all talked for a long time about your school and your home "
        "and your friends."
    )
    stats = readability(f"Hi Sam. {long} See you soon.")
    found = readability_findings(stats, "child", DEFAULT_TARGETS["child"])
    assert [f.measure for f in found] == []  # 27 words in 3 sentences: fine for a child
    found = readability_findings(stats, "early-years", ReadabilityTarget(5, 8))
    [finding] = found
    assert finding.measure == "words_per_sentence"
    assert finding.message == "sentences average 9 words, above 5 for the early-years style"
    assert finding.suggestion.startswith(
        f'split the longest sentences: "{long[:79].rstrip()}…" (22 words); "See you'
    )
    problem = finding.problem("letters/sam.md", 0, 0, "")
    assert (problem.kind, problem.severity) == ("readability", Severity.WARNING)


def test_reading_age_over_target() -> None:
    stats = readability("The independent reviewing officer will organise the statutory review.")
    [words_finding, age] = readability_findings(stats, "child", ReadabilityTarget(5, 11))
    assert words_finding.measure == "words_per_sentence"
    assert age.message == "needs a reading age of 21.8 years, above 11 for the child style"


def test_read_targets_overrides_and_errors() -> None:
    node = parse_text(
        "readability:\n"
        "  child: {max_words_per_sentence: 14}\n"
        "  young-person:\n"
        "    max_reading_age: 14.5\n"
        "  toddler: {max_reading_age: 6}\n"
        "  easy-read: {max_words_per_sentence: lots}\n",
        "council.yml",
    )
    assert isinstance(node, Mapping)
    targets, problems = read_targets(node.items["readability"][1], "council.yml")
    assert targets["child"] == ReadabilityTarget(14, 11)
    assert targets["young-person"] == ReadabilityTarget(20, 14.5)
    assert targets["easy-read"] == DEFAULT_TARGETS["easy-read"]
    by_place = {(p.line, p.field): p for p in problems}
    assert set(by_place) == {
        (5, "readability.toddler"),
        (6, "readability.easy-read.max_words_per_sentence"),
    }
    assert "lots" in by_place[(6, "readability.easy-read.max_words_per_sentence")].message
    assert "allowed here: early-years, child" in by_place[(5, "readability.toddler")].suggestion


def test_read_targets_without_a_section_gives_the_defaults() -> None:
    assert read_targets(None, "council.yml") == (DEFAULT_TARGETS, [])


def test_finding_is_frozen() -> None:
    finding = Finding("x", 0, 1, "x", (), "", Severity.WARNING, "jargon")
    with pytest.raises(AttributeError):
        finding.word = "y"  # type: ignore[misc]
