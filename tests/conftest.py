"""Shared fixtures: real MkDocs builds of the example council, in temporary folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PARTS = ("mkdocs.yml", "docs", "minutes", "site_config", "templates")

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_example(dest: Path) -> Path:
    """A copy of the example council to change freely in a test."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part)
        elif source.exists():
            shutil.copy2(source, dest / part)
    return dest


def build_site(project: Path, site_dir: Path, audience: str = "public") -> Path:
    """Build with real MkDocs, in this process, as `mkdocs build` would."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    previous = os.environ.get("YOURREVIEW_AUDIENCE")
    os.environ["YOURREVIEW_AUDIENCE"] = audience
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        if previous is None:
            del os.environ["YOURREVIEW_AUDIENCE"]
        else:
            os.environ["YOURREVIEW_AUDIENCE"] = previous
    return site_dir


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build_site(ROOT, tmp_path_factory.mktemp("public") / "site", "public")


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build_site(ROOT, tmp_path_factory.mktemp("internal") / "site", "internal")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "council")
