"""The `yourreview` command as an IRO uses it: new → check → build, and the preview's watch list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli
from yourreview.cli import main
from yourreview.plugin import YourReviewPlugin
from yourreview.project import Paths
from yourreview.records import read_record

run = run_cli


def fill_in(text: str) -> str:
    """What an IRO would type into the blanks `yourreview new` leaves (whatever today is)."""
    text = re.sub(r'ref: "AT-\d{4}-0000"', "ref: AT-2026-0999", text)
    text = re.sub(r"(?m)^  date: \S+", "  date: 2026-12-01", text)
    text = re.sub(r'(going_well: .*\n  - )""', r"\g<1>You got a gold star for reading.", text)
    return (
        text.replace('  - wish: ""', '  - wish: "You want a bike for your birthday."')
        .replace("    # reply: ", '    reply: "Jo will take you to the bike shop." #')
        .replace('  - worry: ""', '  - worry: "You miss your old friends."')
        .replace("    # helping: ", '    helping: "Jo" #')
        .replace('  - who: ""', '  - who: "Jo"')
        .replace('    will: ""', '    will: "take you to the bike shop"')
        .replace('    by: ""', "    by: 2027-01-29")
        .replace("happened: not done", "happened: done")
    )


def test_new_carries_the_child_forward_and_lists_last_steps(example: Path) -> None:
    previous = example / "minutes" / "2026" / "sam-3.yml"
    result = run(example, "new", "--from", str(previous))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert 'name: "Sam"' in text and "date_of_birth: 2015-09-03" in text
    assert "number: 4" in text
    assert 'step: "Jo will agree a weekend bedtime with you"' in text
    assert 'step: "Dev will ask Lenny\'s carers about a day out in the holidays"' in text
    assert 'review: "my meeting"' in text
    # A comment on every field: each top-level section is explained before or beside it.
    assert text.count("#") > 20


def test_a_new_record_once_filled_in_checks_clean_and_gets_a_letter(
    example: Path, tmp_path: Path
) -> None:
    new_file = example / "minutes" / "2026" / "sam-4.yml"
    result = run(
        example, "new", "--from", str(example / "minutes/2026/sam-3.yml"), "-o", str(new_file)
    )
    assert result.returncode == 0, result.stderr
    blank_check = run(example, "check", str(new_file))
    assert blank_check.returncode == 1  # blanks are errors, each one named
    assert "told_me, item 1, wish: is empty" in blank_check.stdout

    new_file.write_text(fill_in(new_file.read_text(encoding="utf-8")), encoding="utf-8")
    check = run(example, "check", str(new_file))
    assert check.returncode == 0, check.stdout + check.stderr
    record, _ = read_record(new_file, "x")
    assert record.number == 4 and record.last_time[0].happened == "done"

    site = tmp_path / "internal"
    build = run(example, "build", "--audience", "internal", "--site-dir", str(site))
    assert build.returncode == 0, build.stderr
    letter = (site / "letters" / "AT-2026-0999" / "index.html").read_text(encoding="utf-8")
    assert "You want a bike for your birthday." in letter
    assert "Jo will agree a weekend bedtime with you" in letter


def test_new_never_overwrites(example: Path) -> None:
    target = example / "minutes" / "2026" / "sam-3.yml"
    before = target.read_bytes()
    assert run(example, "new", "-o", str(target)).returncode == 1
    assert target.read_bytes() == before


def test_build_public_by_default_into_site(example: Path) -> None:
    result = run(example, "build")
    assert result.returncode == 0, result.stderr
    assert (example / "site" / "index.html").is_file()
    assert not (example / "site" / "letters").exists()
    assert "leak check: no personal data" in result.stderr


def test_build_stops_before_mkdocs_on_a_bad_record(example: Path) -> None:
    record = example / "minutes" / "2026" / "finn-1.yml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("code: PN1", "code: PN8"), encoding="utf-8"
    )
    result = run(example, "build")
    assert result.returncode == 1
    assert (
        'minutes/2026/finn-1.yml:18:9: took_part.code: "PN8" is not one of the choices'
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (example / "site").exists()


def test_check_json_lists_every_problem(example: Path) -> None:
    record = example / "minutes" / "2026" / "finn-1.yml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("number: 1", "number: one"), encoding="utf-8"
    )
    result = run(example, "check", "--json")
    assert result.returncode == 1
    assert '"field": "review.number"' in result.stdout
    assert '"file": "minutes/2026/finn-1.yml"' in result.stdout


def test_main_returns_codes_without_raising(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--project", str(example), "check"]) == 0
    count = len(list((example / "minutes").rglob("*.yml")))
    assert f"{count} records checked" in capsys.readouterr().out


def test_preview_watches_the_councils_folders(example: Path) -> None:
    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    plugin = YourReviewPlugin()
    plugin.paths = Paths.under(example)
    server = Server()
    plugin.on_serve(server, None, None)  # type: ignore[arg-type]
    assert sorted(Path(p).name for p in server.watched) == ["minutes", "site_config", "templates"]


def test_letters_as_pdf_for_chosen_records(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "post"
    result = run(example, "letters", "--pdf", str(out), str(example / "minutes/2026/ruby-2.yml"))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["AT-2026-0540.pdf"]
    assert (out / "AT-2026-0540.pdf").read_bytes().startswith(b"%PDF")
    assert "demo key" in result.stdout
    missing = run(example, "letters", "--pdf", str(out), str(example / "minutes/none.yml"))
    assert missing.returncode == 1 and "minutes/none.yml" in missing.stderr
