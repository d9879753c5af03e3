"""`yourreview check` and `deadlines` on a council: plain words, readability, the review clock."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date
from pathlib import Path

from conftest import ROOT, build_site, run_cli
from yourreview.checks import blanked, check_project
from yourreview.clock import long_date
from yourreview.project import Paths, load_project

GOLDEN = Path(__file__).parent / "golden" / "check.json"


run = run_cli


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_check_json_for_the_example_council_matches_golden(update_golden: bool) -> None:
    # Pinned: an unsent letter's next steps are due or not by the day it goes out.
    result = run(ROOT, "check", "--json", "--as-of", "2026-11-23")
    assert result.returncode == 0, result.stderr
    if update_golden:
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(GOLDEN.read_text(encoding="utf-8"))
    for finding in json.loads(result.stdout):
        assert set(finding) == {
            "file",
            "line",
            "column",
            "field",
            "kind",
            "severity",
            "message",
            "suggestion",
        }


def test_every_example_letter_is_plain_and_within_its_readability_target() -> None:
    problems, letters = check_project(load_project(Paths.under(ROOT)))
    assert not [p for p in problems if p.kind in ("jargon", "acronym", "readability")]
    project = load_project(Paths.under(ROOT))
    for letter in letters:
        target = project.targets[letter.record.style]
        assert letter.readability.words_per_sentence <= target.max_words_per_sentence
        assert letter.readability.reading_age <= target.max_reading_age


def test_jargon_in_a_record_is_found_where_it_was_written(example: Path) -> None:
    record = example / "minutes" / "2026" / "sam-2.yml"
    edit(
        record,
        "  - wish: You like living with Jo and you want to stay.",
        "  - wish: You like your placement, and your LAC review went well.",
    )
    result = run(example, "check", "--json")
    findings = json.loads(result.stdout)
    placement = next(f for f in findings if "placement" in f["message"])
    assert placement["file"] == "minutes/2026/sam-2.yml"
    where = (placement["line"], placement["column"], placement["field"])
    assert where == (25, 25, "told_me[0].wish")
    assert placement["kind"] == "jargon" and placement["severity"] == "warning"
    assert '"home"' in placement["suggestion"]
    lac = next(f for f in findings if "LAC review" in f["message"])
    assert lac["column"] == 45
    assert result.returncode == 0  # warnings only
    assert run(example, "check", "--strict").returncode == 1


def test_a_term_the_council_makes_an_error_fails_the_check(example: Path) -> None:
    record = example / "minutes" / "2026" / "ollie-2.yml"
    edit(
        record,
        "  - You have joined the cubs and go every Thursday.",
        "  - You are a looked after child who loves cubs.",
    )
    result = run(example, "check")
    assert result.returncode == 1
    where = "minutes/2026/ollie-2.yml:22:15: going_well, item 1"
    assert f'{where}: "looked after child"' in result.stdout


def test_the_childs_own_words_are_never_flagged(example: Path) -> None:
    record = example / "minutes" / "2026" / "sam-3.yml"
    edit(record, "    review: my meeting", "    review: my LAC review\n    home: my placement")
    edit(
        record,
        "  - wish: You love going swimming on Tuesdays.",
        "  - wish: You call your home my placement, and you love swimming.",
    )
    findings = json.loads(run(example, "check", "--json").stdout)
    assert not [
        f
        for f in findings
        if f["file"] == "minutes/2026/sam-3.yml" and f["kind"] in ("jargon", "acronym")
    ]


def test_words_the_templates_add_are_checked_and_name_the_template(example: Path) -> None:
    (example / "templates" / "letters").mkdir(parents=True)
    (example / "templates" / "letters" / "child.html").write_text(
        '{% extends "letters/base.html" %}{% block opening %}<p>This is about your placement '
        "and your LAC review.</p>{% endblock %}",
        encoding="utf-8",
    )
    findings = json.loads(run(example, "check", "--json").stdout)
    template = [f for f in findings if f["field"] == "template"]
    assert {f["file"] for f in template} == {"templates/letters/child.html"}
    assert {f["message"].split('"')[1] for f in template} == {"placement", "LAC review"}


def test_a_letter_over_its_readability_target_names_its_longest_sentences(example: Path) -> None:
    edit(
        example / "site_config" / "council.yml",
        "leak_check:",
        "readability:\n  child: {max_words_per_sentence: 6, max_reading_age: 6}\nleak_check:",
    )
    findings = json.loads(run(example, "check", "--json").stdout)
    hard = [f for f in findings if f["kind"] == "readability"]
    assert {f["file"] for f in hard} >= {"minutes/2026/sam-3.yml", "minutes/2026/ollie-2.yml"}
    assert all(f["severity"] == "warning" and f["field"] == "letter" for f in hard)
    assert any(
        "sentences average" in f["message"] and "above 6 for the child style" in f["message"]
        for f in hard
    )
    assert all("split the longest sentences" in f["suggestion"] for f in hard)


def test_a_next_review_later_than_the_clock_allows_is_an_error(example: Path) -> None:
    edit(
        example / "minutes" / "2026" / "kai-2.yml",
        "next_review: 2027-01-20",
        "next_review: 2027-03-01",
    )
    result = run(example, "check")
    assert result.returncode == 1
    assert (
        "minutes/2026/kai-2.yml:39:14: next_review: 2027-03-01 is later than the review "
        "clock allows (Thursday 21 January 2027: 6 months after review 2)"
    ) in result.stdout
    # The letter never promises the later date: it gives the latest the clock allows.
    project = load_project(Paths.under(example))
    kai = next(r for r in project.minutes.records if r.ref == "AT-2026-0455")
    assert project.next_review(kai) == date(2027, 1, 21)


def test_deadlines_on_the_example_council() -> None:
    rows = json.loads(run(ROOT, "deadlines", "--as-of", "2026-11-23", "--json").stdout)
    sam = next(r for r in rows if r["ref"] == "AT-2026-0877" and r["kind"] == "next review")
    assert (sam["due"], sam["status"]) == ("2027-05-05", "not yet due")
    ollie = next(r for r in rows if r["ref"] == "AT-2026-0601" and r["kind"] == "minutes sent")
    assert ollie["status"] == "late"
    assert rows[0]["status"] == "late"
    table = list(
        csv.DictReader(io.StringIO(run(ROOT, "deadlines", "--as-of", "2026-11-23", "--csv").stdout))
    )
    assert len(table) == len(rows) and table[0]["ref"] == rows[0]["ref"]
    text = run(ROOT, "deadlines", "--as-of", "2026-11-23").stdout
    assert "Late (" in text and "Due within 10 working days (" in text


def test_the_checks_page_is_internal_only(
    internal_site: Path, public_site: Path, tmp_path: Path
) -> None:
    assert not (public_site / "checks").exists()
    page = (internal_site / "checks" / "index.html").read_text(encoding="utf-8")
    late = page.split('id="late"')[1].split('id="due-soon"')[0]
    assert "Ollie" in late  # his letter has no minutes_sent, due 13 October 2026
    assert 'href="../letters/AT-2026-0601/"' in late
    letters = page.split('id="letters"')[1]
    for record in load_project(Paths.under(ROOT)).minutes.records:
        assert f'href="../letters/{record.ref}/"' in letters
    assert f"As of {long_date(date.today())}" in page
    assert build_site(ROOT, tmp_path / "again", "public").joinpath("index.html").is_file()


def test_the_template_words_of_a_child_who_signs_are_those_of_what_they_showed_us() -> None:
    # The template's own words are checked on the letter with the IRO's words blanked out; a
    # child who signed must still get "What you showed us" there, as in their own letter.
    project = load_project(Paths.under(ROOT))
    record = next(r for r in project.minutes.records if r.took_part == "PN1")
    for how, showed in (("using Makaton signs", True), ("on the phone", False)):
        child = dataclasses.replace(record, took_part_how=how)
        assert child.without_words is showed
        assert blanked(child).without_words is showed
