"""Forms as HTML: the online form (a real <form>, working without JavaScript) and the A4 paper
form, both from the one definition in questions.yml. Rendered with the project's sandboxed,
autoescaped Jinja environment, so a council can override these templates like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .council import LOOPBACK
from .forms import REACH_INTRO, REACH_PAPER, Form
from .qr import form_url, short_link


@dataclass(frozen=True)
class FormAction:
    """Where an online form's answers go, and what to say about other ways to answer.

    `endpoint`: the council's HTTPS URL that accepts a form POST. `external_url`: a forms
    service's link with {token} in it (the page links there instead of showing a <form>).
    Neither: no button at all, only the questions and `other_ways` (paper, phone, text).
    `preview`: a draft shown to the CiCC with working inputs that send nothing.
    """

    endpoint: str | None = None
    external_url: str | None = None
    other_ways: str = ""
    paper_url: str | None = None
    preview: bool = False

    def __post_init__(self) -> None:
        if self.endpoint and self.external_url:
            raise ValueError("a form sends to an endpoint or links to an external form, not both")
        # Plain http only to this machine: the browser tests post to a server on 127.0.0.1.
        if self.endpoint and not self.endpoint.startswith(("https://", *LOOPBACK)):
            raise ValueError(f"the form endpoint must be an https:// URL: {self.endpoint!r}")
        if self.external_url and not self.external_url.startswith("https://"):
            raise ValueError(f"an external form must be an https:// URL: {self.external_url!r}")

    @property
    def mode(self) -> str:
        if self.preview:
            return "preview"
        if self.endpoint:
            return "post"
        return "external" if self.external_url else "offline"


def form_action(
    form: Form, endpoint: str | None, other_ways: str = "", paper_url: str | None = None
) -> FormAction:
    """The usual choice: the form's own external link, else the council's endpoint; drafts are
    previews (children must not answer a form the CiCC has not approved)."""
    return FormAction(
        endpoint=None if form.external_url else endpoint,
        external_url=form.external_url,
        other_ways=other_ways,
        paper_url=paper_url,
        preview=not form.approved,
    )


def online_url(form: Form, base_url: str, token: str | None = None) -> str:
    """Where a QR code for this form points: the external form, else the site's form page."""
    if form.external_url:
        return form.external_url.replace("{token}", token or "")
    return form_url(base_url, form.id, token)


def render_form_html(
    env: SandboxedEnvironment,
    form: Form,
    action: FormAction,
    token: str | None = None,
    qr_svg: str | None = None,
    *,
    link: str | None = None,
    about: Form | None = None,
) -> str:
    """The online form as one <div>; `qr_svg` must come from qr.qr_svg (it is not escaped) and
    `link` is the URL it encodes, shown typed out beside it. `about`: the form the CiCC's
    comment form is about (sent as about_form and about_version)."""
    external = ""
    if action.external_url:
        external = action.external_url.replace("{token}", token or "")
    return _render(
        env,
        "forms/online.html",
        form=form,
        about=about,
        action=action,
        mode=action.mode,
        token=token,
        prefix=f"yr-{form.id}",
        intro=_paragraphs(form.intro),
        external_link=external,
        qr=Markup(qr_svg) if qr_svg else None,
        link=short_link(link) if link else None,
    )


def render_form_print(
    env: SandboxedEnvironment,
    form: Form,
    online_url: str | None,
    qr_svg: str | None,
    *,
    return_to: str = "",
    heading_level: int = 2,
    coded: bool = False,
) -> str:
    """The A4 paper form as one <div>: faces to circle, boxes to tick, lines to write on.
    `coded`: printed for one review, with its code (no need to ask how to reach the child)."""
    if not 1 <= heading_level <= 6:
        raise ValueError("heading_level is 1 to 6")
    kinds = {q.kind for q in form.questions}
    return _render(
        env,
        "forms/print.html",
        form=form,
        level=heading_level,
        intro=_paragraphs(form.intro),
        has_faces=any(q.is_faces for q in form.questions),
        has_lines=bool(kinds & {"short-text", "long-text"}),
        long_lines=3 if form.for_children else 5,
        qr=Markup(qr_svg) if qr_svg and online_url else None,
        link=short_link(online_url) if online_url else None,
        return_to=return_to,
        coded=coded,
    )


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _render(env: SandboxedEnvironment, name: str, **context: object) -> str:
    html = env.get_template(name).render(
        reach_intro=REACH_INTRO, reach_paper=REACH_PAPER, **context
    )
    # One block with no blank lines: Markdown then passes it through as a single raw HTML block.
    return "\n".join(line for line in html.splitlines() if line.strip()) + "\n"
