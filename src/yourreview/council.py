"""The council's settings: `site_config/council.yml` (who the service is, how to reach it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .configkinds import CONTACT_FIELDS, LOOPBACK, CouncilFile, IroTeam, OutOfHours
from .declared import Loc, validate
from .declared import path as path_of
from .errors import Problem, YourReviewError, display_path

__all__ = ["CHILDLINE", "LOOPBACK", "SERVICE_FIELDS", "Council", "Service", "load_council"]
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

# The one place the number children are given on every child's form and thank-you page is
# written. National numbers are to be declared in council.yml (#11 §1): point this at them then.
CHILDLINE = Service("Childline", phone="0800 1111", hours="free, day and night")


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
    model, found, problems = validate(CouncilFile, load_file(path, display), display, "config")
    if model is None:
        raise YourReviewError(problems)

    def error(loc: Loc, message: str, suggestion: str) -> None:
        node = found.values.get(loc)
        line, column = (node.line, node.column) if node else (0, 0)
        problems.append(
            Problem(display, line, column, path_of(loc), message, suggestion, kind="config")
        )

    site_url = model.council.site_url
    if site_url and not site_url.startswith("https://"):
        error(
            ("council", "site_url"),
            f'"{site_url}" is not an https:// address',
            "write the public site's address, e.g. https://reviews.anytown.gov.uk/",
        )
    endpoint = model.forms.endpoint if model.forms else None
    if endpoint and not endpoint.startswith(("https://", *LOOPBACK)):
        error(
            ("forms", "endpoint"),
            f'"{endpoint}" is not an https:// address',
            "give your forms service's https:// address, or leave it out: the pages "
            "then say how else to answer",
        )
    for name in ("iro_team", "advocacy", "out_of_hours"):
        team = getattr(model, name)
        if team is not None and not any(getattr(team, way) for way in CONTACT_FIELDS):
            error((name,), "has no way to get in touch", "add at least one of phone, text or email")
    if problems:
        raise YourReviewError(problems)
    iro_team = _service(model.iro_team)
    other_ways = model.forms.other_ways if model.forms else None
    return Council(
        name=model.council.name,
        service=model.council.service,
        site_url=site_url,
        iro_team=iro_team,
        advocacy=_service(model.advocacy),
        ordinary_words=frozenset(model.leak_check.ordinary_words if model.leak_check else ()),
        form_endpoint=endpoint,
        other_ways=other_ways or _other_ways(iro_team),
        clock=found.values.get(("clock",)),
        readability=found.values.get(("readability",)),
        accessibility=found.values.get(("accessibility",)),
        out_of_hours=_service(model.out_of_hours) if model.out_of_hours else None,
    )


def _service(team: IroTeam | OutOfHours) -> Service:
    return Service(
        name=team.name or "the Independent Reviewing team",
        phone=team.phone,
        text=team.text,
        email=team.email,
        web=team.web,
        hours=team.hours,
        about=team.about,
    )
