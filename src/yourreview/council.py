"""The council's settings: `site_config/council.yml` (who the service is, how to reach it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .configkinds import CONTACT_FIELDS, LOOPBACK, CouncilFile, Helplines, IroTeam, OutOfHours
from .declared import Loc, validate
from .declared import path as path_of
from .errors import Problem, YourReviewError, display_path

__all__ = [
    "LOOPBACK",
    "NATIONAL_HELPLINES",
    "SERVICE_FIELDS",
    "Council",
    "Helpline",
    "NationalHelplines",
    "Service",
    "load_council",
]
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
class Helpline:
    """A national number: the same in every council, so the package gives it (and says when it
    was last checked); a council can change it in council.yml."""

    name: str
    phone: str
    hours: str
    checked: date  # when someone last checked the number against the helpline's own site


@dataclass(frozen=True)
class NationalHelplines:
    """The numbers every letter and child's form gives: `council.helplines.childline`."""

    childline: Helpline
    help_at_hand: Helpline  # the Children's Commissioner's advice line

    def values(self) -> tuple[str, ...]:
        return tuple(
            v for line in (self.childline, self.help_at_hand) for v in (line.name, line.phone)
        )


# Declared once: letters, the thank-you pages and the child forms all read these. Checked on
# 1 December 2026 against stored copies of public pages, not by ringing: Help at Hand's own
# (childrenscommissioner.gov.uk/help-at-hand: 0800 528 0731, 9am to 5pm on weekdays); the
# NSPCC's page (Childline is free and open 24 hours) and references giving 0800 1111. Check
# them on the live sites before each release and move the date.
NATIONAL_HELPLINES = NationalHelplines(
    childline=Helpline("Childline", "0800 1111", "free, day and night", date(2026, 12, 1)),
    help_at_hand=Helpline(
        "Help at Hand", "0800 528 0731", "free, Monday to Friday, 9am to 5pm", date(2026, 12, 1)
    ),
)


@dataclass(frozen=True)
class QuoteRules:
    """`quotes:` in council.yml: what redaction takes out besides names and numbers."""

    places: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    keep_iro_names: bool = False


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
    # "If you do not agree": the council's complaints team, then Help at Hand.
    complaints: Service | None = None
    helplines: NationalHelplines = NATIONAL_HELPLINES
    quotes: QuoteRules = QuoteRules()

    def published_values(self) -> frozenset[str]:
        """Contact details the council publishes: never a leak when they appear on the site."""
        extra = self.out_of_hours.values() if self.out_of_hours else ()
        extra += self.complaints.values() if self.complaints else ()
        return frozenset(
            (
                self.name,
                self.service,
                *self.iro_team.values(),
                *self.advocacy.values(),
                *extra,
                *self.helplines.values(),
            )
        )


SERVICE_FIELDS = ("phone", "text", "email", "web", "hours", "about")


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
    for name in ("iro_team", "advocacy", "out_of_hours", "complaints"):
        team = getattr(model, name)
        if team is not None and not any(getattr(team, way) for way in CONTACT_FIELDS):
            error((name,), "has no way to get in touch", "add at least one of phone, text or email")
    helplines = _helplines(model.helplines, error)
    if problems:
        raise YourReviewError(problems)
    iro_team = _service(model.iro_team)
    q = model.quotes
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
        complaints=_service(model.complaints, "the council's complaints team")
        if model.complaints
        else None,
        helplines=helplines,
        quotes=QuoteRules(q.places, q.schools, q.iro_names == "keep") if q else QuoteRules(),
    )


def _helplines(
    given: Helplines | None, error: Callable[[Loc, str, str], None]
) -> NationalHelplines:
    """The package's numbers, with what the council changed; a changed number needs its date."""
    if given is None:
        return NATIONAL_HELPLINES
    lines = {}
    for name in ("childline", "help_at_hand"):
        default: Helpline = getattr(NATIONAL_HELPLINES, name)
        mine = getattr(given, name)
        if mine is None:
            lines[name] = default
            continue
        if mine.phone and mine.checked is None:
            error(
                ("helplines", name, "phone"),
                "has no date to say when the number was checked",
                f"add `checked: YYYY-MM-DD` under helplines.{name}: the day you rang it or "
                "read it on the helpline's own site",
            )
        lines[name] = replace(
            default,
            name=mine.name or default.name,
            phone=mine.phone or default.phone,
            hours=mine.hours or default.hours,
            checked=mine.checked or default.checked,
        )
    return NationalHelplines(**lines)


def _service(team: IroTeam | OutOfHours, name: str = "the Independent Reviewing team") -> Service:
    return Service(
        name=team.name or name,
        phone=team.phone,
        text=team.text,
        email=team.email,
        web=team.web,
        hours=team.hours,
        about=team.about,
    )
