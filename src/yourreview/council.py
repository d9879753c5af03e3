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
    form_endpoint: str | None  # the council's forms service: an https URL that accepts a POST
    other_ways: str  # how else to answer a form: paper, phone, text
    clock: Node | None  # read by the review clock, which owns its own schema
    readability: Node | None  # read by the language checks
    accessibility: Node | None  # read by the accessibility statement
    # Children's social care out of hours: on every child's thank-you page, beside Childline.
    out_of_hours: Service | None = None

    def published_values(self) -> frozenset[str]:
        """Contact details the council publishes: never a leak when they appear on the site."""
        extra = self.out_of_hours.values() if self.out_of_hours else ()
        return frozenset(
            (self.name, self.service, *self.iro_team.values(), *self.advocacy.values(), *extra)
        )


SERVICE_FIELDS = ("phone", "text", "email", "web", "hours", "about")
# Plain http is allowed only to this computer: the browser tests post to a server on 127.0.0.1.
LOOPBACK = ("http://127.0.0.1", "http://localhost", "http://[::1]")


def _other_ways(team: Service) -> str:
    ways = [
        f"phone {team.phone}" if team.phone else "",
        f"text {team.text}" if team.text else "",
        f"email {team.email}" if team.email else "",
    ]
    listed = ", ".join(w for w in ways if w)
    return f"You can also tell your Independent Reviewing Officer, or {listed}."


def load_council(path: Path, root: Path | None = None) -> Council:
    display = display_path(path, root)
    reader = Reader(display, kind="config")
    top = reader.fields(
        load_file(path, display),
        "",
        required=("council", "iro_team", "advocacy"),
        optional=(
            "leak_check",
            "forms",
            "clock",
            "readability",
            "accessibility",
            "out_of_hours",
        ),
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
    forms = reader.fields(top.get("forms"), "forms", optional=("endpoint", "other_ways")) or {}
    endpoint = reader.text(forms.get("endpoint"), "forms.endpoint")
    if endpoint and not endpoint.startswith(("https://", *LOOPBACK)):
        reader.error(
            forms["endpoint"],
            "forms.endpoint",
            f'"{endpoint}" is not an https:// address',
            "give your forms service's https:// address, or leave it out: the pages "
            "then say how else to answer",
        )
    iro_team = _service(reader, top.get("iro_team"), "iro_team", name_required=False)
    result = Council(
        name=name,
        service=reader.text(council.get("service"), "council.service") or "",
        site_url=site_url,
        iro_team=iro_team,
        advocacy=_service(reader, top.get("advocacy"), "advocacy", name_required=True),
        ordinary_words=frozenset(
            reader.texts(leak.get("ordinary_words"), "leak_check.ordinary_words")
        ),
        form_endpoint=endpoint,
        other_ways=reader.text(forms.get("other_ways"), "forms.other_ways")
        or _other_ways(iro_team),
        clock=top.get("clock"),
        readability=top.get("readability"),
        accessibility=top.get("accessibility"),
        out_of_hours=_service(reader, top["out_of_hours"], "out_of_hours", name_required=True)
        if "out_of_hours" in top
        else None,
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
