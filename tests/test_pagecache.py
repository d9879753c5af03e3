"""The internal build keeps each generated page as its template rendered it, and a rebuild
takes it back only while nothing the page sees has changed.

Real builds of the example council: every site compared here is compared, file by file and
byte for byte (search index, `_headers`, sitemap included), with a clean build.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

from conftest import build_site, copy_example
from test_cache import change_one_record, entries, tree
from yourreview import cache as cache_module
from yourreview.cache import CACHE_DIR, Cache
from yourreview.pagecache import (
    KIND,
    STUB,
    Entry,
    PageCache,
    Unsafe,
    _installed_themes,
    _theme_digest,
    canon,
    fingerprint,
)
from yourreview.plugin import KNOWN_PLUGINS

EPOCH = "1764547200"  # sitemap.xml.gz carries a time
OVERRIDES = '{% extends "base.html" %}\n'


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> list[PageCache]:
    """Every build's page cache, to count what it took from the cache."""
    made: list[PageCache] = []
    original = PageCache.__init__

    def init(self: PageCache, cache: Cache, site: str) -> None:
        original(self, cache, site)
        made.append(self)

    monkeypatch.setattr(PageCache, "__init__", init)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("YOURREVIEW_CACHE", raising=False)
    return made


def clean_build(project: Path, site: Path) -> dict[str, bytes]:
    shutil.rmtree(project / CACHE_DIR, ignore_errors=True)
    return tree(build_site(project, site, "internal"))


def same(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(a) == sorted(b)
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, differ[:5]
    for name in ("search/search_index.json", "_headers", "sitemap.xml"):
        assert name in a


def test_a_warm_rebuild_takes_unchanged_pages_from_the_cache_and_equals_a_clean_build(
    tmp_path: Path, kept: list[PageCache]
) -> None:
    project = copy_example(tmp_path / "council")
    cold = tree(build_site(project, tmp_path / "cold", "internal"))
    first = kept[-1]
    assert first.hits == 0 and first.renders > 50
    assert entries(project, KIND)
    assert not any(STUB.encode() in data for data in cold.values())
    # A cut-off entry is a miss, not a wrong page.
    broken = next((project / CACHE_DIR / KIND).rglob("*/*"))
    broken.write_bytes(broken.read_bytes()[:-10])

    change_one_record(project)
    warm = tree(build_site(project, tmp_path / "warm", "internal"))
    rebuilt = kept[-1]
    # The changed letter, the next review's, the pages that list or check them, the cut-off
    # entry and the one page rendered again to check the cache: a handful, not the site.
    assert rebuilt.hits >= first.renders - 12, (rebuilt.hits, rebuilt.renders)
    assert 3 <= rebuilt.renders <= 12
    assert b"whole books on your own" in warm["letters/AT-2026-0455/index.html"]

    clean = clean_build(project, tmp_path / "clean")
    same(warm, clean)


def test_a_kept_page_that_differs_from_its_render_stops_the_cache_for_that_build(
    tmp_path: Path, kept: list[PageCache], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    project = copy_example(tmp_path / "council")
    clean = tree(build_site(project, tmp_path / "first", "internal"))
    store = Cache(project / CACHE_DIR)
    # Every entry rewritten, well formed, with a page that is not what its template makes.
    for path in (project / CACHE_DIR / KIND).rglob("*/*"):
        data = store.get(KIND, path.name)
        assert data is not None
        entry: Entry = pickle.loads(data)
        wrong = Entry(entry.rendered.replace("</body>", "<p>poisoned</p></body>"), "", ())
        store.put(KIND, path.name, pickle.dumps(wrong))

    again = tree(build_site(project, tmp_path / "again", "internal"))
    assert kept[-1].hits == 0 and not kept[-1].trusted
    assert "did not match" in caplog.text
    same(again, clean)


@pytest.fixture(scope="module")
def warm_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example with a theme folder of its own, built once: its page cache is full."""
    project = copy_example(tmp_path_factory.mktemp("warm") / "council")
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text(OVERRIDES, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.delenv("YOURREVIEW_CACHE", raising=False)
        build_site(project, project.parent / "site", "internal")
    yield project


def _theme(project: Path) -> str:
    main = project / "overrides" / "main.html"
    main.write_text(
        OVERRIDES + '{% block extrahead %}<meta name="x-changed" content="theme">{% endblock %}\n',
        encoding="utf-8",
    )
    return '<meta name="x-changed" content="theme">'


def _mkdocs_yml(project: Path) -> str:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("site_description: ", "site_description: Changed. "), encoding="utf-8"
    )
    return 'content="Changed. '


def _extra_css(project: Path) -> str:
    (project / "docs" / "extra.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as out:
        out.write("extra_css:\n  - extra.css\n")
    return "extra.css"


def _nav(project: Path) -> str:
    (project / "docs" / "contact.md").write_text("# Talk to us\n\nCall us.\n", encoding="utf-8")
    return "Talk to us"


@pytest.mark.parametrize("change", [_theme, _mkdocs_yml, _extra_css, _nav])
def test_what_every_page_sees_changed_so_every_page_is_rendered(
    warm_project: Path, tmp_path: Path, kept: list[PageCache], change: Callable[[Path], str]
) -> None:
    project = tmp_path / "council"
    shutil.copytree(warm_project, project)
    assert entries(project, KIND)
    seen = change(project).encode()
    site = tree(build_site(project, tmp_path / "site", "internal"))
    # Missed by key, not caught by the check of the first page found (nothing was found).
    assert kept[-1].hits == 0 and kept[-1].renders > 50
    assert kept[-1].trusted and not kept[-1].verified
    assert seen in site["letters/AT-2026-0455/index.html"]


def test_the_public_build_never_reads_or_writes_kept_pages(
    warm_project: Path, tmp_path: Path, kept: list[PageCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "council"
    shutil.copytree(warm_project, project)
    before = entries(project, KIND)
    assert before
    asked: list[str] = []
    get, put = cache_module.Cache.get, cache_module.Cache.put

    def spy_get(self: Cache, kind: str, key: str) -> bytes | None:
        asked.append(kind)
        return get(self, kind, key)

    def spy_put(self: Cache, kind: str, key: str, data: bytes) -> None:
        asked.append(kind)
        put(self, kind, key, data)

    monkeypatch.setattr(cache_module.Cache, "get", spy_get)
    monkeypatch.setattr(cache_module.Cache, "put", spy_put)
    site = build_site(project, tmp_path / "public", "public")
    assert asked and KIND not in asked
    assert not kept
    assert entries(project, KIND) == before
    assert not (site / "letters").exists()


def test_an_unknown_plugin_or_a_setting_with_no_stable_value_turns_it_off() -> None:
    with pytest.raises(Unsafe, match="tags"):
        fingerprint({}, [], [], {"search": None, "tags": object()}, KNOWN_PLUGINS)
    with pytest.raises(Unsafe, match=r"extra\.thing"):
        canon({"thing": object()}, "extra")
    assert canon({"b": [1, (2,)], "a": print}, "x") == {"b": [1, [2]], "a": "builtins.print"}


def test_an_installed_theme_is_known_by_its_version_and_a_folder_of_our_own_by_content(
    tmp_path: Path,
) -> None:
    import material

    installed = _installed_themes()
    templates = Path(material.__file__).parent / "templates"
    package = templates.parent.resolve()
    assert installed[package] == f"mkdocs-material=={metadata.version('mkdocs-material')}"
    # Material's 14,500 files are not looked at: another version is another fingerprint.
    assert _theme_digest(templates, installed) != _theme_digest(
        templates, {package: "mkdocs-material==0"}
    )
    ours = tmp_path / "overrides"
    ours.mkdir()
    (ours / "main.html").write_text(OVERRIDES, encoding="utf-8")
    before = _theme_digest(ours, installed)
    (ours / "main.html").write_text(OVERRIDES + "<!-- changed -->\n", encoding="utf-8")
    assert _theme_digest(ours, installed) != before
