"""One declaration per kind of file: the JSON Schema an editor uses agrees with the loader.

Files are read as VS Code's YAML extension reads them (YAML 1.2: `2` is a number, `no` is
text), so these tests see what an IRO typing in the editor would see underlined.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel

from test_records import MISTAKES, PLAIN_MISTAKES, VALID
from yourreview.clock import ClockRules
from yourreview.declared import fields_of
from yourreview.errors import YourReviewError
from yourreview.kinds import (
    KINDS,
    VSCODE_SETTINGS,
    Accessibility,
    Clock,
    Readability,
    Target,
    vscode_settings,
)
from yourreview.newrecord import new_record
from yourreview.readability import DEFAULT_TARGETS, ReadabilityTarget
from yourreview.statement import SETTINGS_FIELDS
from yourreview.yamlsafe import Mapping, Node, Sequence, load_file, parse_text

ROOT = Path(__file__).resolve().parents[1]

# YAML 1.2's core schema: how an editor types a plain (unquoted) scalar.
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)")


def as_editor_sees(node: Node) -> object:
    if isinstance(node, Mapping):
        return {name: as_editor_sees(value) for name, (_, value) in node.items.items()}
    if isinstance(node, Sequence):
        return [as_editor_sees(item) for item in node.items]
    value = node.value
    if node.quoted:
        return value
    if value is None or value in ("null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if _INT.fullmatch(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT.fullmatch(value):
        return float(value.replace("inf", "Infinity").replace("Inf", "Infinity"))
    return value


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / KINDS[kind].schema_file).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def refusals(kind: str, text: str) -> list[str]:
    data = as_editor_sees(parse_text(text, "x.yml"))
    return [error.message for error in validator(kind).iter_errors(data)]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_committed_schemas_are_up_to_date(kind: str) -> None:
    committed = (ROOT / KINDS[kind].schema_file).read_text(encoding="utf-8")
    assert committed == KINDS[kind].json_schema(), "run `make schemas` and commit schemas/"


def test_vscode_maps_every_file_to_its_schema() -> None:
    settings = (ROOT / VSCODE_SETTINGS).read_text(encoding="utf-8")
    assert settings == vscode_settings(settings), "run `make schemas` and commit .vscode/"
    mapped = json.loads(settings)["yaml.schemas"]
    assert mapped["./schemas/record.schema.json"][0] == "minutes/**/*.yml"
    for kind in KINDS.values():
        assert (ROOT / kind.schema_file).exists()
        assert f"./{kind.schema_file}" in mapped


def test_vscode_settings_keep_a_councils_other_settings() -> None:
    kept = json.loads(vscode_settings('{"editor.tabSize": 2, "yaml.schemas": {"old": "x"}}'))
    assert kept["editor.tabSize"] == 2 and "old" not in kept["yaml.schemas"]


def example_files() -> list[tuple[str, Path]]:
    found = []
    for name, kind in KINDS.items():
        for pattern in kind.files:
            found += [(name, path) for path in sorted(ROOT.glob(pattern))]
    return found


@pytest.mark.parametrize(("kind", "path"), example_files(), ids=lambda v: str(v))
def test_every_example_file_validates_against_its_schema(kind: str, path: Path) -> None:
    data = as_editor_sees(load_file(path))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(kind).iter_errors(data)]
    assert errors == []


def test_there_is_an_example_of_every_kind() -> None:
    assert {kind for kind, _ in example_files()} == set(KINDS)


# What only the loader can tell: facts about several fields together, or about the calendar.
ACROSS_FIELDS = (
    "is after the review date",
    "is after coming into care",
    "is for children aged 4 or over",
    "is only for children under 4",
    "is not after the review",
)


@pytest.mark.parametrize(("change", "expected"), MISTAKES + PLAIN_MISTAKES)
def test_what_the_loader_refuses_the_schema_refuses(change: tuple[str, str], expected: str) -> None:
    old, new = change
    text = VALID.replace(old, new)
    if any(words in expected for words in ACROSS_FIELDS):
        assert refusals("record", text) == []  # honest: JSON Schema cannot compare two fields
        return
    assert refusals("record", text), expected


def test_the_valid_record_passes_the_schema() -> None:
    assert refusals("record", VALID) == []


def test_new_names_its_schema_so_an_editor_helps_without_settings() -> None:
    first = new_record(schema="../../schemas/record.schema.json").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/record.schema.json"


def test_new_writes_the_modeline_relative_to_the_file(tmp_path: Path) -> None:
    target = tmp_path / "minutes" / "2027" / "robin-1.yml"
    subprocess.run(
        [sys.executable, "-m", "yourreview.cli", "--project", str(tmp_path), "new", "-o", target],
        check=True,
        capture_output=True,
    )
    first = target.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/record.schema.json"


def test_schema_command_prints_and_writes(tmp_path: Path) -> None:
    def run(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "yourreview.cli", "--project", str(tmp_path), "schema", *args],
            check=True,
            capture_output=True,
            text=True,
            encoding="utf-8",
        ).stdout

    assert json.loads(run("record"))["title"] == "A review record"  # printing needs no council
    (tmp_path / "mkdocs.yml").write_text("site_name: A council\n", encoding="utf-8")
    run()  # writing does: schemas/ and .vscode/ belong beside a council's mkdocs.yml
    for kind in KINDS.values():
        assert (tmp_path / kind.schema_file).read_text(encoding="utf-8") == kind.json_schema()
    assert "yaml.schemas" in json.loads((tmp_path / VSCODE_SETTINGS).read_text(encoding="utf-8"))


COUNCIL = (ROOT / "site_config" / "council.yml").read_text(encoding="utf-8")
GLOSSARY = (ROOT / "site_config" / "glossary.yml").read_text(encoding="utf-8")
QUESTIONS = (ROOT / "site_config" / "questions.yml").read_text(encoding="utf-8")
SETTINGS_MISTAKES = [
    ("council", COUNCIL, "site_url: https://", "site_url: http://"),
    ("council", COUNCIL, "  name: Anytown Council\n", ""),
    ("council", COUNCIL, "  hours: Monday", "  ours: Monday"),
    ("council", COUNCIL, "  phone: 01632 960000\n  email: reviews@anytown.example\n", ""),
    ("council", COUNCIL, "leak_check:\n  ordinary_words: []", "leak_check:\n  ordinary_words: x"),
    (
        "council",
        COUNCIL,
        "  endpoint: https://reviews.anytown.example/",
        "  endpoint: http://forms.",
    ),
    ("glossary", GLOSSARY, "severity_acronyms: warning", "severity_acronyms: loud"),
    ("glossary", GLOSSARY, "    severity: error", "    severity: sometimes"),
    ("glossary", GLOSSARY, "    say: [child in care", "    sya: [child in care"),
    ("questions", QUESTIONS, "    status: approved", "    status: done"),
    ("questions", QUESTIONS, "    version: ", "    versoin: "),
    ("questions", QUESTIONS, "  - id: after-review\n", "  - id: After Review\n"),
    ("questions", QUESTIONS, "        kind: faces", "        kind: stars"),
    ("questions", QUESTIONS, "        kind: faces", "        kind: faces\n        required: yes"),
]


@pytest.mark.parametrize(("kind", "text", "old", "new"), SETTINGS_MISTAKES)
def test_settings_the_loader_refuses_the_schema_refuses(
    tmp_path: Path, kind: str, text: str, old: str, new: str
) -> None:
    from yourreview.council import load_council
    from yourreview.forms import load_forms
    from yourreview.language import load_glossary

    loaders = {"council": load_council, "glossary": load_glossary, "questions": load_forms}

    assert old in text
    path = tmp_path / f"{kind}.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(YourReviewError):
        loaders[kind](path, None if kind == "council" else "x.yml")  # type: ignore[operator]
    assert refusals(kind, text.replace(old, new, 1))


def test_sections_read_by_other_stages_are_declared_with_the_same_fields() -> None:
    def names(model: type[BaseModel]) -> set[str]:
        return {name for name, _, _ in fields_of(model)}

    assert names(Clock) == {f.name for f in dataclasses.fields(ClockRules)} | {"closures"}
    assert names(Readability) == set(DEFAULT_TARGETS)
    assert names(Target) == {f.name for f in dataclasses.fields(ReadabilityTarget)}
    assert names(Accessibility) == set(SETTINGS_FIELDS)


def test_what_new_writes_is_refused_until_filled_in_then_passes() -> None:
    from test_cli import fill_in
    from yourreview.records import read_record

    previous, _ = read_record(ROOT / "minutes" / "2026" / "sam-3.yml", "sam-3.yml")
    blank = new_record(previous)
    assert refusals("record", blank)  # the placeholders and blanks are underlined
    assert refusals("record", fill_in(blank)) == []


FIGURES = (ROOT / "site_config" / "figures.yml").read_text(encoding="utf-8")
THEMES = (ROOT / "site_config" / "themes.yml").read_text(encoding="utf-8")
YOU_SAID = (ROOT / "site_config" / "you-said-we-did.yml").read_text(encoding="utf-8")
PAPER = (ROOT / "feedback" / "paper" / "2025-26" / "before-8-12-p-25a1.yml").read_text(
    encoding="utf-8"
)
# (kind, file, old, new, what the loader says): what JSON Schema can express.
FEEDBACK_MISTAKES = [
    ("figures", FIGURES, "threshold: 5", "threshold: five", '"five" is not a whole number'),
    ("figures", FIGURES, "threshold: 5", "threshold: 0", '"0" is not a whole number'),
    ("figures", FIGURES, "symbol: c", "symbol: 7", '"7" could be read as a number'),
    ("figures", FIGURES, "symbol: c", "symbol: hidden", '"hidden" could be read as a number'),
    ("figures", FIGURES, "symbol: c", "symbol:", "symbol: is empty"),
    ("figures", FIGURES, "symbol: c", "symbol: c\ncolour: red", "colour: is not a field here"),
    ("themes", THEMES, "- theme: Felt safe", "- them: Felt safe", "them: is not a field here"),
    ("themes", THEMES, "  keywords: [safe, calm, comfortable]", "  keywords: []", "no keywords"),
    ("themes", THEMES, "  keywords: [safe, calm, comfortable]", "", "keywords: is missing"),
    ("themes", THEMES, "  keywords: [safe, calm, comfortable]", "  keywords: safe", "a list"),
    ("themes", "theme: Felt safe\nkeywords: [safe]\n", "", "", "should be a list"),
    ("you-said-we-did", YOU_SAID, "when: 2025-06-16", "when: 16/06/2025", "write 2025-06-16"),
    ("you-said-we-did", YOU_SAID, "cicc_seen: no", "cicc_seen: maybe", "not one of the choices"),
    ("you-said-we-did", YOU_SAID, "  we_did: You can now", "  we_do: You can now", "did you mean"),
    ("you-said-we-did", "- you_said: Hard words.\n", "", "", "item 1, we_did: is missing"),
    ("paper", PAPER, "version: 2", "version: two", '"two" is not a whole number'),
    ("paper", PAPER, "received: 2025-05-20", "received: 20/05/2025", "write 2025-05-20"),
    ("paper", PAPER, "id: p-25a1\n", "", "id: is missing"),
    ("paper", PAPER, "form: before-8-12", "form: Before 8-12", "no form called"),
    ("paper", PAPER, "received:", "recieved:", "did you mean `received`?"),
    ("paper", PAPER, '  tell-us: "I want', '  tell-us:\n    mum: "I want', "reads as a field"),
    ("paper", "id: p-1\nform: carer\nanswers: none\n", "", "", "answers: should have fields"),
    ("paper", "- id: p-1\n", "", "", "should hold fields such as `id:`, `form:`, not a list"),
]


def load_feedback_file(kind: str, path: Path) -> object:
    from yourreview.feedback.answerfigures import read_themes
    from yourreview.feedback.paper import read_paper
    from yourreview.feedback.settings import read_figure_settings, read_you_said
    from yourreview.forms import load_forms

    if kind == "paper":
        forms = load_forms(ROOT / "site_config" / "questions.yml", "questions.yml")
        return read_paper(path, path.name, forms)
    loaders = {"figures": read_figure_settings, "themes": read_themes}
    return loaders.get(kind, read_you_said)(path)


@pytest.mark.parametrize(("kind", "text", "old", "new", "says"), FEEDBACK_MISTAKES)
def test_feedback_files_the_loader_refuses_the_schema_refuses(
    tmp_path: Path, kind: str, text: str, old: str, new: str, says: str
) -> None:
    assert old in text
    changed = text.replace(old, new, 1)
    path = tmp_path / f"{kind}.yml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(YourReviewError) as caught:
        load_feedback_file(kind, path)
    assert says in caught.value.report()
    assert str(path.name) in caught.value.report().splitlines()[0]
    assert refusals(kind, changed), changed


def test_what_only_the_forms_know_is_the_loaders_alone(tmp_path: Path) -> None:
    """Which questions a form has, and which answers each allows, are in the council's
    questions.yml, not in the schema every council shares: the loader says it, located."""
    for old, new, says in (
        ('  home: "4"', '  hoem: "4"', "3: answers.hoem: is not a question on this form — did you "
         "mean `home`?"),
        ('  home: "4"', '  home: "9"', '9: answers.home: "How do you feel about where you live?": '
         '"9" is not one of the answers'),
    ):  # fmt: skip
        changed = PAPER.replace(old, new)
        path = tmp_path / "paper.yml"
        path.write_text(changed, encoding="utf-8")
        with pytest.raises(YourReviewError) as caught:
            load_feedback_file("paper", path)
        line = changed.splitlines().index(new) + 1
        assert f"paper.yml:{line}:{says}" in caught.value.report()
        assert refusals("paper", changed) == []


def test_blank_or_missing_feedback_settings_are_the_defaults(tmp_path: Path) -> None:
    from yourreview.feedback.settings import FigureSettings, read_figure_settings, read_you_said

    empty = tmp_path / "figures.yml"
    empty.write_text("threshold:\n", encoding="utf-8")
    assert read_figure_settings(empty) == (FigureSettings(5, "c"), [])
    assert read_figure_settings(tmp_path / "none.yml") == (FigureSettings(5, "c"), [])
    assert read_you_said(tmp_path / "none.yml") == ()


SECTION_MISTAKES = [
    ("clock", "clock:\n  first_review_working_days: twenty\n", "is not a whole number"),
    ("clock", "clock:\n  second_review_months: 0\n", "is not a whole number of 1 or more"),
    ("clock", "clock:\n  later_review_months: 60\n", "60 months is too long to be meant"),
    ("clock", "clock:\n  due_soon_working_day: 5\n", "did you mean `due_soon_working_days`?"),
    ("clock", "clock:\n  closures:\n    - 29/12/2026\n", "write 2026-12-29"),
    ("clock", "clock:\n  closures: 2026-12-29\n", "should be a list"),
    ("readability", "readability:\n  child: {max_reading_age: lots}\n", "between 0 and 100"),
    ("readability", "readability:\n  child: {max_reading_age: 150}\n", "between 0 and 100"),
    ("readability", "readability:\n  toddler: {max_reading_age: 6}\n", "is not a field here"),
    ("accessibility", "accessibility:\n  contact_email: the web team\n", "not an email address"),
    ("accessibility", "accessibility:\n  reply_working_days: 0\n", "is not a whole number"),
    ("accessibility", "accessibility:\n  last_tested: 5/11/2026\n", "write 2026-11-05"),
]


@pytest.mark.parametrize(("section", "text", "says"), SECTION_MISTAKES)
def test_sections_read_by_their_stages_refuse_what_the_schema_refuses(
    section: str, text: str, says: str
) -> None:
    """The clock, readability and accessibility stages read their sections through the same
    declarations the editor's schema comes from."""
    from yourreview.clock import read_clock
    from yourreview.readability import read_targets
    from yourreview.statement import read_accessibility

    council = COUNCIL.split("accessibility:\n")[0] + text  # the example's own section last
    node = parse_text(council, "council.yml")
    assert isinstance(node, Mapping)
    readers = {"clock": read_clock, "readability": read_targets}
    read = readers.get(section, read_accessibility)
    problems = read(node.items[section][1], "council.yml")[-1]  # type: ignore[operator]
    (problem,) = problems
    line = council.splitlines().index(f"{section}:") + 2 + ("    -" in text)
    assert (problem.line, problem.severity.value) == (line, "error")
    assert says in str(problem) and problem.field.startswith(f"{section}.")
    assert refusals("council", council)


def test_every_mistake_in_a_paper_form_is_listed_in_one_run(tmp_path: Path) -> None:
    text = (
        "id: p-1\n"
        "form: carer\n"
        "token: abc\n"  # 3: not a token we made
        "received: 27/11/2026\n"  # 4
        "answers:\n"
        "  went-well: hi\n"  # 6: not one of the choices
        "  wnt-well: yes\n"  # 7: no such question
        "  better: {a: b}\n"  # 8: a field, not text
    )
    path = tmp_path / "paper.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(YourReviewError) as caught:
        load_feedback_file("paper", path)
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {
        (3, "token"),
        (4, "received"),
        (6, "answers.went-well"),
        (7, "answers.wnt-well"),
        (8, "answers.better"),
    }
    report = caught.value.report()
    assert "did you mean `went-well`?" in report and "write 2026-11-27" in report
    with pytest.raises(
        YourReviewError, match=r'paper.yml:3:10: version: "carer" has no version "9"'
    ):
        path.write_text("id: p-1\nform: carer\nversion: 9\nanswers: {}\n", encoding="utf-8")
        load_feedback_file("paper", path)
