"""Rendered pages kept between builds: a generated page whose content and surroundings did not
change is not drawn through the theme's templates again.

Most of a rebuild after one record changed is MkDocs rendering every page through Material's
templates (the nav on every page, the header). So each generated page's template output is
kept in the cache (`rendered/`), keyed by the page itself (its content, addresses, title,
neighbours) and by a fingerprint of everything else its templates see: the configuration as
MkDocs resolved it, every file of the theme, the nav (titles, addresses and meta of every
page in it), and the versions of MkDocs, the theme and the Markdown libraries.

On a hit the page still goes through every MkDocs event as in a full build: the search plugin
indexes it in `on_page_context`, every plugin's `on_post_page` runs on what the template would
have given, and the headers' inline code is taken from the page as written (read back from
the entry only when the written page is the one the entry saw). Only the template's render is
skipped: the page is given a one-line template (`STUB`) that writes out the kept output.

What cannot be fingerprinted safely turns the page cache off for the build (and says why): a
plugin other than ours and the search plugin (its events could depend on anything), or a
setting whose value has no stable text. As a last guard, the first page found in the cache in
each build is also rendered in full and compared: if they differ, nothing is taken from the
cache in that build (a template reading the date, say).

Only the internal build uses it. The entries hold letters, so personal data, like the rest of
the cache; the public build neither reads nor writes them.

Only `plugin` calls this module, handing it MkDocs' objects (this module does not import MkDocs).
"""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import Cache, code_version, digest, folder_digest
from .hosting import Inline

KIND = "rendered"
STUB = "yourreview-rendered.html"  # the one-line template a generated page is given
STUB_SOURCE = "{{ yourreview_rendered }}"
CONTEXT_KEY = "yourreview_rendered"

# Whose code shapes a page besides ours (which `code_version` covers) and the theme's files.
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "babel")

# Settings that never reach a page: where the site is written (a clean build into another
# folder gives the same pages) and the plugins (fingerprinted on their own, below).
NOT_SEEN = {"site_dir", "plugins"}


class Unsafe(Exception):
    """A setting or plugin whose effect on a page has no stable fingerprint."""


@dataclass(frozen=True)
class Entry:
    """One page as its template rendered it, and the inline code of the page MkDocs then
    wrote (`written`: the digest of that page, so the inline code serves only that page)."""

    rendered: str
    written: str
    inline: tuple[Inline, ...]


def fingerprint(
    config: Mapping[str, Any],
    theme_dirs: Sequence[str],
    nav_items: Sequence[Any],
    plugins: Mapping[str, Any],
    known: Iterable[str],
) -> str:
    """Everything but the page itself that a generated page's HTML depends on; raises Unsafe."""
    unknown = sorted(set(plugins) - set(known))
    if unknown:
        raise Unsafe(f"plugin {', '.join(unknown)} (its page events could depend on anything)")
    settings = {key: canon(value, key) for key, value in config.items() if key not in NOT_SEEN}
    settings["plugins"] = {
        name: canon(dict(getattr(plugin, "config", {})), f"plugins.{name}")
        for name, plugin in plugins.items()
    }
    parts: list[str | bytes] = [code_version(), json.dumps(settings, sort_keys=True)]
    parts += [f"{name}={_version(name)}" for name in LIBRARIES]
    installed = _installed_themes()
    parts += [_theme_digest(Path(folder), installed) for folder in theme_dirs]
    parts.append(json.dumps([_nav_item(item) for item in nav_items], sort_keys=True))
    return digest(*parts)


def canon(value: Any, where: str) -> Any:
    """A setting as JSON-able data with no memory addresses in it; raises Unsafe if it has none."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {str(k): canon(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [canon(v, where) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if hasattr(value, "items") and callable(value.items):  # MkDocs' Theme, LegacyConfig
        return {"type": type(value).__name__, **canon(dict(value.items()), where)}
    text = repr(value)
    if " at 0x" in text:
        raise Unsafe(f"setting {where} ({type(value).__name__} has no stable value)")
    return text


def _nav_item(item: Any) -> Any:
    """What a page's nav shows of one nav entry, and of everything under it."""
    meta = getattr(item, "meta", None) or {}
    return {
        "type": type(item).__name__,
        "title": getattr(item, "title", None),
        "url": getattr(item, "url", None),
        "meta": json.loads(json.dumps(meta, sort_keys=True, default=str)),
        "children": [_nav_item(child) for child in getattr(item, "children", None) or []],
    }


def _theme_digest(folder: Path, installed: Mapping[Path, str]) -> str:
    """A theme folder's files: by content; or, inside a package installed with a MkDocs theme
    (Material, MkDocs' own), by that package's name and version, which change whenever pip
    puts other files there (stat-ing Material's 14,500 files took ~0.2 s at every build). Any
    other installed folder: by name, size and time of change of each file."""
    where = folder.resolve()
    for package, version in installed.items():
        if where == package or package in where.parents:
            return digest(where.as_posix(), version)
    if not any(part in ("site-packages", "dist-packages") for part in folder.parts):
        return folder_digest(folder)
    parts: list[str | bytes] = [folder.as_posix()]
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            stat = os.stat(os.path.join(root, name))
            parts.append(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*parts)


def _installed_themes() -> dict[Path, str]:
    """The folder of each installed package that gives MkDocs a theme (its `mkdocs.themes`
    entry point), with the name and version of what installed it. An editable install has no
    such folder (its files live elsewhere), so its theme is read by content instead."""
    found: dict[Path, str] = {}
    for entry in metadata.entry_points(group="mkdocs.themes"):
        dist = entry.dist
        if dist is None:
            continue
        package = Path(str(dist.locate_file(entry.module.split(".")[0])))
        if package.is_dir():
            found[package.resolve()] = f"{dist.metadata['Name']}=={dist.version}"
    return found


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


class PageCache:
    """The generated pages of one build, each rendered from the cache or through its template."""

    def __init__(self, cache: Cache, site: str) -> None:
        self.cache, self.site = cache, site
        self.templates: dict[str, str] = {}  # src_uri -> the template it would have had
        self.keys: dict[str, str] = {}  # src_uri -> its entry's key
        self.made: dict[str, str] = {}  # src_uri -> what its template rendered, this build
        self.found: dict[str, Entry] = {}  # src_uri -> its entry, read this build
        self.verified = False  # the first entry found was compared with a real render
        self.trusted = True  # False once an entry differed from the page's real render
        self.hits = 0
        self.renders = 0

    def stub(self, src_uri: str, page: Any, own: str) -> None:
        """Give a generated page the one-line template; `own` is its `page_digest`."""
        meta = page.meta
        self.templates[src_uri] = meta.get("template", "main.html")
        self.keys[src_uri] = digest(self.site, own)
        meta["template"] = STUB

    def render(self, src_uri: str, page: Any, context: dict[str, Any], env: Any) -> None:
        """In the page's `on_page_context`, last: put its template output into the context for
        the stub, from the cache or from its real template with this very context."""
        if page.meta.get("template") != STUB:  # not given it (or read again by the preview)
            return
        template = self.templates.pop(src_uri)
        page.meta["template"] = template  # as it was, for anything that looks after
        entry = self._entry(self.keys[src_uri]) if self.trusted else None
        made = None
        if entry is None or not self.verified:
            made = env.get_template(template).render(context)
            self.renders += 1
        if entry is not None and not self.verified:
            self.verified = True
            if made != entry.rendered:
                self.trusted, entry = False, None
        if entry is not None:
            self.hits += 1
            self.found[src_uri] = entry
            context[CONTEXT_KEY] = entry.rendered
        else:
            assert made is not None
            context[CONTEXT_KEY] = self.made[src_uri] = made

    def inline(
        self, src_uri: str, output: str, scan: Callable[[str], list[Inline]]
    ) -> list[Inline]:
        """The written page's inline code: from its entry if this is the page it saw; a page
        rendered afresh is scanned and kept with its template's output."""
        written = digest(output)
        entry = self.found.pop(src_uri, None)
        if entry is not None and entry.written == written:
            return list(entry.inline)
        found = scan(output)
        rendered = self.made.pop(src_uri, None)
        if rendered is not None and src_uri in self.keys:
            data = Entry(rendered, written, tuple(found))
            self.cache.put(KIND, self.keys[src_uri], pickle.dumps(data, pickle.HIGHEST_PROTOCOL))
        return found

    def _entry(self, key: str) -> Entry | None:
        data = self.cache.get(KIND, key)
        if data is None:
            return None
        try:
            entry = pickle.loads(data)
        except Exception:  # an entry from an incompatible build: render the page
            return None
        return entry if isinstance(entry, Entry) else None


def page_digest(page: Any) -> str:
    """What of the page itself its templates see: its source, addresses, title, where it is
    in the nav (its neighbours, its sections) and how it is included. All of it is settled
    once MkDocs has read the page (`on_page_content`), when its source may be let go."""
    file = page.file
    return digest(
        file.src_uri,
        file.dest_uri,
        str(file.inclusion),
        file.content_string,
        str(page.url),
        str(page.canonical_url),
        str(page.edit_url),
        str(page.title),
        str(getattr(page.previous_page, "url", None)),
        str(getattr(page.next_page, "url", None)),
        json.dumps([getattr(a, "title", None) for a in page.ancestors], default=str),
    )
