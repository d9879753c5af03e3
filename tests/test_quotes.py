"""Quotes: consent decides, redaction takes out what could show who wrote it, feedback/quotes.yml
keeps every edit a person made, and only approved quotes reach the public pages."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from answers_support import example_forms
from conftest import copy_example
from yourreview.cli import main
from yourreview.errors import YourReviewError
from yourreview.feedback import store
from yourreview.feedback.answers import Answer
from yourreview.feedback.quotes import (
    HEADER,
    candidates,
    quote_redactor,
    quotes_path,
    read_quotes,
    stored_answers,
    update_quotes,
)
from yourreview.feedback.redact import MAX_QUOTE, redactor
from yourreview.forms import CONSENT_OPTIONS, consent_given
from yourreview.project import Paths, load_project

# -- consent ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "given"),
    [
        ("yes", True),
        ("YES", True),
        (CONSENT_OPTIONS[0], True),
        ("  " + CONSENT_OPTIONS[0].upper().replace(" ", "  ") + " ", True),
        ("no", False),
        (CONSENT_OPTIONS[1], False),
        ("", False),
        (None, False),
        (["yes"], False),
        ("Yes please, but not my name", False),
    ],
)
def test_consent_is_the_forms_yes_and_nothing_else(value: object, given: bool) -> None:
    assert consent_given(value) is given


# -- redaction ----------------------------------------------------------------------------------

REDACT = redactor(
    ["Sam", "Priya Shah", "Jo", "Will", "Mum"],
    places=["Millbrook", "Anytown Park"],
    schools=["Anytown Academy"],
    ordinary_words=["Will"],
)


@pytest.mark.parametrize(
    ("text", "expected", "removed"),
    [
        ("I like Jo's dog", "I like [name] dog", ["Jo's"]),
        ("SAM and sam and Sam’s", "[name] and [name] and [name]", ["SAM", "sam", "Sam’s"]),
        ("priya was kind, so was Ms SHAH", "[name] was kind, so was Ms [name]", ["priya", "SHAH"]),
        ("I will tell Will", "I will tell [name]", ["Will"]),
        ("Mum came", "Mum came", []),
        ("Joanne and Jonah came", "Joanne and Jonah came", []),  # a name is a whole word
        ("We went to anytown  park", "We went to [place]", ["anytown  park"]),
        ("I go to ANYTOWN ACADEMY", "I go to [school]", ["ANYTOWN ACADEMY"]),
        ("Millbrook's shops", "[place] shops", ["Millbrook's"]),
        ("mail sam.x@anytown.example", "mail [email]", ["sam.x@anytown.example"]),
        ("ring 01632 960123", "ring [phone]", ["01632 960123"]),
        ("ring 07700900111 now", "ring [phone] now", ["07700900111"]),
        ("ring +44 7700 900 111", "ring [phone]", ["+44 7700 900 111"]),
        ("ring (01632) 960-123", "ring [phone]", ["(01632) 960-123"]),
        ("I live at AB1 2CD", "I live at [postcode]", ["AB1 2CD"]),
        ("near m1 1aa", "near [postcode]", ["m1 1aa"]),
        ("on 14 March", "on [date]", ["14 March"]),
        ("on the 3rd of april 2025", "on the [date]", ["3rd of april 2025"]),
        ("on March 4th, 2026", "on [date]", ["March 4th, 2026"]),
        ("on 3/4/25 and 2026-01-20", "on [date] and [date]", ["3/4/25", "2026-01-20"]),
        ("my number is 123456", "my number is [number]", ["123456"]),
        ("case 12 345 678", "case [number]", ["12 345 678"]),
        ("I was 12 in 2025 and had 3 reviews", "I was 12 in 2025 and had 3 reviews", []),
    ],
)
def test_redaction_takes_out_what_could_show_who_wrote_it(
    text: str, expected: str, removed: list[str]
) -> None:
    done = REDACT.redact(text)
    assert done.text == expected
    assert list(done.removed) == removed


def test_a_quote_is_cut_to_280_characters_at_a_word() -> None:
    done = REDACT.redact("I like it here and " * 40)
    assert done.cut and len(done.text) <= MAX_QUOTE
    assert done.text.endswith("…") and not done.text.endswith(" …")
    assert "I like it here" in done.text
    assert not REDACT.redact("short").cut


def test_iro_names_are_kept_only_when_the_council_says_so(tmp_path: Path) -> None:
    project = load_project(Paths.under(copy_example(tmp_path / "c")))
    records = project.minutes.records
    others = {w for r in records for n in (r.name, *(p.name for p in r.people)) for w in n.split()}
    iro = next(w for r in records for w in r.iro.name.split() if w not in others)
    text = f"{iro} listened to me"
    redacted = quote_redactor(project.minutes, project.council).redact(text)
    assert redacted.text == "[name] listened to me"
    keep = replace(project.council, quotes=replace(project.council.quotes, keep_iro_names=True))
    assert quote_redactor(project.minutes, keep).redact(text).text == text
    assert "Millbrook" in project.council.quotes.places  # the example lists its places


# -- candidates and the file --------------------------------------------------------------------


def add_answers(project: Path, *answers: Answer) -> None:
    conn = store.connect(store.store_path(project))
    try:
        with store.transaction(conn):
            store.add_many(conn, [(a, i + 1) for i, a in enumerate(answers)], "test")
    finally:
        conn.close()


def after(n: int, better: str, share: str | None) -> Answer:
    given = {"how-was-it": "4", "better": better} | ({"share": share} if share else {})
    return Answer("after-review", 2, given, None, f"t-{n}", "2025-06-03")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "council"
    (root / "feedback").mkdir(parents=True)
    return root


def test_only_answers_given_with_consent_are_candidates(project: Path) -> None:
    add_answers(
        project,
        after(1, "Shared, yes", "yes"),
        after(2, "Said no", "no"),
        after(3, "Did not say", None),
    )
    found = candidates(example_forms(), stored_answers(project))
    assert [c.text for c in found] == ["Shared, yes"]
    assert found[0].year == "2025-26" and found[0].form_id == "after-review"


def test_a_conflicting_answer_waits_for_a_person_and_is_no_candidate(project: Path) -> None:
    add_answers(project, after(1, "First words", "yes"))
    add_answers(project, after(1, "Edited words", "yes"))  # same response id, other answers
    assert [c.text for c in candidates(example_forms(), stored_answers(project))] == ["First words"]


def test_new_candidates_are_added_and_a_persons_edits_are_kept(project: Path) -> None:
    forms = example_forms()
    add_answers(project, after(1, "Jo was kind", "yes"), after(2, "Less people", "yes"))
    first = update_quotes(project, forms, REDACT)
    assert first.added == 2
    path = quotes_path(project)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    quotes, problems = read_quotes(project)
    assert not problems
    assert [(q.status, q.text, q.removed) for q in quotes] == [
        ("pending", "[name] was kind", ("Jo",)),
        ("pending", "Less people", ()),
    ]
    # A person approves one, takes more out of the other and rejects it, and adds a comment.
    edited = (
        text.replace("status: pending", "status: approved  # read by K, 4 Dec", 1)
        .replace('"Less people"', '"Less [people]"')
        .replace("status: pending", "status: rejected", 1)
        + "# more to read on Monday\n"
    )
    path.write_text(edited, encoding="utf-8")
    assert update_quotes(project, forms, REDACT).added == 0
    assert path.read_text(encoding="utf-8") == edited  # nothing new: not even rewritten
    add_answers(project, after(3, "Call 07700 900111", "yes"))
    again = update_quotes(project, forms, REDACT)
    assert again.added == 1
    now = path.read_text(encoding="utf-8")
    assert now.startswith(edited)  # every byte the person wrote, comments and all
    quotes, problems = read_quotes(project)
    assert not problems
    assert [(q.status, q.text) for q in quotes] == [
        ("approved", "[name] was kind"),
        ("rejected", "Less [people]"),
        ("pending", "Call [phone]"),
    ]
    assert not list(path.parent.glob(".quotes.yml.*"))  # no temporary file left behind


def test_a_file_whose_end_is_not_the_list_is_written_afresh_keeping_every_entry(
    project: Path,
) -> None:
    forms = example_forms()
    add_answers(project, after(1, "One", "yes"))
    update_quotes(project, forms, REDACT)
    path = quotes_path(project)
    # The same entry, written by a person in flow style: the list does not end the file.
    (item,) = read_quotes(project)[0]
    flow = (
        f"quotes: [{{id: {item.id}, status: approved, form: {item.form_id}, "
        f'year: "{item.year}", quote: "{item.text}"}}]\n'
    )
    path.write_text(flow, encoding="utf-8")
    add_answers(project, after(2, "Two", "yes"))
    assert update_quotes(project, forms, REDACT).added == 1
    quotes, problems = read_quotes(project)
    assert not problems
    assert (quotes[0].id, quotes[0].status) == (item.id, "approved")
    assert [q.text for q in quotes] == ["One", "Two"]


def test_a_quotes_file_that_does_not_read_is_left_alone_and_named(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_answers(project, after(1, "One", "yes"))
    path = quotes_path(project)
    broken = (
        "quotes:\n  - id: x\n    status: aproved\n    form: f\n    year: 2025-26\n    quote: q\n"
    )
    path.write_text(broken, encoding="utf-8")
    update = update_quotes(project, example_forms(), REDACT)
    assert update.added == 0 and update.problems
    problem = update.problems[0]
    assert problem.file == "feedback/quotes.yml" and problem.line == 3
    assert "approved" in problem.suggestion
    assert path.read_text(encoding="utf-8") == broken


def test_a_file_saved_while_quotes_are_added_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yourreview.feedback.quotes as quotes_module

    add_answers(project, after(1, "One", "yes"))
    path = quotes_path(project)
    path.write_text(HEADER, encoding="utf-8")
    real = quotes_module.candidates

    def saved_meanwhile(*args: object, **kwargs: object) -> object:
        path.write_text(HEADER + "# a person saved this\n", encoding="utf-8")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(quotes_module, "candidates", saved_meanwhile)
    with pytest.raises(YourReviewError, match="changed while"):
        update_quotes(project, example_forms(), REDACT)
    assert path.read_text(encoding="utf-8").endswith("# a person saved this\n")
    assert not list(path.parent.glob(".quotes.yml.*"))


# -- the commands and the example ---------------------------------------------------------------


def test_yourreview_quotes_lists_what_waits_and_counts_each_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "council")
    assert main(["--project", str(root), "quotes", "--json"]) == 0  # no store yet: the file
    out = json.loads(capsys.readouterr().out)
    assert out["added"] == 0
    assert out["counts"] == {"pending": 11, "approved": 7, "rejected": 1}
    assert all(set(q) == {"id", "form", "year", "quote", "removed"} for q in out["pending"])
    assert main(["--project", str(root), "quotes"]) == 0
    text = capsys.readouterr().out
    assert "11 pending, 7 approved, 1 rejected." in text
    assert "status: approved" in text


def test_importing_the_example_adds_no_quote_its_file_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The committed feedback/quotes.yml holds every candidate of the example's answers: a
    fresh `make site` leaves it as it is."""
    from test_example_answers import COMMANDS

    root = copy_example(tmp_path / "council")
    before = quotes_path(root).read_bytes()
    monkeypatch.chdir(root)
    for command in COMMANDS:
        assert main(["--project", str(root), *command]) == 0
    assert "new quote" not in capsys.readouterr().out
    assert quotes_path(root).read_bytes() == before
    quotes, problems = read_quotes(root)
    assert not problems
    redacted = [q for q in quotes if q.removed]
    assert {r for q in redacted for r in q.removed} >= {"Maggie's", "Anytown Academy", "Millbrook"}
    assert {q.year for q in quotes if q.status == "approved"} >= {"2024-25", "2025-26"}


def test_make_site_imports_as_the_readme_says() -> None:
    from test_example_answers import COMMANDS

    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    lines = [
        line.split("yourreview ", 1)[1].split()
        for line in makefile.splitlines()
        if line.startswith("\t$(BIN)/yourreview import")
    ]
    assert lines == COMMANDS


def test_the_internal_feedback_page_lists_the_quotes_waiting(tmp_path: Path) -> None:
    from yourreview.feedback.views import read_overview
    from yourreview.pages import feedback_page

    root = copy_example(tmp_path / "council")
    project = load_project(Paths.under(root))
    page = feedback_page(project, lambda here, there: there, read_overview(root, project.forms))
    quotes, _ = read_quotes(root)
    waiting = [q for q in quotes if q.status == "pending"]
    assert 'id="quotes"' in page.content and waiting
    assert all(q.id in page.content for q in waiting)
    assert not [q for q in quotes if q.status != "pending" and q.id in page.content]
    quotes_path(root).write_text("quotes: {}\n", encoding="utf-8")
    broken = feedback_page(project, lambda here, there: there, read_overview(root, project.forms))
    assert "does not read" in broken.content and "feedback/quotes.yml:1" in broken.content
