"""The MkDocs adapter: read the council's files, add the generated pages, check for leaks.

Thin on purpose: everything here calls modules that do not know MkDocs, so the core can move to
another generator cheaply.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from .config import YourReviewConfig
from .errors import YourReviewError
from .hosting import origin_of, write_headers
from .leaks import identifiers, scan_site
from .pages import ASSETS, Audience, pages_for
from .project import Paths, Project, load_project

log = get_plugin_logger(__name__)


class YourReviewPlugin(BasePlugin[YourReviewConfig]):
    def __init__(self) -> None:
        self.project: Project | None = None
        self.paths: Paths | None = None

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
        try:
            self.project = load_project(self.paths)
        except YourReviewError as exc:
            raise PluginError("Your Review found problems:\n" + exc.report()) from exc
        for uri in ASSETS:
            links = config.extra_css if uri.endswith(".css") else config.extra_javascript
            if uri not in links:
                links.append(uri)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.project is not None
        audience: Audience = "internal" if self.config.audience == "internal" else "public"
        pages = pages_for(self.project, audience, config.use_directory_urls)
        for page in pages:
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(
                File.generated(config, page.uri, content=page.content, inclusion=inclusion)
            )
        letters = sum(1 for p in pages if p.uri.startswith("letters/") and not p.in_nav)
        log.info(
            "%s site: %d letters, %d generated files", self.config.audience, letters, len(pages)
        )
        return files

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        if config.theme.name != "material":
            return output
        return reachable_header_buttons(output, page.file.src_uri)

    def on_post_template(
        self, output_content: str, template_name: str, config: MkDocsConfig
    ) -> str:
        # Material's 404.html is a static template: on_post_page never sees it.
        if config.theme.name != "material" or template_name != "404.html":
            return output_content
        return reachable_header_buttons(output_content, template_name)

    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
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
        endpoint = project.council.form_endpoint
        audience: Audience = "internal" if self.config.audience == "internal" else "public"
        write_headers(site, audience, [origin_of(endpoint)] if endpoint else [])
        if self.config.audience != "public":
            return
        tokens = [(r.source, project.token(r)) for r in project.minutes.records]
        ids = identifiers(
            project.minutes, project.published_values(), project.council.ordinary_words, tokens
        )
        leaks = scan_site(site, ids, [Path(d) for d in config.theme.dirs])
        if leaks:
            listed = "\n".join(f"  {leak}" for leak in leaks[:50])
            more = f"\n  … and {len(leaks) - 50} more" if len(leaks) > 50 else ""
            raise PluginError(
                f"Leak check: the public site in {site} holds personal data from the minutes. "
                f"Nothing was published; delete {site} before sharing anything.\n{listed}{more}\n"
                "If a name is also an ordinary word on your pages (e.g. 'Will'), add it to "
                "leak_check.ordinary_words in site_config/council.yml."
            )
        log.info("leak check: no personal data in %s (%d identifiers checked)", site, len(ids))


SECTION_TITLES = {
    "letters/index.md": "Letters",
    "cicc/index.md": "Children in Care Council",
    "consultation/index.md": "Have your say sheets",
    "what-you-told-us/index.md": "What you told us",
}

# Material 9.8.1 draws its menu and search buttons as <label for="__drawer|__search"> with no
# tabindex, so Tab never reaches them and a keyboard user at phone width cannot open the
# navigation. Material's own script clicks a focused <label> on Enter, so a tabindex and a name
# are all the markup lacks. The name is hidden text: HTML forbids aria-label on such a label.
HEADER_BUTTONS = {
    '<label class="md-header__button md-icon" for="__drawer">': (
        '<label class="md-header__button md-icon" for="__drawer" tabindex="0">'
        '<span class="yr-visually-hidden">Menu</span>'
    ),
    '<label class="md-header__button md-icon" for="__search">': (
        '<label class="md-header__button md-icon" for="__search" tabindex="0">'
        '<span class="yr-visually-hidden">Search</span>'
    ),
}


def reachable_header_buttons(html: str, where: str) -> str:
    for old, new in HEADER_BUTTONS.items():
        if html.count(old) != 1:
            # Material's markup changed: fail the build rather than ship unreachable buttons.
            raise PluginError(f"{where}: expected Material's header button {old!r} once")
        html = html.replace(old, new)
    return html
