"""The strict loader: every bad input gives a located, actionable error and never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_example
from yourreview.errors import YourReviewError
from yourreview.records import Wish, load_minutes, read_record

VALID = """\
review:
  ref: AT-2026-0001
  date: 2026-10-14
  number: 2
  held: in person
child:
  id: AT-C-0001
  name: Robin
  date_of_birth: 2014-05-02
  in_care_since: 2026-03-02
  style: auto
iro:
  name: Sol Brightwater
  phone: 01632 960123
  email: sol@anytown.example
took_part:
  code: PN1
people:
  - {name: Jo, role: your foster carer}
told_me:
  - no
going_well:
  - You have joined the football team.
next_steps:
  - {who: Jo, will: find a swimming club, by: 2026-11-30}
"""


def write(tmp_path: Path, text: str | bytes, name: str = "r.yml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def errors_for(tmp_path: Path, text: str | bytes) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(YourReviewError) as caught:
        read_record(path, "minutes/r.yml")
    return [str(p) for p in caught.value.problems]


def test_valid_record_keeps_text_as_typed(tmp_path: Path) -> None:
    record, warnings = read_record(write(tmp_path, VALID), "minutes/r.yml")
    # A wish written as plain text is still a wish: the letter has no reply to it yet.
    assert [(p.field, p.line, p.kind) for p in warnings] == [("told_me[0]", 21, "reply")]
    assert record.told_me == (Wish("no"),)  # not False
    assert record.iro.phone == "01632 960123"  # the zero and the space kept
    assert record.age == 12 and record.style == "child"
    assert (
        record.next_steps[0].by is not None and record.next_steps[0].by.isoformat() == "2026-11-30"
    )


# Each changes VALID in one place; the JSON Schema must refuse these too (test_schema.py).
MISTAKES = [
    (
        ("date: 2026-10-14", "date: 2026-02-30"),
        'minutes/r.yml:3:9: review.date: "2026-02-30" is not a real date',
    ),
    (
        ("by: 2026-11-30", 'by: "30/11/26"'),
        'minutes/r.yml:25:47: next_steps, item 1, by: "30/11/26" is not a date — write 2026-11-30',
    ),
    (
        ("  style: auto", "  stlye: auto"),
        "minutes/r.yml:11:3: child.stlye: is not a field here — did you mean `style`?",
    ),
    (("  name: Robin\n", ""), "minutes/r.yml:7:3: child.name: is missing — add `name:`"),
    (("code: PN1", "code: PN9"), 'took_part.code: "PN9" is not one of the choices'),
    (("number: 2", "number: two"), 'review.number: "two" is not a whole number'),
    (
        ("in_care_since: 2026-03-02", "in_care_since: 2026-12-01"),
        "child.in_care_since: 2026-12-01 is after the review date",
    ),
    (
        ("date_of_birth: 2014-05-02", "date_of_birth: 2026-05-02"),
        "child.date_of_birth: 2026-05-02 is after coming into care",
    ),
    (
        ("date_of_birth: 2014-05-02", "date_of_birth: 2023-05-02"),
        "took_part.code: PN1 is for children aged 4 or over; this child is under 4",
    ),
    (("code: PN1", "code: PN0"), "took_part.code: PN0 is only for children under 4"),
    (
        ("by: 2026-11-30", "by: 2026-10-01"),
        "next_steps, item 1, by: 2026-10-01 is not after the review (2026-10-14)",
    ),
    (
        ("  - no\n", "  - \n"),
        "told_me, item 1: is empty — write the text after `- `, or delete the line",
    ),
    (("  name: Robin", '  name: ""'), "child.name: is empty"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "minutes/r.yml: is empty — start from `yourreview new`"),
        ("   \n# only a comment\n", "is empty"),
        (b"review:\n  ref: \xff\xfe\n", "minutes/r.yml:2: is not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "is not a text file"),
        ("review:\n\tref: x\n", "indent with spaces, not tabs"),
        (
            "- one\n- two\n",
            "should hold fields such as `review:`, `child:`, not a list — start from "
            "`yourreview new`",
        ),
        ("review: !!python/object/apply:os.system [echo hi]\n", "uses a YAML tag"),
        ("review: &a {ref: x}\nchild: *a\n", "uses an anchor"),
        (
            "review: {ref: x}\nreview: {ref: y}\n",
            "minutes/r.yml:2:1: repeats the key 'review' (first on line 1)",
        ),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 40)), "is nested too deeply"),
        # libyaml stops at its own depth (1,000 from PyYAML 6.0.4); our limit is far lower.
        ("[" * 5000 + "]" * 5000, "is nested too deeply — records are at most four levels deep"),
        ("[" * 1001 + "]" * 1001, "is nested too deeply — records are at most four levels deep"),
        ("[" * 999 + "]" * 999, "is nested too deeply — records are at most four levels deep"),
        ("review: [unclosed\n", "not valid YAML"),
        ("---\na: 1\n---\nb: 2\n", "more than one YAML document"),
    ],
)
def test_broken_files_give_errors_not_tracebacks(
    tmp_path: Path, text: str | bytes, expected: str
) -> None:
    found = errors_for(tmp_path, text)
    assert any(expected in e for e in found), found


def test_ten_megabytes_is_refused_before_parsing(tmp_path: Path) -> None:
    found = errors_for(tmp_path, "a: " + "x" * 10_000_000)
    assert "too large for a review record" in found[0]


def test_every_error_in_every_file_is_listed(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    write(
        folder, VALID.replace("code: PN1", "code: PN9").replace("number: 2", "number: x"), "a.yml"
    )
    write(
        folder,
        VALID.replace("ref: AT-2026-0001", "ref: AT-2026-0002").replace(
            "held: in person", "held: by pigeon"
        ),
        "b.yml",
    )
    write(folder, "", "c.yml")
    with pytest.raises(YourReviewError) as caught:
        load_minutes(folder, tmp_path)
    files = sorted({p.file for p in caught.value.problems})
    assert files == ["minutes/a.yml", "minutes/b.yml", "minutes/c.yml"]
    assert len(caught.value.problems) == 4
    assert caught.value.report().endswith("4 errors in 3 files")


def test_the_same_reference_twice_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    write(folder, VALID, "a.yml")
    write(
        folder, VALID.replace("number: 2", "number: 3").replace("2026-10-14", "2026-10-20"), "b.yml"
    )
    with pytest.raises(YourReviewError, match=r"is also used by minutes/a\.yml"):
        load_minutes(folder, tmp_path)


def test_cli_check_lists_all_errors_and_exits_1_without_traceback(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "council")  # a record is checked with a council's settings
    folder = project / "minutes" / "new"
    folder.mkdir()
    text = VALID.replace("date: 2026-10-14", "date: 14/10/2026")
    bad = write(folder, text, "a.yml")
    binary = write(folder, b"\x00\x01\x02", "b.yml")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "yourreview.cli",
            "--project",
            str(project),
            "check",
            str(bad),
            str(binary),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert '"14/10/2026" is not a date — write 2026-10-14' in result.stdout
    assert "b.yml: is not a text file" in result.stdout
    assert "2 errors in 2 files" in result.stdout


def test_the_example_council_is_clean() -> None:
    root = Path(__file__).resolve().parents[1]
    minutes = load_minutes(root / "minutes", root)
    assert len(minutes.records) >= 12
    assert minutes.warnings == ()
    assert {r.took_part for r in minutes.records} == {f"PN{n}" for n in range(8)}
    assert {r.style for r in minutes.records} == {
        "early-years",
        "child",
        "young-person",
        "easy-read",
    }
    numbers = {r.number for r in minutes.records}
    assert 1 in numbers and 2 in numbers and max(numbers) > 2
    assert any(len(reviews) >= 2 for reviews in minutes.by_child().values())


PLAIN_MISTAKES = [
    # A colon inside a sentence makes YAML read a field: say so, and how to write it.
    (
        ("  - no\n", "  - You said: no\n"),
        'told_me, item 1: reads as a field ("You said: …"), not as text — a colon followed '
        'by a space starts a field: put the whole text in double quotes, "…"',
    ),
    (
        ("{who: Jo,", "{who: ,"),
        "next_steps, item 1, who: is empty — after `who:`, write who will do it, e.g. Jo",
    ),
    (("people:\n  - {name: Jo", "people: Jo\nx:\n  - {name: Jo"), "people: should be a list"),
    (
        ("child:\n", "child: Robin\nx:\n"),
        'child: should have fields under it, not "Robin" — write `child:` on its own line',
    ),
    (("  ref: AT-2026-0001", "  ref: AT-2026-0000"), "is still the template's example"),
]


@pytest.mark.parametrize(("change", "expected"), MISTAKES + PLAIN_MISTAKES)
def test_each_mistake_is_located_and_told_in_plain_words(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in VALID
    found = errors_for(tmp_path, VALID.replace(old, new))
    assert any(expected in e for e in found), found
    assert not any(jargon in e for e in found for jargon in ("[0]", "set of fields", "token"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("review:\n  ref: `x`\n", "a value cannot start with ` — put the whole text in double"),
        ("review:\n  ref: @x\n", "a value cannot start with @"),
        ("review: ref: x\n", "a ': ' (colon and space) inside a value makes it look like a new"),
        ('review:\n  ref: "x\n', "a quote or bracket is opened but never closed"),
        ("review:\n  ref: x\n date: y\n", "a line is indented differently"),
    ],
)
def test_yaml_mistakes_in_plain_words(tmp_path: Path, text: str, expected: str) -> None:
    found = errors_for(tmp_path, text)
    assert any(expected in e for e in found), found
    assert not any("token" in e or "mapping values" in e for e in found), found


def test_the_new_templates_placeholders_are_named(tmp_path: Path) -> None:
    from yourreview.newrecord import new_record

    found = errors_for(tmp_path, new_record())
    for field, value in [
        ("review.ref", "AT-"),
        ("child.id", "AT-C-0000"),
        ("child.name", "Firstname"),
        ("iro.name", "Your Name"),
        ("iro.phone", "01632 960999"),
        ("iro.email", "your.name@council.example"),
    ]:
        assert any(
            f'{field}: "{value}' in e and "still the template's example" in e for e in found
        ), (
            field,
            found,
        )
