"""Pages made from the forms: 'have your say' online and on paper, the CiCC's area, and the
parts of letters and consultation sheets that link to a form by QR code.

Public pages carry no token. Letters and consultation sheets (internal) carry a token in their
links, so a response can be joined back to its review inside the council and nowhere else.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import partial

from markupsafe import Markup

from .cache import digest
from .formrender import FormAction, form_action, online_url, render_form_html, render_form_print
from .forms import Form, audience_for
from .project import Project
from .qr import qr_svg, short_link
from .records import Record
from .render import LetterExtras

Page = tuple[str, str, bool]  # (uri, content, in_nav): pages.Page is built from these
Href = Callable[[str, str], str]  # (from page uri, to page uri) -> relative link


def form_uri(form: Form) -> str:
    return f"f/{form.id}/index.md"


def print_uri(form: Form) -> str:
    return f"f/{form.id}/print/index.md"


def cicc_uri(form: Form) -> str:
    return f"cicc/{form.id}/index.md"


def cicc_print_uri(form: Form) -> str:
    """The paper form of the version the CiCC is reading, marked as a draft."""
    return f"cicc/{form.id}/print/index.md"


def consultation_uri(record: Record) -> str:
    return f"consultation/{record.ref}.md"


def qr(project: Project, form: Form, token: str | None, what: str) -> tuple[Markup, str] | None:
    """The QR code for a form and the short link typed beside it, or None without a site URL."""
    base = project.council.site_url
    if not base:
        return None
    url = online_url(form, base, token)
    return Markup(qr_svg(url, f"QR code: {what}", project.cache)), short_link(url)


def letter_extras(project: Project, record: Record) -> LetterExtras:
    """What a letter adds to the record: the review clock, and the feedback QR codes."""
    forms = project.forms
    child_form = forms.for_letter(audience_for(record.style, record.age))
    carer_form = forms.carer_form()
    token = project.token(record)
    feedback = project.env.get_template("letters/feedback.html").render(
        record=record,
        style=record.style,
        child_form=child_form,
        child=qr(project, child_form, token, "scan to tell us what you thought of your review"),
        carer_form=carer_form,
        carer=qr(project, carer_form, token, "scan to tell us what you thought of the review"),
    )
    return LetterExtras(
        next_review=project.next_review(record),
        feedback_html=feedback,
        sent_on=project.sent_on(record),
    )


def public_form_pages(project: Project, href: Href) -> list[Page]:
    env = project.env
    forms = project.forms
    pages: list[Page] = []
    for form in forms.approved:
        if form.purpose == "cicc-comment":
            continue
        action = form_action(
            form,
            project.council.form_endpoint,
            project.council.other_ways,
            href(form_uri(form), print_uri(form)),
        )
        online = render_form_html(env, form, action)
        pages.append(
            (
                form_uri(form),
                env.get_template("pages/form.md").render(
                    form=form, body=online, print_href=href(form_uri(form), print_uri(form))
                ),
                False,
            )
        )
        code = qr(project, form, None, f"scan to answer '{form.title}' online")
        paper = render_form_print(
            env,
            form,
            online_url(form, project.council.site_url or "", None) if code else None,
            code[0] if code else None,
            return_to=project.council.other_ways,
            heading_level=1,
        )
        pages.append(
            (
                print_uri(form),
                env.get_template("pages/form-print.md").render(form=form, body=paper),
                False,
            )
        )
    index = env.get_template("pages/forms-index.md").render(
        groups=[
            (
                purpose,
                [
                    (
                        f,
                        href("have-your-say.md", form_uri(f)),
                        href("have-your-say.md", print_uri(f)),
                    )
                    for f in forms.approved
                    if f.purpose == purpose
                ],
            )
            for purpose in ("before-review", "after-review")
        ]
    )
    pages.append(("have-your-say.md", index, True))
    pages += cicc_pages(project, href)
    return pages


def cicc_pages(project: Project, href: Href) -> list[Page]:
    """The Children in Care Council's area: every form, its status and history, and a way to
    comment on each. Drafts (and the new version of a form in use) are shown as children would
    see them, online and on paper, marked, sending nothing."""
    env = project.env
    comment_form = project.forms.cicc_form()
    comment_action = form_action(
        comment_form, project.council.form_endpoint, project.council.other_ways
    )
    pages: list[Page] = []
    for live in project.forms.forms:
        if live is comment_form:
            continue
        form = live.newest
        preview = render_form_html(env, form, FormAction(preview=True))
        comments = render_form_html(env, comment_form, comment_action, about=form)
        draft_print = None
        if not form.approved:
            draft_print = href(cicc_uri(form), cicc_print_uri(form))
            paper = render_form_print(env, form, None, None, heading_level=1)
            page = env.get_template("pages/form-print.md").render(form=form, body=paper)
            pages.append((cicc_print_uri(form), page, False))
        pages.append(
            (
                cicc_uri(form),
                env.get_template("pages/cicc-form.md").render(
                    form=form,
                    in_use=live if live.approved else None,
                    preview=preview,
                    comments=comments,
                    live_href=href(cicc_uri(form), form_uri(form)) if live.approved else None,
                    print_href=href(cicc_uri(form), print_uri(form)) if live.approved else None,
                    draft_print_href=draft_print,
                ),
                False,
            )
        )
    rows = [
        (f.newest, href("cicc/index.md", cicc_uri(f)))
        for f in project.forms.forms
        if f is not comment_form
    ]
    pages.append(("cicc/index.md", env.get_template("pages/cicc-index.md").render(rows=rows), True))
    return pages


def consultation_pages(project: Project, href: Href) -> list[Page]:
    """For each child's next review, a sheet to have their say: online by QR code, or on paper."""
    env = project.env
    pages: list[Page] = []
    rows = []
    inputs = project.inputs_digest()
    for reviews in project.minutes.by_child().values():
        latest = reviews[-1]
        # A sheet is made from the child's latest record and the project's other inputs.
        key = digest(inputs, "sheet", repr(latest))
        sheet = project.cache.text("pages", key, partial(consultation_sheet, project, latest))
        pages.append((consultation_uri(latest), sheet, False))
        due = project.next_review(latest)
        rows.append((latest, due, href("consultation/index.md", consultation_uri(latest))))
    rows.sort(key=lambda row: row[1])
    pages.append(
        (
            "consultation/index.md",
            env.get_template("pages/consultation-index.md").render(
                rows=rows, demo_key=project.key.is_demo
            ),
            True,
        )
    )
    return pages


def consultation_sheet(project: Project, latest: Record) -> str:
    """One child's sheet for their next review, from their latest record."""
    form = project.forms.before_review_form(audience_for(latest.style, latest.age))
    code = qr(project, form, project.token(latest), "scan to have your say online")
    paper = render_form_print(
        project.env,
        form,
        online_url(form, project.council.site_url or "", project.token(latest)) if code else None,
        code[0] if code else None,
        return_to=project.council.other_ways,
        heading_level=2,
        coded=True,
    )
    return project.env.get_template("pages/consultation.md").render(
        record=latest,
        due=project.next_review(latest),
        body=paper,
        demo_key=project.key.is_demo,
    )


def page_url(uri: str, directory_urls: bool) -> str:
    """The address MkDocs gives a page, relative to the site's root."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index") if directory_urls else stem + ".html"
    return stem + "/" if directory_urls else stem + ".html"


def relative_href(directory_urls: bool) -> Href:
    """Links in raw HTML are not rewritten by MkDocs, so we write the final relative address."""

    def href(source: str, target: str) -> str:
        url = page_url(source, directory_urls)
        here = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
        there = page_url(target, directory_urls)
        rel = posixpath.relpath(there or ".", here or ".")
        return rel + "/" if there.endswith("/") or there == "" else rel

    return href
