"""A build holds what it needs and lets go of the rest: `yourreview build` keeps only the
records in memory (the plugin reads them again in the same process), not every letter, QR code
and sheet it made; and a build that ends lets go of each generated page's source once MkDocs
has read it, while the preview's build, kept running to re-render saved records, keeps them.
Real builds of the example council."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from test_live_site import differing
from yourreview import cache as cache_module
from yourreview.cache import CACHE_DIR
from yourreview.cli import main
from yourreview.plugin import YourReviewPlugin, build_live

EPOCH = "1764547200"  # sitemap.xml.gz carries a time


def test_build_keeps_only_the_records_in_memory(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "_memory", None)
    monkeypatch.setattr(cache_module, "_kept_kinds", None)
    monkeypatch.delenv("YOURREVIEW_CACHE", raising=False)
    site = tmp_path / "site"
    args = ["--project", str(example), "build", "--audience", "internal", "--site-dir", str(site)]
    assert main(args) == 0
    assert list((site / "letters").glob("*/index.html"))
    assert cache_module._memory
    assert {kind for kind, _ in cache_module._memory} == {"records"}
    # What is not kept in memory is still kept on disk for the next build.
    on_disk = {folder.name for folder in (example / CACHE_DIR).iterdir() if folder.is_dir()}
    assert {"records", "letters", "qr", "pages", "rendered"} <= on_disk


def _generated(plugin: YourReviewPlugin) -> list[str]:
    assert plugin._files is not None
    found = [plugin._files.get_file_from_path(uri) for uri in sorted(plugin._generated)]
    return [f.content_string for f in found if f is not None and f.page is not None]


def test_a_build_that_ends_lets_go_of_page_sources_and_the_preview_keeps_them(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YOURREVIEW_AUDIENCE", "internal")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("YOURREVIEW_CACHE", raising=False)
    # As `mkdocs build` and `yourreview build` run it.
    config = load_config(config_file=str(example / "mkdocs.yml"), site_dir=str(tmp_path / "a"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    plugin = config.plugins["yourreview"]
    assert isinstance(plugin, YourReviewPlugin)
    sources = _generated(plugin)
    assert len(sources) > 20 and set(sources) == {""}
    assert not plugin._pages
    # The preview's build keeps every page's source, to compare with the next save's.
    live = build_live(example / "mkdocs.yml", tmp_path / "b")
    kept = _generated(live.plugin)
    assert len(kept) == len(sources) and all(kept)
    assert sorted(live.plugin._pages) == sorted(live.plugin._generated)
    # The second build took its pages from the first's page cache: the same site, byte for byte.
    assert differing(tmp_path / "a", tmp_path / "b") == []
