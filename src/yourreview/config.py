"""The `yourreview` plugin's options in mkdocs.yml (schema only)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class YourReviewConfig(Config):
    # public (the default) holds no personal data; internal adds the letters. !ENV friendly:
    # `audience: !ENV [YOURREVIEW_AUDIENCE, public]`.
    audience = c.Choice(("public", "internal"), default="public")
    # Folders beside mkdocs.yml. Never inside docs_dir: MkDocs would publish them as files.
    minutes_dir = c.Type(str, default="minutes")
    templates_dir = c.Type(str, default="templates")
    site_config_dir = c.Type(str, default="site_config")
