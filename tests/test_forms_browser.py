"""The online forms, used as a child or carer would: in Debian's Chromium, by keyboard alone.

The example council is built with `forms.endpoint` pointing at a small server on 127.0.0.1
(conftest.forms_server) that serves the site and records what each form sends. Each approved
form is answered with Tab, Space, the arrow keys and typing, never a click, and sent with Enter;
the server must receive the form's id, version, the token from the link, and every answer.
Then: targets at 320 px, the paper forms printed to PDF by the browser, and the QR code on
Sam's letter followed from the decoded picture to the answers the server receives.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

import browser_support as bs
from conftest import ROOT, FormsServer, serve_forms
from test_childforms import approve_new_versions
from yourreview.forms import Form, Question, audience_for
from yourreview.project import Paths, load_project

PROJECT = load_project(Paths.under(ROOT))
FORMS = PROJECT.forms
LIVE = [f for f in FORMS.approved if f.purpose != "cicc-comment"]
BY_ID = {f.id: f for f in LIVE}
COMMENT = FORMS.cicc_form()
DRAFT = next(f for f in FORMS.forms if not f.approved)
# The new versions the CiCC is reading (children get the approved ones until they say yes).
NEW = [f.draft for f in FORMS.forms if f.draft]
# What the CiCC reads before they approve: those, and forms never approved yet.
UNAPPROVED = [f.newest for f in FORMS.forms if not f.newest.approved]
TOKEN = "kbd2test7only3yr"  # 16 characters of a-z2-7, as tokens.review_token makes
SITE_URL = PROJECT.council.site_url or ""
SAM = next(r for r in PROJECT.minutes.records if r.ref == "AT-2026-0877")
MIN_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8


def test_the_example_forms_cover_every_kind() -> None:
    kinds = {q.kind for f in [*LIVE, COMMENT] for q in f.questions}
    assert kinds == {
        "faces",
        "one-choice",
        "any-choices",
        "yes-no",
        "short-text",
        "long-text",
        "consent",
    }
    assert SITE_URL.startswith("https://"), SITE_URL


# ---------------------------------------------------------------- answering by keyboard


def planned_answers(form: Form) -> dict[str, list[str]]:
    """What to answer: a different option per question, so arrow keys and Space both get used
    (the first option is picked with Space, later ones by moving the arrows to them)."""
    answers: dict[str, list[str]] = {}
    for n, q in enumerate(form.questions):
        values = q.values
        if q.kind == "any-choices":
            answers[q.id] = [values[0], values[-1]]
        elif q.kind == "short-text":
            answers[q.id] = [f"Not my old school ({form.id})"]
        elif q.kind == "long-text":
            answers[q.id] = [f"Swimming & football, and more time with Nan.\nThat's all ({q.id})"]
        else:
            answers[q.id] = [values[n % len(values)]]
    return answers


@dataclass(frozen=True)
class Focused:
    tag: str
    type: str
    name: str
    value: str
    checked: bool
    form_id: str  # the data-form-id of the .yr-form it is in, "" outside any
    in_form: bool  # inside a real <form> (not the CiCC's preview of a draft)


_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.closest(".yr-form");
  return {tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "",
          value: el.value || "", checked: !!el.checked,
          form_id: box ? box.dataset.formId : "", in_form: !!el.closest("form.yr-form-body")};
}"""


def focused(page: Page) -> Focused | None:
    found = page.evaluate(_FOCUSED)
    return Focused(**found) if found else None


def answer_by_keyboard(
    page: Page, form: Form, answers: dict[str, list[str]], judge_focus: bool = True
) -> list[str]:
    """Tab from the top of the page to the form, answer each question, send with Enter.

    A question missing from `answers` is skipped.
    Returns what was focused on the way, each judged for a visible focus indicator (unless
    judge_focus is False: the judging waits for animation frames, which a page without
    JavaScript never runs).
    """
    questions = {q.id: q for q in form.questions}
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    seen: list[str] = []
    hidden: list[str] = []

    def judge(what: str) -> None:
        seen.append(what)
        if not judge_focus:
            return
        stop = bs.focused_element(page)
        if stop is None or not stop.visible:
            hidden.append(f"{what}: {stop.reason if stop else 'nothing has focus'}")

    for _ in range(300):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is None or not now.in_form or now.form_id != form.id:
            continue
        what = f"{now.tag}[{now.type}] {now.name}"
        judge(what)
        if now.tag == "button":
            assert now.type == "submit", now
            assert hidden == [], "focus not visible on:\n  " + "\n  ".join(hidden)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return seen
        question = questions[now.name]
        wanted = answers.get(now.name, [])
        if not wanted:  # skipped: every question can be
            continue
        if question.kind == "any-choices":
            if now.value in wanted:
                page.keyboard.press("Space")
        elif question.is_text:
            page.keyboard.type(wanted[0])
        else:
            choose_radio(page, question, wanted[0], judge)
    pytest.fail(f"Tab never reached the send button of {form.id}")


def choose_radio(page: Page, question: Question, value: str, judge: Any) -> None:
    """Tab lands on the group's first button; Space picks it, an arrow moves on and picks."""
    target = question.values.index(value)
    arrow = "ArrowRight" if question.kind == "faces" else "ArrowDown"
    if target == 0:
        page.keyboard.press("Space")
    for _ in range(target):
        page.keyboard.press(arrow)
        now = focused(page)
        assert now is not None and now.name == question.id, now
        judge(f"input[radio] {question.id}={now.value}")
    now = focused(page)
    assert now is not None and now.value == value and now.checked, (question.id, now)


def open_form(
    browser: Browser, base: str, path: str, width: int = bs.WIDE
) -> tuple[Page, list[str]]:
    context = bs.new_context(browser, width)
    requests = bs.guard_origin(context, base)
    page = context.new_page()
    response = page.goto(base + path)
    assert response is not None and response.ok, path
    return page, requests


def check_received(
    server: FormsServer,
    before: int,
    form: Form,
    answers: dict[str, list[str]],
    token: str | None,
    javascript: bool = True,
) -> dict[str, list[str]]:
    posts = server.received()[before:]
    assert len(posts) == 1, posts
    got = posts[0]
    assert got.pop("form_id") == [form.id]
    assert got.pop("form_version") == [str(form.version)]
    if token is None:
        assert "token" not in got, got
    else:
        assert got.pop("token", None) == [token], "the token from the link was not sent"
    # forms.js gives each opening of a form its own id, so Send pressed twice counts once.
    sent_id = got.pop("sent_id", None)
    if javascript:
        assert sent_id and re.fullmatch(r"[0-9a-f]{24}", sent_id[0]), sent_id
    else:
        assert sent_id is None
    # A browser sends a textarea's line breaks as CRLF.
    sent = {k: [v.replace("\r\n", "\n") for v in values] for k, values in got.items()}
    extra = {k: v for k, v in sent.items() if k not in answers}
    wrong = {k: (sent.get(k), v) for k, v in answers.items() if sent.get(k) != v}
    assert wrong == {}, f"answers not received as given, (received, given): {wrong}"
    return extra


def send_planned_answers(page: Page, server: FormsServer, form: Form, token: str) -> None:
    """Answer by keyboard alone and check the server received every answer and the token."""
    # Opened with a letter's code: who they are and how to reach them is not asked, nor sent.
    hidden = {q.id for q in form.questions if q.reach_for}
    answers = {k: v for k, v in planned_answers(form).items() if k not in hidden}
    before = len(server.received())
    answer_by_keyboard(page, form, answers)
    assert check_received(server, before, form, answers, token) == {}


@pytest.mark.parametrize("form", LIVE, ids=lambda f: f.id)
def test_each_form_answered_and_sent_by_keyboard_alone(
    browser: Browser, forms_server: FormsServer, form: Form
) -> None:
    """At phone width: most children will open the form from a QR code on a phone."""
    page, requests = open_form(browser, forms_server.base, f"f/{form.id}/?t={TOKEN}", bs.NARROW)
    try:
        answers = planned_answers(form)
        before = len(forms_server.received())
        seen = answer_by_keyboard(page, form, answers)
        assert page.url == forms_server.endpoint
        assert page.locator("#thanks").inner_text() == "Thank you"
        assert check_received(forms_server, before, form, answers, TOKEN) == {}
        assert len(seen) >= len(form.questions) + 1, seen
        bs.assert_same_origin(requests, forms_server.base)
    finally:
        page.context.close()


def test_the_cicc_comment_form_sent_by_keyboard_alone(
    browser: Browser, forms_server: FormsServer
) -> None:
    """On a draft's CiCC page: past the preview (which sends nothing) to the comment form."""
    page, requests = open_form(browser, forms_server.base, f"cicc/{DRAFT.id}/")
    try:
        assert page.locator(f'.yr-form[data-form-id="{DRAFT.id}"] form').count() == 0
        answers = planned_answers(COMMENT)
        before = len(forms_server.received())
        answer_by_keyboard(page, COMMENT, answers)
        extra = check_received(forms_server, before, COMMENT, answers, None)
        assert extra == {"about_form": [DRAFT.id], "about_version": [str(DRAFT.version)]}
        bs.assert_same_origin(requests, forms_server.base)
    finally:
        page.context.close()


def test_without_a_token_the_form_sends_none(browser: Browser, forms_server: FormsServer) -> None:
    form = LIVE[0]
    page, _ = open_form(browser, forms_server.base, f"f/{form.id}/?t=NOT-A-TOKEN")
    try:
        assert page.locator('input[name="token"]').count() == 0
        before = len(forms_server.received())
        answer_by_keyboard(page, form, {})
    finally:
        page.context.close()
    posts = forms_server.received()[before:]
    # Everything skipped: only what says which form it was (radios and boxes send nothing
    # unchosen, empty text fields send an empty value).
    assert len(posts) == 1, posts
    sent = {k: v for k, v in posts[0].items() if v != [""] and k != "sent_id"}
    assert sent == {"form_id": [form.id], "form_version": [str(form.version)]}, posts[0]


def test_the_form_works_without_javascript(browser: Browser, forms_server: FormsServer) -> None:
    """No script, no token: the answers still arrive (they just cannot be joined to a review)."""
    form = BY_ID["after-review"]
    context = browser.new_context(
        viewport={"width": bs.NARROW, "height": 800},
        java_script_enabled=False,
        service_workers="block",
    )
    requests = bs.guard_origin(context, forms_server.base)
    page = context.new_page()
    try:
        page.goto(f"{forms_server.base}f/{form.id}/?t={TOKEN}")
        answers = planned_answers(form)
        before = len(forms_server.received())
        answer_by_keyboard(page, form, answers, judge_focus=False)
        assert check_received(forms_server, before, form, answers, None, javascript=False) == {}
        bs.assert_same_origin(requests, forms_server.base)
    finally:
        context.close()


# ---------------------------------------------------------------- 320 px: targets and axe

# Links inside a sentence are exempt from 2.5.8 (its "inline" exception); buttons are not.
_TARGETS = """min => {
  const small = [];
  const targets = ".yr-form :is(input:not([type=hidden]), textarea, button, a.yr-button)";
  for (const el of document.querySelectorAll(targets)) {
    if (!el.getClientRects().length) continue;  // not shown (hidden with a letter's code)
    const r = el.getBoundingClientRect();
    if (r.width < min || r.height < min) {
      small.push(`${el.tagName.toLowerCase()}#${el.id || el.name}: ${r.width}x${r.height}`);
    }
  }
  return [small, document.querySelectorAll(".yr-form input:not([type=hidden])").length];
}"""


@pytest.mark.parametrize(
    "form", [*LIVE, *UNAPPROVED], ids=lambda f: f.id if f.approved else f"{f.id}-v{f.version}"
)
def test_targets_and_axe_at_phone_width(
    browser: Browser, forms_server: FormsServer, form: Form
) -> None:
    path = f"f/{form.id}/" if form.approved else f"cicc/{form.id}/"
    for width in (bs.NARROW, bs.WIDE):
        page, requests = open_form(browser, forms_server.base, path, width)
        try:
            # the form itself, or on a draft's CiCC page the comment form
            assert page.locator("form.yr-form-body").count() == 1
            violations = bs.run_axe(page)
            assert violations == [], bs.format_violations(violations, f"/{path} at {width}px")
            if width == bs.NARROW:
                small, count = page.evaluate(_TARGETS, MIN_TARGET)
                assert count >= len(form.questions), count
                assert small == [], f"targets under {MIN_TARGET}px on /{path}: {small}"
                overflow = bs.horizontal_overflow(page)
                assert overflow <= 0, f"/{path} scrolls sideways: {bs.widest_elements(page)}"
            bs.assert_same_origin(requests, forms_server.base)
        finally:
            page.context.close()


# ---------------------------------------------------------------- paper, printed by the browser


def require_command(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: {bs.INSTALL_HINT}", pytrace=False)
    return found


def pdf_info(pdf: Path) -> dict[str, str]:
    done = subprocess.run(
        [require_command("pdfinfo"), str(pdf)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in done.stdout.splitlines())
    )


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(
        [require_command("pdftotext"), str(pdf), "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return " ".join(done.stdout.split())


def print_pdf(browser: Browser, base: str, path: str, pdf: Path) -> Path:
    """The page printed to A4 by the browser, as a person pressing Print would."""
    page, requests = open_form(browser, base, path)
    try:
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
        bs.assert_same_origin(requests, base)
    finally:
        page.context.close()
    return pdf


@pytest.mark.parametrize("form", LIVE, ids=lambda f: f.id)
def test_paper_form_prints_on_its_pages(
    browser: Browser, public_base: str, form: Form, tmp_path: Path
) -> None:
    pdf = print_pdf(browser, public_base, f"f/{form.id}/print/", tmp_path / f"{form.id}.pdf")
    info = pdf_info(pdf)
    assert "(A4)" in info["Page size"], info["Page size"]
    pages = int(info["Pages"])
    if form.for_children:
        assert pages == 1, f"{form.id} is a child's form and takes {pages} A4 pages"
    else:
        assert 1 <= pages <= 2, f"{form.id} is a grown-up's form and takes {pages} A4 pages"
    text = pdf_text(pdf)
    # Nothing left off: every question, the typed link by the QR code, the office box.
    for q in form.questions:
        assert " ".join(q.label.split()) in text, (form.id, q.id, text)
    assert f"reviews.anytown.example/f/{form.id}/" in text
    assert "Office use" in text
    for chrome in ("Skip to content", "Search"):
        assert chrome not in text, f"Material's {chrome!r} is printed on {form.id}"


def test_a_missing_command_fails_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="make test"):
        require_command("zbarimg")


# ---------------------------------------------------------------- Sam scans the QR code


def decode_qr(svg: str, folder: Path) -> str:
    """Decode with real tools: librsvg draws the SVG, zbar reads the picture."""
    source, picture = folder / "code.svg", folder / "code.png"
    source.write_text(svg, encoding="utf-8")
    subprocess.run(
        [
            require_command("rsvg-convert"),
            *("--width", "400", "--background-color", "white"),
            *("--output", str(picture), str(source)),
        ],
        check=True,
        capture_output=True,
    )
    found = subprocess.run(
        [
            require_command("zbarimg"),
            *("--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(picture)),
        ],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    return found.stdout.rstrip("\n")


def test_sam_scans_the_code_on_his_letter_and_answers(
    browser: Browser, internal_base: str, forms_server: FormsServer, tmp_path: Path
) -> None:
    page, _ = open_form(browser, internal_base, f"letters/{SAM.ref}/")
    try:
        box = page.locator(".yr-letter .yr-qr-box").first
        svg = box.locator("svg").evaluate("el => el.outerHTML")
        typed = box.locator(".yr-link").inner_text()
    finally:
        page.context.close()
    scanned = decode_qr(svg, tmp_path)
    assert scanned == "https://" + typed, (scanned, typed)

    expected = FORMS.for_letter(audience_for(SAM.style, SAM.age))
    token = PROJECT.token(SAM)
    assert scanned == f"{SITE_URL}f/{expected.id}/?t={token}"
    assert re.fullmatch(r"[a-z2-7]{16}", token)

    local = scanned.replace(SITE_URL, forms_server.base, 1)
    assert local != scanned
    path = local.removeprefix(forms_server.base)
    page, requests = open_form(browser, forms_server.base, path, bs.NARROW)
    try:
        form_id = page.locator(".yr-form").first.get_attribute("data-form-id")
        assert form_id == expected.id
        assert page.locator('form.yr-form-body input[name="token"]').input_value() == token
        send_planned_answers(page, forms_server, expected, token)
        bs.assert_same_origin(requests, forms_server.base)
    finally:
        page.context.close()


# ---------------------------------------------------------------- each fault is caught

# name: (page it is a copy of, text in it, what to put instead); each copy sits as deep as its
# original (faults/<name>/ or faults/<name>/print/), so its relative links still work.
FORM_FAULTS = {
    "untabbable": (
        "f/before-13-plus/",
        'name="not-in-front"',
        'name="not-in-front" tabindex="-1"',
    ),
    "no-token": (
        "f/before-13-plus/",
        '<script src="../../assets/yourreview/forms.js">',
        "<script>",
    ),
    "small": (
        "f/before-8-12/",
        "</head>",
        "<style>.yr-option input{width:16px!important;height:16px!important}</style></head>",
    ),
    "long": (
        "f/before-4-7/print/",
        '<div class="yr-print-foot">',
        '<div style="height:200mm">A tall drawing box</div><div class="yr-print-foot">',
    ),
}


@pytest.fixture(scope="module")
def faults(forms_server: FormsServer) -> Iterator[dict[str, str]]:
    """Faulty copies of our form pages, served beside the good ones; removed afterwards so
    the HTML checker sees only the real build."""
    folder = forms_server.site / "faults"
    paths = {}
    try:
        for name, (original, old, new) in FORM_FAULTS.items():
            html = (forms_server.site / original / "index.html").read_text(encoding="utf-8")
            assert old in html, (name, old)
            path = f"faults/{name}/" + ("print/" if original.endswith("/print/") else "")
            (forms_server.site / path).mkdir(parents=True)
            (forms_server.site / path / "index.html").write_text(
                html.replace(old, new, 1), encoding="utf-8"
            )
            paths[name] = path
        yield paths
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize(
    ("fault", "message"),
    [("untabbable", "not-in-front"), ("no-token", "the token from the link was not sent")],
)
def test_an_answer_or_token_lost_on_the_way_is_caught(
    browser: Browser,
    forms_server: FormsServer,
    faults: dict[str, str],
    fault: str,
    message: str,
) -> None:
    form = BY_ID["before-13-plus"]
    page, _ = open_form(browser, forms_server.base, f"{faults[fault]}?t={TOKEN}")
    try:
        answers = planned_answers(form)
        before = len(forms_server.received())
        answer_by_keyboard(page, form, answers)
        with pytest.raises(AssertionError, match=message):
            check_received(forms_server, before, form, answers, TOKEN)
    finally:
        page.context.close()


def test_small_targets_are_caught(
    browser: Browser, forms_server: FormsServer, faults: dict[str, str]
) -> None:
    page, _ = open_form(browser, forms_server.base, faults["small"], bs.NARROW)
    try:
        small, _ = page.evaluate(_TARGETS, MIN_TARGET)
        faces = BY_ID["before-8-12"].questions[0]
        assert len(small) >= len(faces.values), small
        assert all(": 16x16" in s for s in small), small
    finally:
        page.context.close()


def test_a_child_form_on_two_pages_is_caught(
    browser: Browser, forms_server: FormsServer, faults: dict[str, str], tmp_path: Path
) -> None:
    page, _ = open_form(browser, forms_server.base, faults["long"])
    try:
        pdf = tmp_path / "long.pdf"
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    finally:
        page.context.close()
    assert pdf_info(pdf)["Pages"] == "2"


# ---------------------------------------------------------------- the new versions, approved


@pytest.fixture(scope="module")
def approved_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FormsServer]:
    """The example with its new versions approved, as the CiCC would: what children get then."""
    with serve_forms(tmp_path_factory.mktemp("approved"), approve_new_versions) as server:
        yield server


@pytest.mark.parametrize("form", NEW, ids=lambda f: f"{f.id}-v{f.version}")
def test_each_new_version_by_keyboard_with_axe_and_on_one_page(
    browser: Browser, approved_server: FormsServer, form: Form, tmp_path: Path
) -> None:
    path = f"f/{form.id}/"
    page, requests = open_form(browser, approved_server.base, f"{path}?t={TOKEN}", bs.NARROW)
    try:
        assert page.locator(f'input[name="form_version"][value="{form.version}"]').count() == 1
        violations = bs.run_axe(page)
        assert violations == [], bs.format_violations(violations, f"/{path} (new version)")
        small, _ = page.evaluate(_TARGETS, MIN_TARGET)
        assert small == [], f"targets under {MIN_TARGET}px on /{path}: {small}"
        assert bs.horizontal_overflow(page) <= 0, bs.widest_elements(page)
        send_planned_answers(page, approved_server, form, TOKEN)
        bs.assert_same_origin(requests, approved_server.base)
    finally:
        page.context.close()
    pdf = print_pdf(browser, approved_server.base, f"{path}print/", tmp_path / "new.pdf")
    pages = int(pdf_info(pdf)["Pages"])
    assert pages <= form.max_pages, f"{form.id} v{form.version} takes {pages} A4 pages"
    text = pdf_text(pdf)
    for q in form.questions:
        assert " ".join(q.label.split()) in text, (form.id, q.id)
    if form.for_children:
        assert "Worried now? Call Childline 0800 1111" in text


@pytest.mark.parametrize("form", UNAPPROVED, ids=lambda f: f"{f.id}-v{f.version}")
def test_the_cicc_sees_each_new_version_on_one_page(
    browser: Browser, public_base: str, form: Form, tmp_path: Path
) -> None:
    """Before they approve it: the draft's paper form, marked, without a QR code."""
    pdf = print_pdf(browser, public_base, f"cicc/{form.id}/print/", tmp_path / "draft.pdf")
    assert int(pdf_info(pdf)["Pages"]) <= form.max_pages
    assert "DRAFT" in pdf_text(pdf) and "Children do not get this form yet." in pdf_text(pdf)
