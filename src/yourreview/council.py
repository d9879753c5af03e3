"""The council's settings: `site_config/council.yml` (who the service is, how to reach it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import YourReviewError, display_path
from .schema import Reader
from .yamlsafe import Node, load_file


@dataclass(frozen=True)
class Service:
    """A published way to reach a team: everything here is public by design."""

    name: str
    phone: str | None = None
    text: str | None = None
    email: str | None = None
    web: str | None = None
    hours: str | None = None
    about: str | None = None

    def values(self) -> tuple[str, ...]:
        return tuple(v for v in (self.name, self.phone, self.text, self.email, self.web) if v)


@dataclass(frozen=True)
class Council:
    name: str
    service: str
    site_url: str | None
    iro_team: Service
    advocacy: Service
    ordinary_words: frozenset[str]  # names that are also ordinary words on the public pages
    clock: Node | None  # read by the review clock, which owns its own schema
    readability: Node | None  # read by the language checks

    def published_values(self) -> frozenset[str]:
        """Contact details the council publishes: never a leak when they appear on the site."""
        return frozenset(
            (self.name, self.service, *self.iro_team.values(), *self.advocacy.values())
        )


SERVICE_FIELDS = ("phone", "text", "email", "web", "hours", "about")


def load_council(path: Path, root: Path | None = None) -> Council:
    display = display_path(path, root)
    reader = Reader(display, kind="config")
    top = reader.fields(
        load_file(path, display),
        "",
        required=("council", "iro_team", "advocacy"),
        optional=("leak_check", "clock", "readability"),
    )
    if top is None:
        raise YourReviewError(reader.problems)
    council = reader.fields(top.get("council"), "council", ("name", "service"), ("site_url",)) or {}
    name = reader.text(council.get("name"), "council.name") or ""
    site_url = reader.text(council.get("site_url"), "council.site_url")
    if site_url and not site_url.startswith("https://"):
        reader.error(
            council["site_url"],
            "council.site_url",
            f'"{site_url}" is not an https:// address',
            "write the public site's address, e.g. https://reviews.anytown.gov.uk/",
        )
    leak = reader.fields(top.get("leak_check"), "leak_check", optional=("ordinary_words",)) or {}
    result = Council(
        name=name,
        service=reader.text(council.get("service"), "council.service") or "",
        site_url=site_url,
        iro_team=_service(reader, top.get("iro_team"), "iro_team", name_required=False),
        advocacy=_service(reader, top.get("advocacy"), "advocacy", name_required=True),
        ordinary_words=frozenset(
            reader.texts(leak.get("ordinary_words"), "leak_check.ordinary_words")
        ),
        clock=top.get("clock"),
        readability=top.get("readability"),
    )
    if not reader.ok:
        raise YourReviewError(reader.problems)
    return result


def _service(reader: Reader, node: Node | None, field: str, name_required: bool) -> Service:
    required = ("name",) if name_required else ()
    optional = SERVICE_FIELDS if name_required else ("name", *SERVICE_FIELDS)
    f = reader.fields(node, field, required, optional) or {}
    values = {key: reader.text(f.get(key), f"{field}.{key}") for key in ("name", *SERVICE_FIELDS)}
    if not (values["phone"] or values["email"] or values["text"]):
        reader.error(
            node, field, "has no way to get in touch", "add at least one of phone, text or email"
        )
    return Service(
        name=values["name"] or "the Independent Reviewing team",
        phone=values["phone"],
        text=values["text"],
        email=values["email"],
        web=values["web"],
        hours=values["hours"],
        about=values["about"],
    )
