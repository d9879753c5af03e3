"""What every letter says the child can do (who the IRO is, if you do not agree, if you feel
unsafe), each style in its own words and within its reading target; the national numbers
declared once; easy read's pictures and its sentence-by-sentence check (issue 11, §1 and §5)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from test_pdf import squeeze
from yourreview.checks import check_project, letter_text
from yourreview.council import NATIONAL_HELPLINES
from yourreview.errors import YourReviewError
from yourreview.formpages import letter_extras
from yourreview.formrender import FormAction, render_form_html, render_form_print
from yourreview.pdf import write_letter_pdfs
from yourreview.project import Paths, Project, load_project
from yourreview.readability import long_sentences, readability
from yourreview.records import Record
from yourreview.render import render_letter

ROOT = Path(__file__).resolve().parents[1]
PROJECT = load_project(Paths.under(ROOT))
# One letter per style, and Poppy (PN0, under 4), Leah (15) and Ruby (PN3, easy read).
REFS = {
    "child": "AT-2026-0877",
    "early-years": "AT-2026-0455",
    "young-person": "AT-2026-0733",
    "easy-read": "AT-2026-0540",
}
POPPY, LEAH, RUBY, ZAIN = "AT-2026-0412", "AT-2026-0502", "AT-2026-0540", "AT-2026-0733"
NEW_PARTS = ("not-agree", "unsafe")


def record(ref: str, project: Project = PROJECT) -> Record:
    return next(r for r in project.minutes.records if r.ref == ref)


def letter(r: Record, project: Project = PROJECT) -> str:
    return render_letter(
        project.env, r, project.minutes, project.council, letter_extras(project, r)
    )


def section(html: str, name: str) -> str:
    found = re.search(rf'<section aria-labelledby="{name}">.*?</section>', html, re.S)
    assert found, f"no {name} part"
    return found[0]


def who_i_am(html: str) -> str:
    found = re.search(r'<section aria-labelledby="contact">.*?</section>', html, re.S)
    assert found
    ideas = re.findall(r'<(?:p|li) class="yr-(?:who|idea)">.*?</(?:p|li)>', found[0], re.S)
    assert ideas, "no line saying who I am"
    return "\n".join(i for i in ideas if "team" in i or "job" in i)


def parts(html: str) -> dict[str, str]:
    """The words of each new part, as the child reads them."""
    found = {name: letter_text(section(html, name)) for name in NEW_PARTS}
    found["who-i-am"] = letter_text(who_i_am(html))
    return found


@pytest.mark.parametrize("style", sorted(REFS))
def test_every_style_says_who_i_am_what_to_do_if_you_disagree_or_feel_unsafe(style: str) -> None:
    r = record(REFS[style])
    assert r.style == style
    html = letter(r)
    words = parts(html)
    assert "social worker's team" in words["who-i-am"]
    disagree = words["not-agree"]
    assert disagree.splitlines()[1:] and "Tell me" in disagree
    assert "Anytown Speak Up" in disagree  # the advocate, already named
    assert "01632 960555" in disagree  # the council's complaints team, from council.yml
    assert "Help at Hand" in disagree and "0800 528 0731" in disagree
    assert section(html, "not-agree").count('class="yr-steps"') == 1  # in steps
    unsafe = words["unsafe"]
    assert "trust" in unsafe and "0800 1111" in unsafe and "999" in unsafe
    assert 'href="tel:08001111"' in html and 'href="tel:999"' in html


@pytest.mark.parametrize("style", sorted(REFS))
def test_each_new_part_is_within_the_styles_reading_target(style: str) -> None:
    target = PROJECT.targets[style]
    for name, words in parts(letter(record(REFS[style]))).items():
        stats = readability(words)
        assert stats.words_per_sentence <= target.max_words_per_sentence, (name, stats)
        assert stats.reading_age <= target.max_reading_age, (name, stats)
        if style == "easy-read":
            assert long_sentences(words, target.max_words_per_sentence) == [], name


def test_the_parts_are_in_each_styles_own_words() -> None:
    said = {style: parts(letter(record(ref))) for style, ref in REFS.items()}
    for name in ("not-agree", "unsafe", "who-i-am"):
        assert len({s[name] for s in said.values()}) == len(REFS), name


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("rights")
    records = [record(ref) for ref in (*REFS.values(), POPPY)]
    texts = {}
    for path in write_letter_pdfs(PROJECT, out, records):
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        )
        texts[path.stem] = squeeze(done.stdout)
    return texts


@pytest.mark.parametrize("ref", [*REFS.values(), POPPY])
def test_the_new_parts_are_in_the_pdf(pdf_texts: dict[str, str], ref: str) -> None:
    pdf = next(text for name, text in pdf_texts.items() if ref in name)
    for name, words in parts(letter(record(ref))).items():
        for line in words.splitlines():
            assert squeeze(line) in pdf, (name, line)


# -- the national numbers: declared once, changed in council.yml ---------------------------------


def test_national_numbers_come_with_the_date_they_were_checked() -> None:
    lines = PROJECT.council.helplines
    assert lines == NATIONAL_HELPLINES
    assert lines.childline.phone == "0800 1111" and lines.help_at_hand.phone == "0800 528 0731"
    assert lines.childline.checked.year >= 2026 and lines.help_at_hand.checked.year >= 2026


def test_a_council_changes_a_number_and_every_letter_and_thank_you_page_shows_it(
    example: Path,
) -> None:
    council = example / "site_config" / "council.yml"
    council.write_text(
        council.read_text(encoding="utf-8")
        + "helplines:\n  childline: {phone: 0808 157 0999, checked: 2026-11-30}\n"
        + "  help_at_hand: {phone: 0808 157 0998, checked: 2026-11-30}\n",
        encoding="utf-8",
    )
    project = load_project(Paths.under(example))
    assert project.council.helplines.childline.phone == "0808 157 0999"
    for ref in REFS.values():
        html = letter(record(ref, project), project)
        assert "0808 157 0999" in section(html, "unsafe") and "0800 1111" not in html
        assert "0808 157 0998" in section(html, "not-agree") and "0800 528 0731" not in html
    form = next(f for f in project.forms.approved if f.for_children)
    thanks = project.env.get_template("pages/thanks.md").render(
        form=form, council=project.council, home="../"
    )
    assert "0808 157 0999" in thanks and 'href="tel:08081570999"' in thanks
    assert "0800 1111" not in thanks
    # "Worried now?" on the child's form, online and on paper, gives the council's number too.
    for html in (
        render_form_html(project.env, form, FormAction(preview=True)),
        render_form_print(project.env, form, None, None),
    ):
        assert 'Call Childline <a href="tel:08081570999">0808 157 0999</a>' in html
        assert "0800 1111" not in html


def test_a_changed_number_without_its_date_is_an_error_at_its_line(example: Path) -> None:
    council = example / "site_config" / "council.yml"
    text = council.read_text(encoding="utf-8") + "helplines:\n  childline:\n    phone: 0800 1111\n"
    council.write_text(text, encoding="utf-8")
    with pytest.raises(YourReviewError) as raised:
        load_project(Paths.under(example))
    problem = next(p for p in raised.value.problems if p.field == "helplines.childline.phone")
    assert problem.line == len(text.splitlines())
    assert "checked: YYYY-MM-DD" in problem.suggestion


def test_without_a_complaints_team_the_letter_still_says_how(example: Path) -> None:
    council = example / "site_config" / "council.yml"
    text = council.read_text(encoding="utf-8")
    text = re.sub(r"\ncomplaints:\n(?:  .*\n)+", "\n", text)
    council.write_text(text, encoding="utf-8")
    project = load_project(Paths.under(example))
    assert project.council.complaints is None
    for ref in REFS.values():
        words = letter_text(section(letter(record(ref, project), project), "not-agree"))
        assert "the council" in words and "how" in words and "01632 960555" not in words


# -- early years: a letter to keep for an under-4 ------------------------------------------------


def test_an_under_4_gets_a_letter_to_keep_read_by_the_grown_up() -> None:
    poppy = record(POPPY)
    assert poppy.took_part == "PN0" and poppy.style == "early-years"
    html = letter(poppy)
    text = letter_text(html)
    assert "This letter is for you to keep." in text
    assert "You can read it again when you are older." in text
    assert "You can tell me yourself" not in text
    assert "the grown-ups who look after you will tell me how you are" in text
    assert "When you are older, if you do not agree" in text
    kai = letter_text(letter(record(REFS["early-years"])))  # 6: can say it themselves
    assert "You can tell me yourself" in kai and "for you to keep" not in kai


def test_a_person_is_named_once() -> None:
    html = letter(record(POPPY))
    assert "<li>Mum (online)</li>" in html
    assert "Mum, your mum" not in html
    assert "<li>Kerry, your foster carer</li>" in html


# -- young person: the person whose plan it is ---------------------------------------------------


def test_a_young_person_hears_the_rights_of_the_person_whose_plan_it_is() -> None:
    zain, leah = record(ZAIN), record(LEAH)
    assert zain.age >= 16 > leah.age >= 13 and leah.style == "young-person"
    for r in (zain, leah):
        plan = letter_text(section(letter(r), "your-plan"))
        assert "lead your review meeting (chair it), or lead it with me" in plan
        assert "choose who comes" in plan and "see what is written about you" in plan
    assert "adviser" in letter_text(section(letter(zain), "your-plan"))
    assert "adviser" not in letter_text(section(letter(leah), "your-plan"))
    assert 'aria-labelledby="your-plan"' not in letter(record(REFS["child"]))


def test_the_carers_part_is_headed_for_the_carers() -> None:
    young = letter(record(ZAIN))
    assert '<h3 id="grown-ups">For your carers</h3>' in young
    assert "For the grown-ups who look after Zain" not in young
    assert "For the grown-ups who look after Sam" in letter(record(REFS["child"]))


# -- easy read: a picture per idea, nothing to type, what you showed us ---------------------------


def test_easy_read_has_a_picture_with_words_beside_each_idea() -> None:
    html = letter(record(RUBY))
    ideas = re.findall(r'<(p|li) class="yr-idea">(.*?)</\1>', html, re.S)
    assert len(ideas) >= 25
    for _, idea in ideas:
        picture = re.match(r'<span class="yr-symbol" role="img" aria-label="([^"]+)"><svg ', idea)
        assert picture and picture[1].strip(), idea
    for name in ("not-agree", "unsafe"):
        for line in letter_text(section(html, name)).splitlines()[1:]:
            assert any(line in letter_text(i) for _, i in ideas), line
    assert "yr-idea" not in letter(record(REFS["child"]))


def test_easy_read_has_no_web_address_to_type_for_the_child() -> None:
    html = letter(record(RUBY))
    child_part = html.split('<div class="yr-grown-ups">')[0]
    assert 'class="yr-qr"' in child_part  # the code is there to scan
    assert "yr-link" not in child_part and "type" not in letter_text(child_part).lower()
    assert "Or ask someone to help you." in letter_text(child_part)
    sam = letter(record(REFS["child"]))
    assert "yr-link" in sam.split('<div class="yr-grown-ups">')[0]


def test_a_child_who_uses_no_words_gets_what_you_showed_us() -> None:
    ruby = letter(record(RUBY))
    assert record(RUBY).took_part == "PN3"
    assert ">What you showed us</h2>" in ruby and "What you told me" not in ruby
    assert "What you told me" in letter(record(REFS["child"]))


def test_a_council_replaces_one_picture(example: Path) -> None:
    symbols = example / "templates" / "letters" / "symbols"
    symbols.mkdir(parents=True)
    (symbols / "letter.svg").write_text(
        '<svg class="anytown-symbol" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>',
        encoding="utf-8",
    )
    project = load_project(Paths.under(example))
    html = letter(record(RUBY, project), project)
    assert 'aria-label="A letter"><svg class="anytown-symbol"' in html
    # Only that picture, wherever it is used (the letter, and each email address).
    assert html.count('class="anytown-symbol"') == html.count('aria-label="A letter"') >= 1


# -- easy read is held to its target sentence by sentence ----------------------------------------


def test_a_long_easy_read_sentence_is_found_at_its_line(example: Path) -> None:
    ruby = example / "minutes" / "2026" / "ruby-2.yml"
    lines = ruby.read_text(encoding="utf-8").splitlines()
    at = lines.index("  - wish: You do not like loud rooms.") + 1
    lines[at - 1] = (
        "  - wish: You do not like loud rooms, and you told us that the dinner hall at school is "
        "much too loud."
    )
    ruby.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = load_project(Paths.under(example))
    problems, _ = check_project(project)
    found = [p for p in problems if p.file == "minutes/2026/ruby-2.yml" and p.kind == "readability"]
    long = [p for p in found if p.field == "told_me[1].wish"]
    assert len(long) == 1, found
    assert long[0].line == at and long[0].column == 11
    assert "has 20 words, above 12 for easy read" in long[0].message
    # The same words on average are fine for a child's letter: no finding sentence by sentence.
    sam = [p for p in problems if p.file.endswith("sam-3.yml") and "for easy read" in p.message]
    assert sam == []


def test_a_long_sentence_in_the_template_is_found_at_its_line(example: Path) -> None:
    mine = example / "templates" / "letters"
    mine.mkdir(parents=True)
    source = (ROOT / "src" / "yourreview" / "templates" / "letters" / "easy-read.html").read_text(
        encoding="utf-8"
    )
    long = "You can tell me what you think about your plan at any time you like."
    (mine / "easy-read.html").write_text(source.replace("Please tell us.", long), encoding="utf-8")
    project = load_project(Paths.under(example))
    problems, _ = check_project(project)
    found = [p for p in problems if p.file == "templates/letters/easy-read.html"]
    assert len(found) == 1, found  # told once, not once per easy-read letter
    line = next(n for n, row in enumerate(source.splitlines(), 1) if "Please tell us." in row)
    assert found[0].line == line and found[0].field == "template"


def test_without_pictures_the_letter_text_is_the_same() -> None:
    # The words a screen reader says for a picture are not sentences of the letter.
    text = letter_text(letter(record(RUBY)))
    assert "A letter" not in text and "A calendar" not in text
