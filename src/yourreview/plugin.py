"""The MkDocs adapter: read the council's files, add the generated pages, check for leaks.

Thin on purpose: everything here calls modules that do not know MkDocs, so the core can move to
another generator cheaply.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from .cache import CACHE_DIR
from .checks import LetterCheck, check_project, errors_in
from .config import YourReviewConfig
from .errors import Problem, YourReviewError, display_path, plural
from .hosting import Inline, hashes_of, origin_of, scan_inline, site_inline, write_headers
from .leaks import project_identifiers, scan_site
from .pagecache import KIND, STUB, STUB_SOURCE, PageCache, Unsafe, fingerprint, page_digest
from .pages import ASSETS, Audience, Page, changed_letters, pages_for
from .project import PREVIEW_ORIGIN, Paths, Project, load_project
from .render import one_html_block

log = get_plugin_logger(__name__)


class YourReviewPlugin(BasePlugin[YourReviewConfig]):
    # Our generated pages are already HTML: hand it to MkDocs as the page's content instead of
    # letting Python-Markdown parse it again (the same HTML; tests switch this off to prove it).
    skip_markdown = True

    def __init__(self) -> None:
        self.project: Project | None = None
        self.paths: Paths | None = None
        # Every problem the last build found: the preview shows them in the browser.
        self.problems: list[Problem] = []
        self.checked: tuple[list[Problem], list[LetterCheck]] | None = None
        self._generated: set[str] = set()  # src_uri of every page we add
        self._html: dict[str, str] = {}  # src_uri -> its HTML, between the two page events
        self._inline: dict[str, list[Inline]] = {}  # dest_uri -> inline code, as written
        self._pages: dict[str, Page] = {}  # what on_files added, by src_uri
        self._nav: Any = None  # MkDocs' nav and theme environment, kept for `LiveSite`
        self._env: Any = None
        self._files: Files | None = None
        self._pagecache: PageCache | None = None  # the internal build's rendered pages
        self._own_keys: dict[str, str] = {}  # src_uri -> its `page_digest`, once MkDocs read it
        # Kept running after its build (`build_live`, the preview), so it keeps every generated
        # page's source to compare; a build that ends lets go of each once MkDocs has read it.
        self.live = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.paths = Paths.under(
            root, self.config.minutes_dir, self.config.templates_dir, self.config.site_config_dir
        )
        docs = Path(config.docs_dir).resolve()
        for raw in (self.paths.minutes, self.paths.site_config):
            if docs == raw.resolve() or docs in raw.resolve().parents:
                raise PluginError(
                    f"{raw} is inside docs_dir ({docs}): MkDocs would publish it. "
                    "Keep minutes/ and site_config/ beside mkdocs.yml."
                )
        cache = root / CACHE_DIR  # personal data, like minutes/: never published
        for name, folder in (("docs_dir", docs), ("site_dir", Path(config.site_dir).resolve())):
            if folder == cache.resolve().parent or folder in cache.resolve().parents:
                raise PluginError(
                    f"{name} ({folder}) holds Your Review's cache ({cache}), which holds "
                    f"personal data: choose a {name} inside the folder with mkdocs.yml."
                )
        self.load_project()
        for uri in ASSETS:
            links = config.extra_css if uri.endswith(".css") else config.extra_javascript
            if uri not in links:
                links.append(uri)
        add_theme_overrides(config)
        return config

    def load_project(self, saved: Collection[Path] = ()) -> None:
        """Read the council's files (again, for `LiveSite.refresh`: `saved` are the files saved
        since) and, internally, check them."""
        assert self.paths is not None
        # The internal site carries on for every record that reads; the public one refuses,
        # because its figures would be wrong.
        internal = self.config.audience == "internal"
        previous, self.project, self.checked, self.problems = self.project, None, None, []
        self.project = self.read_project(previous, saved)
        if internal:
            # Errors fail `build --strict`; each letter shows its own in its findings box.
            self.checked = check_project(self.project)
            self.problems = sorted(self.checked[0])
            for problem in errors_in(self.problems):
                log.warning("%s", problem)
            unread = self.project.minutes.unread
            if unread:
                log.warning(
                    "%s could not be read, so %s no letter: %s",
                    plural(len(unread), "record"),
                    "has" if len(unread) == 1 else "have",
                    ", ".join(u.source for u in unread),
                )

    def read_project(
        self, previous: Project | None = None, saved: Collection[Path] = ()
    ) -> Project:
        """The council's files as the site shows them. `previous`: the project read before, in
        this process, whose compiled templates serve again if no template or setting changed;
        `saved`: the files saved since it was read (only saved records are read again)."""
        assert self.paths is not None
        internal = self.config.audience == "internal"
        previous = previous or self.project
        try:
            project = load_project(
                self.paths,
                partial=internal,
                before=previous if saved else None,
                saved=saved,
                defer=not internal,  # the public figures may come whole from the cache
            )
        except YourReviewError as exc:
            self.problems = list(exc.problems)
            raise PluginError("Your Review found problems:\n" + exc.report()) from exc
        origin = os.environ.get(PREVIEW_ORIGIN)
        if internal and origin:  # built by `yourreview preview`: forms post back to it
            project = project.served_at(origin)
        if previous is None or project.env is previous.env:
            return project  # read with `previous`'s settings and templates: nothing to compare
        if previous.loaded_inputs == project.loaded_inputs:
            project = replace(project, env=previous.env)
        return project

    def generated_pages(self, config: MkDocsConfig) -> list[Page]:
        assert self.project is not None
        audience: Audience = "internal" if self.config.audience == "internal" else "public"
        try:
            pages = pages_for(self.project, audience, config.use_directory_urls, self.checked)
        except YourReviewError as exc:  # e.g. feedback/quotes.yml does not read
            self.problems = [*self.problems, *exc.problems]
            raise PluginError("Your Review found problems:\n" + exc.report()) from exc
        self._pages = {page.uri: page for page in pages} if self.live else {}
        return pages

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        pages = self.generated_pages(config)
        for page in pages:
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(
                File.generated(config, page.uri, content=page.content, inclusion=inclusion)
            )
        self._generated = {page.uri for page in pages}
        self._inline, self._own_keys = {}, {}
        letters = sum(1 for p in pages if p.uri.startswith("letters/") and not p.in_nav)
        log.info(
            "%s site: %d letters, %d generated files", self.config.audience, letters, len(pages)
        )
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        if self.skip_markdown and uri in self._generated and one_html_block(markdown):
            self._html[uri] = markdown.strip()  # what Markdown would make of it
            return ""
        return markdown

    def on_page_content(self, html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        if uri in self._generated:
            if self.keeps_pages():
                self._own_keys[uri] = page_digest(page)
            if not self.live:
                # Read, and never read again: without this, every page is held twice (its
                # source and its HTML) to the end of the build, ~150 MB at 10,000 reviews.
                page.file.content_string = ""
        return self._html.pop(uri, html)

    def keeps_pages(self) -> bool:
        """Whether this build keeps generated pages as rendered (`pagecache`): the internal
        build, with a cache folder."""
        project = self.project
        return (
            self.config.audience == "internal"
            and project is not None
            and project.cache.folder is not None
        )

    @event_priority(-100)  # last: the context is complete, as the template would see it
    def on_page_context(self, context: Any, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        if self._pagecache is not None:
            self._pagecache.render(page.file.src_uri, page, context, self._env)
        return context

    @event_priority(-100)  # last, so the inline code is hashed from what MkDocs writes
    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        dest = page.file.dest_uri
        if self._pagecache is not None:
            scan = lambda text: scan_inline(text, dest)  # noqa: E731
            self._inline[dest] = self._pagecache.inline(page.file.src_uri, output, scan)
        else:
            self._inline[dest] = scan_inline(output, dest)
        return output

    @event_priority(-100)  # last: the environment the pages are rendered with
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        self._env, self._files = env, files
        self._pagecache = self.page_cache(env, config, files)
        return env

    def page_cache(self, env: Any, config: MkDocsConfig, files: Files) -> PageCache | None:
        """The internal build's kept pages (never the public build's), with every generated
        page given the one-line template; None when a page's surroundings have no safe
        fingerprint (then every page is rendered, as without a cache)."""
        from jinja2 import ChoiceLoader, DictLoader

        project = self.project
        if project is None or not self.keeps_pages():
            return None
        try:
            site = fingerprint(
                config, config.theme.dirs, self._nav.items, config.plugins, KNOWN_PLUGINS
            )
        except Unsafe as exc:
            log.info("rendered pages not kept: %s; every page is rendered", exc)
            return None
        env.loader = ChoiceLoader([DictLoader({STUB: STUB_SOURCE}), env.loader])
        kept = PageCache(project.cache, site)
        for uri in sorted(self._generated):
            file = files.get_file_from_path(uri)
            if file is not None and file.page is not None and uri in self._own_keys:
                kept.stub(uri, file.page, self._own_keys[uri])
        return kept

    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        self._nav = nav
        # A folder's section is named after the folder ("Cicc"): name it as its index page is.
        for item in nav.items:
            for child in getattr(item, "children", None) or []:
                title = SECTION_TITLES.get(getattr(getattr(child, "file", None), "src_uri", ""))
                if title:
                    item.title = title
        return nav

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        assert self.paths is not None
        for folder in self.paths.watched():
            server.watch(str(folder))
        return server

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.project is None:
            return
        project = self.project
        site = Path(config.site_dir)
        self.write_headers(site)
        if self._pagecache is not None:
            kept = self._pagecache
            log.info("rendered pages: %d from the cache, %d rendered", kept.hits, kept.renders)
            if not kept.trusted:  # safe, so not a warning: `build --strict` carries on
                log.info(
                    "a page kept in %s/%s did not match the same page rendered again: nothing "
                    "was taken from it in this build (a template that reads the date?)",
                    CACHE_DIR,
                    KIND,
                )
        if self.config.audience != "public":
            return
        ids = project_identifiers(project)
        leaks = scan_site(site, ids, [Path(d) for d in config.theme.dirs])
        if leaks:
            listed = "\n".join(f"  {leak}" for leak in leaks[:50])
            more = f"\n  … and {len(leaks) - 50} more" if len(leaks) > 50 else ""
            raise PluginError(
                f"Leak check: the public site in {site} holds personal data from the minutes "
                "or the answers. "
                f"Nothing was published; delete {site} before sharing anything.\n{listed}{more}\n"
                "If a name is also an ordinary word on your pages (e.g. 'Will'), add it to "
                "leak_check.ordinary_words in site_config/council.yml. Words from a written answer "
                "may reach the public site only as a quote a person approved (feedback/quotes.yml)."
            )
        log.info("leak check: no personal data in %s (%d identifiers checked)", site, len(ids))

    def write_headers(self, site: Path) -> None:
        assert self.project is not None
        endpoint = self.project.council.form_endpoint
        audience: Audience = "internal" if self.config.audience == "internal" else "public"
        hashes = hashes_of(site_inline(site, self._inline))  # reads only pages not seen above
        write_headers(site, audience, [origin_of(endpoint)] if endpoint else [], hashes)


# Our overrides of Material's templates: real header buttons with names, no empty tabindex, no
# autocomplete on checkboxes. Shipped with the plugin, so no council copies them.
THEME_OVERRIDES = Path(__file__).parent / "theme"


def add_theme_overrides(config: MkDocsConfig) -> None:
    """Put our overrides before Material's templates, after a council's own custom_dir."""
    theme = config.theme
    if theme.name != "material" or str(THEME_OVERRIDES) in theme.dirs:
        return
    theme.dirs.insert(1 if theme.custom_dir else 0, str(THEME_OVERRIDES))


def build_site(config_file: Path, site_dir: Path) -> list[Problem]:
    """Build the site into `site_dir` with MkDocs, in this process, never strict (the preview's
    build): return the problems Your Review found, or raise YourReviewError with them when
    there is no site to show."""
    return build_live(config_file, site_dir).problems


def build_live(config_file: Path, site_dir: Path) -> LiveSite:
    """`build_site`, keeping MkDocs' view of the site in memory for `LiveSite.refresh`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=False)
    except MkDocsException as exc:
        where = config_file.name
        raise YourReviewError(
            [Problem(where, 0, 0, "", str(exc), f"correct {where}", kind="config")]
        ) from None
    plugin = config.plugins.get("yourreview")
    if not isinstance(plugin, YourReviewPlugin):
        problem = Problem(
            config_file.name, 0, 0, "plugins", "does not list yourreview", "add `- yourreview`"
        )
        raise YourReviewError([problem])
    plugin.live = True  # `LiveSite.refresh` compares each page's source with the new one
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except Abort as exc:
        found = plugin.problems or [
            Problem(config_file.name, 0, 0, "", f"MkDocs stopped: {exc}", "see the terminal")
        ]
        raise YourReviewError(found) from None
    finally:
        config.plugins.on_shutdown()
    return LiveSite(config, plugin)


def run_mkdocs(args: Sequence[str], env: dict[str, str]) -> int:
    """`mkdocs <args>` run in this process, with `env` set for it (mkdocs.yml reads the
    audience from it); its exit code. MkDocs' command line always ends in SystemExit."""
    from mkdocs.__main__ import cli

    before = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        cli.main(args=list(args), prog_name="mkdocs")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return 0


# The plugins whose page events `LiveSite.refresh` knows how to replay for one page: ours, and
# Material's search (whose index it updates in place). Any other: a full build, to be safe.
KNOWN_PLUGINS = {"yourreview", "material/search", "search"}


class LiveSite:
    """A site MkDocs built in this process, with its files, nav and theme kept in memory, so a
    change to the records re-renders only the generated pages whose content changed, each
    exactly as a full build renders it (the same MkDocs calls, in the same order)."""

    def __init__(self, config: MkDocsConfig, plugin: YourReviewPlugin) -> None:
        self.config, self.plugin = config, plugin

    @property
    def problems(self) -> list[Problem]:
        return self.plugin.problems

    def replayable(self) -> bool:
        plugin = self.plugin
        known = not set(self.config.plugins) - KNOWN_PLUGINS
        return known and None not in (plugin._files, plugin._nav, plugin._env)

    def refresh_letters(self, saved: Collection[Path]) -> list[str]:
        """First, only the letters of the records saved (and of the reviews after them, which
        say what happened since), made as `refresh` will make them: the IRO sees their change
        in seconds. Return their addresses: none for a record that did not read, is new or was
        deleted (`refresh` then finds that only a full build will do)."""
        plugin = self.plugin
        if not saved or not self.replayable():
            return []
        try:
            project = plugin.read_project(saved=saved)
        except PluginError:
            return []
        root = project.paths.root
        sources = {display_path(path, root) for path in saved}
        letters = [
            page
            for page in changed_letters(project, self.config.use_directory_urls, sources)
            if page.uri in plugin._pages and page.content != plugin._pages[page.uri].content
        ]
        if not letters or not self._render(letters):
            return []
        return [page.uri for page in letters]

    def refresh(self, saved: Collection[Path] = ()) -> list[str] | None:
        """Read the project again (`saved`: the records saved since the last read, if that is
        all that changed) and re-render, in place, every generated page that changed;
        return their addresses. None when only a full build would be right: a page added or
        removed, a page in the nav renamed, a plugin we cannot replay, the project unreadable.
        After None the site on disk may be half updated: build it again."""
        plugin = self.plugin
        if not self.replayable():
            return None
        before = plugin._pages
        try:
            plugin.load_project(saved)
        except PluginError:
            return None
        now = {page.uri: page for page in plugin.generated_pages(self.config)}
        listed = [(p.uri, p.in_nav) for p in before.values()]
        if listed != [(p.uri, p.in_nav) for p in now.values()]:
            return None
        changed = [page for uri, page in now.items() if page.content != before[uri].content]
        return [page.uri for page in changed] if self._render(changed) else None

    def _render(self, pages: Sequence[Page]) -> bool:
        """Render these generated pages again into the site, with their new content, and the
        search index and headers after them; False if a page in the nav changed its title."""
        from mkdocs.commands.build import _populate_page, get_context
        from mkdocs.structure.files import InclusionLevel

        config, plugin = self.config, self.plugin
        files, nav, env = plugin._files, plugin._nav, plugin._env
        assert files is not None
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        try:
            search = _search_plugin(config)
        except PluginError:
            return False
        policy = False  # whether the headers' hashes may have changed
        for made in pages:
            file = files.get_file_from_path(made.uri)
            page = file.page if file is not None else None
            if file is None or page is None:
                return False
            title, inline = page.title, _code(plugin._inline.get(file.dest_uri, []))
            file.content_string = made.content
            _populate_page(page, config, files)
            if made.in_nav and page.title != title:
                return False  # every page's nav shows it: a full build
            # What mkdocs.commands.build._build_page does, but written whole or not at all: the
            # preview is serving this folder meanwhile.
            config._current_page = page
            page.active = True
            try:
                context = get_context(nav, doc_files, config, page)
                template = env.get_template(page.meta.get("template", "main.html"))
                with _in_place(search, page.url):
                    context = config.plugins.on_page_context(
                        context, page=page, config=config, nav=nav
                    )
                output = config.plugins.on_post_page(
                    template.render(context), page=page, config=config
                )
            finally:
                page.active = False
                config._current_page = None
            _write(Path(file.abs_dest_path), output.encode("utf-8", errors="xmlcharrefreplace"))
            plugin._pages[made.uri] = made
            policy |= _code(plugin._inline.get(file.dest_uri, [])) != inline
        if pages:
            site = Path(config.site_dir)
            if search is not None:  # as its on_post_build writes it
                data = search.search_index.generate_search_index(search.search_index_prev)
                _write(site / "search" / "search_index.json", data.encode("utf-8"))
            if policy:
                plugin.write_headers(site)
        return True


def _code(found: Sequence[Inline]) -> set[tuple[str, str]]:
    """What the policy's hashes are taken from (not where in the page it is)."""
    return {(item.kind, item.text) for item in found}


def _search_plugin(config: MkDocsConfig) -> Any:
    """Material's search plugin (its index holds entries in page order), or None without it."""
    for name in ("material/search", "search"):
        found = config.plugins.get(name)
        if found is not None:
            if not isinstance(getattr(getattr(found, "search_index", None), "entries", None), list):
                raise PluginError(f"the {name} plugin is not Material's: cannot update it")
            return found
    return None


class _in_place:
    """Around one page's `on_page_context`: its entries in the search index replaced where
    they were, so the index is in the same order as a full build's."""

    def __init__(self, search: Any, url: str) -> None:
        self.entries: list[dict[str, Any]] | None = search.search_index.entries if search else None
        self.url = url

    def __enter__(self) -> None:
        if self.entries is None:
            return
        mine = {i for i, e in enumerate(self.entries) if e["location"].split("#")[0] == self.url}
        self.at = min(mine, default=len(self.entries))
        self.entries[:] = [e for i, e in enumerate(self.entries) if i not in mine]
        self.size = len(self.entries)

    def __exit__(self, *exc: object) -> None:
        if self.entries is None or exc[0] is not None:
            return
        added = self.entries[self.size :]
        del self.entries[self.size :]
        self.entries[self.at : self.at] = added


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a reader sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


SECTION_TITLES = {
    "letters/index.md": "Letters",
    "cicc/index.md": "Children in Care Council",
    "consultation/index.md": "Have your say sheets",
    "what-you-told-us/index.md": "What you told us",
}
