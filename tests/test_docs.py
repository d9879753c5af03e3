"""The README documents every command, option and setting (datasette's test_docs habit)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from yourreview.cli import build_parser
from yourreview.config import YourReviewConfig
from yourreview.council import SERVICE_FIELDS
from yourreview.derived import field_rows
from yourreview.kinds import KINDS, readme_tables

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_and_option_is_documented(name: str) -> None:
    assert f"`yourreview {name}" in README, name
    for action in commands()[name]._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in README, f"yourreview {name} {flag}"


@pytest.mark.parametrize("option", [name for name, _ in YourReviewConfig._schema])
def test_every_plugin_option_is_documented(option: str) -> None:
    assert f"`{option}`" in README


@pytest.mark.parametrize(
    "setting",
    [
        "council.name",
        "council.site_url",
        "iro_team",
        "advocacy",
        "leak_check.ordinary_words",
        "forms.endpoint",
        "forms.other_ways",
        "clock",
        "readability",
        *SERVICE_FIELDS,
    ],
)
def test_every_council_setting_is_documented(setting: str) -> None:
    assert f"`{setting}`" in README or setting in README


def test_the_token_key_is_documented() -> None:
    assert "YOURREVIEW_TOKEN_KEY" in README


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_readme_tables_of_fields_are_the_declarations(kind: str) -> None:
    assert f"<!-- fields: {kind} -->" in README, kind
    assert readme_tables(README) == README, "run `yourreview schema` to refresh the README"
    for where, _, _ in field_rows(KINDS[kind].model):
        assert f"`{where}`" in README, where
