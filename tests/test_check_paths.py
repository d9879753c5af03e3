"""`check PATH` tells the same truth as a whole-project check, and one broken record stops
nothing but its own letter (issue 12, sections 1 and 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from yourreview.cli import main


def jargon_record(example: Path, *, misspelt: bool = False) -> str:
    """Sam's fourth review, written with words children have asked us not to use."""
    text = (example / "minutes/2026/sam-3.yml").read_text(encoding="utf-8")
    for old, new in [
        ("AT-2026-0877", "AT-2026-0999"),
        ("date: 2026-11-05", "date: 2026-12-01"),
        ("number: 3", "number: 4"),
        ("minutes_sent: 2026-11-20", "minutes_sent: 2026-12-02"),
        ("by: 2026-11-30", "by: 2027-01-30"),
        ("by: 2026-12-18", "by: 2027-01-18"),
        ("You love going swimming on Tuesdays.", "Your placement is good and the LAC nurse came."),
        ("You have been staying up", "Your PEP says your siblings have been staying up"),
    ]:
        assert old in text
        text = text.replace(old, new)
    if misspelt:
        text = text.replace("  held: in person", "  helld: in person")
    return text


def check_json(capsys: pytest.CaptureFixture[str], project: Path, *paths: str) -> list[dict]:
    capsys.readouterr()
    main(["--project", str(project), "check", "--json", *paths])
    found: list[dict] = json.loads(capsys.readouterr().out)
    return found


def test_check_file_reports_what_the_whole_check_reports_for_every_example_record(
    capsys: pytest.CaptureFixture[str],
) -> None:
    whole = check_json(capsys, ROOT)
    # The hand-written records (the imported years are made by one script, alike in kind).
    records = sorted((ROOT / "minutes" / "2026").rglob("*.yml"))
    assert len(records) == 14
    for record in records:
        source = record.relative_to(ROOT).as_posix()
        expected = [p for p in whole if p["file"] == source]
        assert check_json(capsys, ROOT, str(record)) == expected, source
    # The example's one finding (a late letter, a review-clock check) is among them.
    assert any(p["kind"] == "deadline" for p in whole)


def test_a_record_full_of_jargon_is_told_the_same_by_every_path(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = example / "minutes/2026/sam-4.yml"
    record.write_text(jargon_record(example), encoding="utf-8")
    whole = [p for p in check_json(capsys, example) if p["file"] == "minutes/2026/sam-4.yml"]
    words = {p["message"].split('"')[1] for p in whole if p["kind"] == "jargon"}
    assert {"placement", "LAC", "PEP", "siblings"} <= words
    assert check_json(capsys, example, str(record)) == whole
    # A folder, recursively: every record in it, the same findings.
    by_folder = check_json(capsys, example, str(example / "minutes"))
    assert [p for p in by_folder if p["file"] == "minutes/2026/sam-4.yml"] == whole
    assert by_folder == [p for p in check_json(capsys, example) if p["file"].startswith("minutes")]

    # Outside minutes/: checked with the project's settings and against its other records.
    outside = example.parent / "draft-sam-4.yml"
    outside.write_text(jargon_record(example), encoding="utf-8")
    record.unlink()
    found = check_json(capsys, example, str(outside))
    assert {p["file"] for p in found} == {outside.as_posix()}
    assert [{**p, "file": "minutes/2026/sam-4.yml"} for p in found] == whole
    # A second copy in minutes/ is a reference used twice: a check across records.
    record.write_text(jargon_record(example), encoding="utf-8")
    clash = check_json(capsys, example, str(outside))
    assert any("is also used by minutes/2026/sam-4.yml" in p["message"] for p in clash)


def test_a_misspelt_field_does_not_hide_the_jargon_beside_it(example: Path) -> None:
    record = example / "minutes/2026/sam-4.yml"
    record.write_text(jargon_record(example, misspelt=True), encoding="utf-8")
    result = run_cli(example, "check", str(record))
    assert result.returncode == 1
    assert "minutes/2026/sam-4.yml:6:3: review.helld: is not a field here" in result.stdout
    assert 'minutes/2026/sam-4.yml:26:42: told_me, item 1, wish: "LAC"' in result.stdout
    assert "1 record checked: 2 errors in 1 file" in result.stdout
    whole = run_cli(example, "check")
    every = len(list((example / "minutes").rglob("*.yml")))
    assert f"{every} records checked" in whole.stdout  # counted, though it did not read
    assert 'told_me, item 1, wish: "LAC"' in whole.stdout


def test_check_names_what_it_cannot_find(example: Path) -> None:
    result = run_cli(example, "check", str(example / "minutes/2026/nobody.yml"))
    assert result.returncode == 1
    assert "minutes/2026/nobody.yml: there is no such file or folder" in result.stdout


def test_run_from_the_wrong_folder_says_so_once(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yourreview.cli", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert said.count("mkdocs.yml") == 2 and said.count("\n") == 1  # one line
    assert "--project" in said and "Traceback" not in said


def test_deadlines_says_how_to_write_a_date() -> None:
    result = run_cli(ROOT, "deadlines", "--as-of", "10/01/2027")
    assert result.returncode == 2
    assert '"10/01/2027" is not a date we can read: write 2027-01-10' in result.stderr
    assert "fromisoformat" not in result.stderr


def test_deadlines_into_a_closed_pipe_ends_without_a_traceback() -> None:
    read, write = os.pipe()
    os.close(read)  # like `| head` once it has read enough: every write fails
    try:
        result = subprocess.run(
            [sys.executable, "-m", "yourreview.cli", "--project", str(ROOT), "deadlines"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            check=False,
        )
    finally:
        os.close(write)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr
    assert result.returncode == 141


def break_record(example: Path) -> Path:
    record = example / "minutes/2026/finn-1.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("number: 1", "number: one"), encoding="utf-8")
    return record


def test_deadlines_and_letters_carry_on_and_say_which_record_did_not_read(
    example: Path, tmp_path: Path
) -> None:
    break_record(example)
    result = run_cli(example, "deadlines", "--csv")
    assert result.returncode == 1
    assert "AT-2026-0540" in result.stdout  # every other child is still listed
    assert "1 record could not be read" in result.stderr
    assert "minutes/2026/finn-1.yml (1 error)" in result.stderr

    out = tmp_path / "post"
    letters = run_cli(example, "letters", "--pdf", str(out), "minutes/2026/ruby-2.yml")
    assert letters.returncode == 1, letters.stderr
    assert "Wrote 1 letter to" in letters.stdout
    assert [p.name for p in out.iterdir()] == ["AT-2026-0540.pdf"]
    assert "minutes/2026/finn-1.yml" in letters.stderr


def test_internal_build_carries_on_public_build_refuses(example: Path, tmp_path: Path) -> None:
    break_record(example)
    site = tmp_path / "internal"
    internal = run_cli(example, "build", "--audience", "internal", "--site-dir", str(site))
    assert internal.returncode == 0, internal.stderr
    assert "1 record could not be read, so has no letter: minutes/2026/finn-1.yml" in (
        internal.stderr
    )
    assert "minutes/2026/finn-1.yml:4:11: review.number" in internal.stderr
    assert (site / "letters/AT-2026-0540/index.html").is_file()
    checks = (site / "checks/index.html").read_text(encoding="utf-8")
    assert "Records that could not be read" in checks and "minutes/2026/finn-1.yml" in checks
    index = (site / "letters/index.html").read_text(encoding="utf-8")
    assert "1 record could not be read, so has no letter yet" in index
    letters = len(list((example / "minutes").rglob("*.yml"))) - 1
    assert "<code>minutes/2026/finn-1.yml</code>" in index and f"{letters} letters" in index

    public = run_cli(example, "build")
    assert public.returncode == 1
    assert "minutes/2026/finn-1.yml:4:11: review.number" in public.stderr
    assert not (example / "site").exists()


def test_an_error_level_word_is_printed_shown_and_fails_a_strict_build(
    example: Path, tmp_path: Path
) -> None:
    (example / "minutes/2026/sam-4.yml").write_text(jargon_record(example), encoding="utf-8")
    site = tmp_path / "internal"
    args = ("build", "--audience", "internal", "--site-dir", str(site))
    built = run_cli(example, *args)
    assert built.returncode == 0, built.stderr
    assert 'minutes/2026/sam-4.yml:26:42: told_me, item 1, wish: "LAC"' in built.stderr
    strict = run_cli(example, *args, "--strict")
    assert strict.returncode == 1
    assert 'told_me, item 1, wish: "LAC"' in strict.stderr


def test_each_letter_shows_its_findings_and_the_checks_page_links_to_them(
    example: Path, tmp_path: Path
) -> None:
    (example / "minutes/2026/sam-4.yml").write_text(jargon_record(example), encoding="utf-8")
    site = tmp_path / "site"
    built = run_cli(example, "build", "--audience", "internal", "--site-dir", str(site))
    assert built.returncode == 0, built.stderr
    page = (site / "letters/AT-2026-0999/index.html").read_text(encoding="utf-8")
    box = page[page.index('<section class="yr-findings') : page.index("</section>")]
    assert page.index("yr-findings") < page.index('<article class="yr-letter')  # above it
    assert "to look at before this letter goes out" in box
    assert "line 26, <code>told_me, item 1, wish</code>: &#34;LAC&#34; is a word" in box
    assert "What to do: say &#34;child in care&#34;" in box
    assert "line 36, <code>worries, item 1, worry</code>: &#34;PEP&#34;" in box
    # The same findings as `check` gives for this file, one item each.
    told = run_cli(example, "check", "--json", "minutes/2026/sam-4.yml")
    assert box.count("<li") == len(json.loads(told.stdout))
    # No box where there is nothing to say; the demo-key notice on every letter.
    clean = (site / "letters/AT-2026-0877/index.html").read_text(encoding="utf-8")
    assert "yr-findings" not in clean
    assert "published demo key" in clean
    leah = (site / "letters/AT-2026-0540/index.html").read_text(encoding="utf-8")
    assert "yr-findings" not in leah
    # The review clock's finding is on Leah's letter.
    late = next(p for p in (site / "letters").iterdir() if "4 working days late" in _read(p))
    assert "1 thing to look at" in _read(late)

    checks = (site / "checks/index.html").read_text(encoding="utf-8")
    assert 'href="../letters/AT-2026-0999/#findings"' in checks
    assert f'href="../letters/{late.name}/#findings"' in checks


def _read(folder: Path) -> str:
    file = folder / "index.html"
    return file.read_text(encoding="utf-8") if file.is_file() else ""
