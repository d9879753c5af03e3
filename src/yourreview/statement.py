"""The accessibility statement the UK's public-sector accessibility regulations require.

Follows GOV.UK's sample statement (the model statement's sections, in its order, with its
legally required wording), filled in from `site_config/council.yml` and from the results of
the project's own accessibility checks. The council can override the template like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jinja2.sandbox import SandboxedEnvironment

from .clock import MONTH_NAMES
from .configkinds import Accessibility
from .council import Council
from .declared import validate
from .errors import Problem
from .render import tidy_page
from .yamlsafe import Node, Scalar

STATEMENT_URI = "accessibility.md"
TEMPLATE = "pages/accessibility.md"
WCAG_VERSION = "2.2"
WCAG_LEVEL = "AA"
WCAG_URL = "https://www.w3.org/TR/WCAG22/"
REGULATIONS = (
    "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018"
)
EASS_URL = "https://www.equalityadvisoryservice.com/"
# What `make test` runs on every page type of both audiences (issue 5).
DEFAULT_TOOLS = (
    "axe-core 4.14.1 (WCAG 2.2 AA rules)",
    "Nu HTML Checker",
    "keyboard-only tests in Chromium at 320 and 1280 px",
)
SETTINGS_FIELDS = (
    "contact_email",
    "contact_phone",
    "last_tested",
    "tested_by",
    "known_issues",
    "prepared",
    "reply_working_days",
)


@dataclass(frozen=True)
class AccessibilitySettings:
    """The optional `accessibility:` section of council.yml. Everything in it is published."""

    contact_email: str | None = None  # default: the IRO team's
    contact_phone: str | None = None
    last_tested: date | None = None
    tested_by: str | None = None  # default: the council
    known_issues: tuple[str, ...] = ()  # found by people; the checks add their own
    prepared: date | None = None  # when the statement was first published
    reply_working_days: int | None = None  # a promise, so only when the council makes it

    def values(self) -> tuple[str, ...]:
        """Contact details this section publishes, for the leak check's list of public values."""
        return tuple(v for v in (self.contact_email, self.contact_phone, self.tested_by) if v)


@dataclass(frozen=True)
class TestSummary:
    """What the accessibility checks covered, and what they could not pass."""

    __test__ = False  # not a pytest test class, whatever its name says

    last_tested: date
    tools: tuple[str, ...] = DEFAULT_TOOLS
    pages_tested: int = 0
    known_issues: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatementPage:
    uri: str
    content: str
    in_nav: bool = True


@dataclass(frozen=True)
class Contact:
    email: str | None
    phone: str | None
    text: str | None
    hours: str | None


def read_accessibility(
    node: Node | None, file: str, name: str = "accessibility"
) -> tuple[AccessibilitySettings, list[Problem]]:
    """The `accessibility:` section, as declared in configkinds.Accessibility, and every
    problem in it; a setting with a mistake is left out."""
    if node is None or (isinstance(node, Scalar) and node.value is None):
        return AccessibilitySettings(), []
    declared, _, problems = validate(Accessibility, node, file, "config", (name,), keep_rest=True)
    if declared is None:
        return AccessibilitySettings(), problems
    return AccessibilitySettings(**{f: getattr(declared, f) for f in SETTINGS_FIELDS}), problems


def in_words(day: date) -> str:
    """'5 November 2026': the form GOV.UK uses for dates."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def contact_for(council: Council, settings: AccessibilitySettings) -> Contact:
    team = council.iro_team
    return Contact(
        email=settings.contact_email or team.email,
        phone=settings.contact_phone or team.phone,
        text=None if settings.contact_email or settings.contact_phone else team.text,
        hours=team.hours,
    )


def known_issues(settings: AccessibilitySettings, tested: TestSummary) -> tuple[str, ...]:
    """People's findings first, then the checks', each once."""
    return tuple(dict.fromkeys((*settings.known_issues, *tested.known_issues)))


def render_statement(
    env: SandboxedEnvironment,
    council: Council,
    tested: TestSummary,
    settings: AccessibilitySettings = AccessibilitySettings(),
) -> StatementPage:
    issues = known_issues(settings, tested)
    content = env.get_template(TEMPLATE).render(
        council=council,
        settings=settings,
        tested=tested,
        contact=contact_for(council, settings),
        known_issues=issues,
        compliance="partially" if issues else "fully",
        wcag_version=WCAG_VERSION,
        wcag_level=WCAG_LEVEL,
        wcag_url=WCAG_URL,
        regulations=REGULATIONS,
        eass_url=EASS_URL,
        tested_by=settings.tested_by or council.name,
        tested_on=in_words(tested.last_tested),
        prepared_on=in_words(settings.prepared or tested.last_tested),
        reviewed_on=in_words(tested.last_tested),
    )
    # One raw HTML block with no blank line, so Markdown never parses the text inside it.
    return StatementPage(STATEMENT_URI, tidy_page(content))
