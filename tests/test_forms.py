from __future__ import annotations

import re
import textwrap
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from yourreview.errors import Problem, YourReviewError
from yourreview.formrender import (
    FormAction,
    form_action,
    online_url,
    render_form_html,
    render_form_print,
)
from yourreview.forms import (
    CHILD_AUDIENCES,
    CONSENT_LABEL,
    DEFAULT_FACES,
    Change,
    Form,
    Forms,
    Question,
    audience_for,
    load_forms,
)
from yourreview.qr import qr_svg
from yourreview.render import environment

ENV = environment()

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "site_config" / "questions.yml"
CSS = ROOT / "src" / "yourreview" / "assets" / "forms.css"
BASE = "https://reviews.anytown.example/"
TOKEN = "erbcwlvgjuq7jn7l"
ENDPOINT = "https://forms.anytown.example/answers"

# The smallest file that gives letters every form they need.
MINIMAL = """\
forms:
  - id: after
    title: How was it?
    audience: [child-4-7, child-8-12, child-13-plus, easy-read, parent-carer]
    purpose: after-review
    version: 1
    status: approved
    cicc_reviewed: 2026-01-10
    changes:
      - version: 1
        what: First version.
    questions:
      - id: how-was-it
        kind: faces
        label: How was it?
  - id: before
    title: Have your say
    audience: [child-4-7, child-8-12, child-13-plus, easy-read]
    purpose: before-review
    version: 1
    status: approved
    cicc_reviewed: 2026-01-10
    changes:
      - version: 1
        what: First version.
    questions:
      - id: home
        kind: faces
        label: How is home?
  - id: cicc
    title: CiCC comments
    audience: cicc
    purpose: cicc-comment
    version: 1
    status: approved
    changes:
      - version: 1
        what: First version.
    questions:
      - id: change
        kind: long-text
        label: What should change?
"""


@pytest.fixture(scope="module")
def example() -> Forms:
    return load_forms(EXAMPLE, "site_config/questions.yml")


def load_text(tmp_path: Path, text: str) -> Forms:
    path = tmp_path / "questions.yml"
    path.write_text(text, encoding="utf-8")
    return load_forms(path, "site_config/questions.yml")


def problems(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(YourReviewError) as caught:
        load_text(tmp_path, text)
    return caught.value.problems


def add_question(question: str) -> str:
    """MINIMAL with one more question (given as YAML lines) in the first form."""
    block = textwrap.indent(textwrap.dedent(question).strip("\n"), "      ") + "\n"
    marker = "        label: How was it?\n"
    return MINIMAL.replace(marker, marker + block, 1)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[occurrence - 1]


def find(found: list[Problem], field: str) -> Problem:
    matching = [p for p in found if p.field == field]
    assert matching, f"no problem for {field}: {[str(p) for p in found]}"
    return matching[0]


# -- the model ----------------------------------------------------------------------------------


def test_the_example_loads_and_gives_letters_every_form(example: Forms) -> None:
    for audience in CHILD_AUDIENCES:
        assert example.for_letter(audience).approved
        assert example.for_letter(audience).purpose == "after-review"
        assert example.before_review_form(audience).purpose == "before-review"
    assert example.for_letter("child-8-12") is example.by_id("after-review")
    assert example.for_letter("easy-read").id == "after-review-short"
    assert example.carer_form().audiences == ("parent-carer",)
    assert example.cicc_form().purpose == "cicc-comment"


def test_the_example_has_a_form_with_the_cicc_that_letters_never_use(example: Forms) -> None:
    waiting = [f for f in example.forms if f.status in ("draft", "with-cicc")]
    assert waiting
    used = {example.for_letter(a).id for a in CHILD_AUDIENCES}
    used |= {example.before_review_form(a).id for a in CHILD_AUDIENCES}
    assert used.isdisjoint(f.id for f in waiting)


def test_the_example_reads_fully(example: Forms) -> None:
    form = example.by_id("after-review")
    assert form.audiences == ("child-8-12", "child-13-plus")
    assert form.version == 2 and form.cicc_reviewed == date(2026, 6, 11)
    assert form.changes[0] == Change(2, form.changes[0].what)  # newest first
    listened = next(q for q in form.questions if q.id == "listened")
    assert listened.options == ("Not at all", "A bit", "Some", "Mostly", "Totally")
    assert listened.values == ("1", "2", "3", "4", "5")
    how = next(q for q in form.questions if q.id == "how-was-it")
    assert how.options == DEFAULT_FACES
    share = next(q for q in form.questions if q.kind == "consent")
    assert share.label == CONSENT_LABEL
    # The short version counts with the long one: the same ids for the same questions.
    short = example.by_id("after-review-short")
    assert {q.id for q in short.questions} <= {q.id for q in form.questions}


def test_unknown_lookups(example: Forms) -> None:
    with pytest.raises(KeyError):
        example.by_id("nope")
    with pytest.raises(YourReviewError, match="no approved before-review form for parent-carer"):
        example.before_review_form("parent-carer")


def test_minimal_file_loads(tmp_path: Path) -> None:
    forms = load_text(tmp_path, MINIMAL)
    assert [f.id for f in forms.forms] == ["after", "before", "cicc"]
    assert forms.carer_form().id == "after"


def test_unknown_field_names_line_and_suggests(tmp_path: Path) -> None:
    text = MINIMAL.replace("    title: How was it?", "    titel: How was it?")
    found = problems(tmp_path, text)
    problem = find(found, "forms[0].titel")
    assert problem.line == line_of(text, "titel:")
    assert "title" in problem.suggestion
    assert find(found, "forms[0].title").message == "is missing"


def test_required_is_not_a_thing(tmp_path: Path) -> None:
    text = add_question("- id: name\n  kind: short-text\n  label: Name\n  required: yes")
    problem = find(problems(tmp_path, text), "forms[0].questions[1].required")
    assert problem.line == line_of(text, "required: yes")


def test_duplicate_question_id(tmp_path: Path) -> None:
    text = add_question("- id: how-was-it\n  kind: yes-no\n  label: Again?")
    problem = find(problems(tmp_path, text), "forms[0].questions[1].id")
    assert "used twice" in problem.message
    assert problem.line == line_of(text, "id: how-was-it", 2)


def test_duplicate_form_id(tmp_path: Path) -> None:
    text = MINIMAL.replace("  - id: before\n", "  - id: after\n")
    problem = find(problems(tmp_path, text), "forms[1].id")
    assert "another form" in problem.message


@pytest.mark.parametrize("kind", ["one-choice", "any-choices"])
def test_choices_need_options(tmp_path: Path, kind: str) -> None:
    text = add_question(f"- id: pick\n  kind: {kind}\n  label: Pick one")
    problem = find(problems(tmp_path, text), "forms[0].questions[1].options")
    assert "at least two options" in problem.message
    assert problem.line == line_of(text, f"kind: {kind}")


def test_options_only_for_choices(tmp_path: Path) -> None:
    text = add_question("- id: ok\n  kind: yes-no\n  label: OK?\n  options: [Yes, No, Maybe]")
    problem = find(problems(tmp_path, text), "forms[0].questions[1].options")
    assert "only for one-choice and any-choices" in problem.message


def test_repeated_option(tmp_path: Path) -> None:
    text = add_question("- id: pick\n  kind: one-choice\n  label: Pick\n  options: [Red, red]")
    assert "listed twice" in find(problems(tmp_path, text), "forms[0].questions[1].options").message


def test_faces_need_five_words(tmp_path: Path) -> None:
    text = add_question("- id: f\n  kind: faces\n  label: F?\n  faces: [Bad, OK, Good, Great]")
    problem = find(problems(tmp_path, text), "forms[0].questions[1].faces")
    assert "exactly five" in problem.message
    assert problem.line == line_of(text, "faces: [Bad")


def test_faces_words_only_for_faces(tmp_path: Path) -> None:
    text = add_question("- id: f\n  kind: yes-no\n  label: F?\n  faces: [A, B, C, D, E]")
    assert find(problems(tmp_path, text), "forms[0].questions[1].faces")


def test_unknown_kind_lists_the_kinds(tmp_path: Path) -> None:
    text = add_question("- id: f\n  kind: stars\n  label: F?")
    problem = find(problems(tmp_path, text), "forms[0].questions[1].kind")
    assert "faces" in problem.suggestion and "consent" in problem.suggestion


def test_question_needs_a_label_except_consent(tmp_path: Path) -> None:
    text = add_question("- id: f\n  kind: long-text")
    assert find(problems(tmp_path, text), "forms[0].questions[1].label").message == "is missing"
    forms = load_text(tmp_path, add_question("- id: share\n  kind: consent"))
    share = forms.by_id("after").questions[1]
    assert share.label == CONSENT_LABEL
    assert share.values == ("yes", "no")


@pytest.mark.parametrize("bad_id", ["Home", "how was it", "token", "a_b"])
def test_question_ids_are_slugs(tmp_path: Path, bad_id: str) -> None:
    text = add_question(f"- id: {bad_id}\n  kind: yes-no\n  label: X?")
    problem = find(problems(tmp_path, text), "forms[0].questions[1].id")
    assert problem.line == line_of(text, f"id: {bad_id}")


def test_bad_audience_purpose_status_version(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace("audience: cicc", "audience: teenagers")
        .replace("purpose: before-review", "purpose: before")
        .replace("status: approved", "status: done", 1)
        .replace("version: 1\n    status", "version: one\n    status", 1)
    )
    found = problems(tmp_path, text)
    assert "child-4-7" in find(found, "forms[2].audience").suggestion
    assert find(found, "forms[1].purpose").line == line_of(text, "purpose: before")
    assert "draft" in find(found, "forms[0].status").suggestion
    assert "whole number" in find(found, "forms[0].version").message


def test_cicc_audience_goes_with_cicc_comment(tmp_path: Path) -> None:
    text = MINIMAL.replace("purpose: cicc-comment", "purpose: after-review")
    assert "cicc-comment" in find(problems(tmp_path, text), "forms[2].audience").message


def test_approved_needs_the_cicc_review_date(tmp_path: Path) -> None:
    text = MINIMAL.replace("    cicc_reviewed: 2026-01-10\n", "", 1)
    problem = find(problems(tmp_path, text), "forms[0].cicc_reviewed")
    assert "with-cicc" in problem.suggestion


def test_cicc_review_date_must_be_a_date(tmp_path: Path) -> None:
    text = MINIMAL.replace("cicc_reviewed: 2026-01-10", "cicc_reviewed: 10/01/2026", 1)
    assert "2026-01-10" in find(problems(tmp_path, text), "forms[0].cicc_reviewed").suggestion


def test_changes_must_describe_the_current_version(tmp_path: Path) -> None:
    text = MINIMAL.replace("version: 1\n    status", "version: 2\n    status", 1)
    problem = find(problems(tmp_path, text), "forms[0].changes")
    assert "version 2" in problem.message


def test_changes_newer_than_the_form(tmp_path: Path) -> None:
    text = MINIMAL.replace("      - version: 1\n", "      - version: 3\n", 1)
    assert (
        "newer than the form"
        in find(problems(tmp_path, text), "forms[0].changes[0].version").message
    )


def test_external_url_needs_https_and_token(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    title: How was it?\n",
        "    title: How was it?\n    external_url: http://x.example/\n",
        1,
    )
    assert "{token}" in find(problems(tmp_path, text), "forms[0].external_url").message
    ok = text.replace("http://x.example/", "https://x.example/f?ref={token}")
    assert load_text(tmp_path, ok).by_id("after").external_url == "https://x.example/f?ref={token}"


def test_letters_need_every_approved_form(tmp_path: Path) -> None:
    text = MINIMAL.replace(", parent-carer]", "]")
    problem = find(problems(tmp_path, text), "forms")
    assert "no approved after-review form for parent-carer" in problem.message


def test_drafts_do_not_count_for_letters(tmp_path: Path) -> None:
    text = MINIMAL.replace("status: approved", "status: with-cicc", 1)
    messages = [p.message for p in problems(tmp_path, text)]
    assert "no approved after-review form for child-4-7" in messages


def test_two_approved_forms_for_one_audience(tmp_path: Path) -> None:
    extra = MINIMAL.split("  - id: before\n")[0].replace("- id: after", "- id: after-2")
    text = MINIMAL + extra.replace("forms:\n", "")
    problem = find(problems(tmp_path, text), "forms")
    assert "more than one approved after-review form" in problem.message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace("    title: How was it?", "    titel: How was it?")
        .replace("kind: long-text", "kind: essay")
        .replace("purpose: before-review", "purpose: before")
    )
    fields = {p.field for p in problems(tmp_path, text)}
    assert {"forms[0].titel", "forms[2].questions[0].kind", "forms[1].purpose"} <= fields


def test_audience_for_letter_styles() -> None:
    assert audience_for("easy-read", 15) == "easy-read"
    assert audience_for("early-years", 2) == "child-4-7"
    assert audience_for("young-person") == "child-13-plus"
    assert [audience_for("auto", age) for age in (5, 8, 12, 13, 17)] == [
        "child-4-7",
        "child-8-12",
        "child-8-12",
        "child-13-plus",
        "child-13-plus",
    ]
    assert audience_for("child-8-12", 16) == "child-8-12"


# -- rendering ----------------------------------------------------------------------------------


class Page(HTMLParser):
    """Just enough of the DOM to check labels, names and structure."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[int, str] = {}  # index of a label/legend -> its text
        self.open: list[tuple[int, str]] = []
        self.depth = 0
        self.roots: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.roots.append(tag)
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in ("input", "br", "path", "circle"):
            self.depth += 1
            self.open.append((len(self.elements) - 1, tag))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.roots.append(tag)
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("input", "br", "path", "circle"):
            return
        self.depth -= 1
        self.open.pop()

    def handle_data(self, data: str) -> None:
        for index, tag in self.open:
            if tag in ("label", "legend", "a", "button", "p"):
                self.texts[index] = self.texts.get(index, "") + data

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def text_of(self, tag: str, **attrs: str) -> list[str]:
        return [
            " ".join(self.texts.get(i, "").split())
            for i, (t, a) in enumerate(self.elements)
            if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def posting(form: Form) -> FormAction:
    return FormAction(endpoint=ENDPOINT, other_ways="Or phone 01632 960000.")


def test_every_question_is_labelled(example: Forms) -> None:
    for form in example.forms:
        page = Page(render_form_html(ENV, form, posting(form), TOKEN))
        legends = page.text_of("legend")
        labels = {
            a["for"]: text for a, text in zip(page.all("label"), page.text_of("label"), strict=True)
        }
        for question in form.questions:
            if question.is_text:
                (field,) = [
                    a
                    for t, a in page.elements
                    if t in ("input", "textarea") and a.get("name") == question.id
                ]
                assert labels[field["id"]] == question.label
            else:
                assert question.label in legends
                boxes = page.all("input", name=question.id)
                assert len(boxes) == len(question.options)
                for box, words in zip(boxes, question.options, strict=True):
                    assert labels[box["id"]] == words  # the visible word is the label


def test_radios_share_a_name_and_send_distinct_values(example: Forms) -> None:
    form = example.by_id("after-review")
    page = Page(render_form_html(ENV, form, posting(form), None))
    faces = page.all("input", name="how-was-it")
    assert [a["type"] for a in faces] == ["radio"] * 5
    assert [a["value"] for a in faces] == ["1", "2", "3", "4", "5"]
    assert [a["value"] for a in page.all("input", name="had-your-say")] == ["yes", "no"]
    ids = [a["id"] for _, a in page.elements if "id" in a]
    assert len(ids) == len(set(ids))


def test_any_choices_are_checkboxes(example: Forms) -> None:
    form = example.by_id("carer")
    page = Page(render_form_html(ENV, form, posting(form), None))
    assert {a["type"] for a in page.all("input", name="went-well")} == {"checkbox"}


def test_faces_have_words_and_hidden_pictures(example: Forms) -> None:
    form = example.by_id("before-4-7")
    html = render_form_html(ENV, form, posting(form), None)
    page = Page(html)
    assert [s["aria-hidden"] for s in page.all("svg")] == ["true"] * 10
    assert "Really good" in page.text_of("label")


def test_posting_form_carries_id_version_and_token(example: Forms) -> None:
    form = example.by_id("after-review")
    page = Page(render_form_html(ENV, form, posting(form), TOKEN))
    (element,) = page.all("form")
    assert element["method"] == "post" and element["action"] == ENDPOINT
    hidden = {a["name"]: a["value"] for a in page.all("input", type="hidden")}
    assert hidden == {"form_id": "after-review", "form_version": "2", "token": TOKEN}
    assert page.text_of("button", type="submit") == ["Send my answers"]


def test_no_token_no_token_field(example: Forms) -> None:
    form = example.by_id("after-review")
    page = Page(render_form_html(ENV, form, posting(form), None))
    assert {a["name"] for a in page.all("input", type="hidden")} == {"form_id", "form_version"}
    assert "token" not in render_form_html(ENV, form, posting(form), None)


def test_no_action_means_no_button_and_other_ways(example: Forms) -> None:
    form = example.by_id("carer")
    action = FormAction(other_ways="Phone the IRO team on 01632 960000.", paper_url="print/")
    html = render_form_html(ENV, form, action, TOKEN)
    page = Page(html)
    assert not page.all("form") and not page.all("button") and not page.all("input")
    assert "Phone the IRO team on 01632 960000." in page.text_of("p")
    assert page.all("a", href="print/")
    assert len(page.all("li")) == len(form.questions)  # the questions are still shown


def test_external_form_is_a_link_with_the_token(example: Forms, tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    title: How was it?\n",
        "    title: How was it?\n    external_url: https://x.example/f?ref={token}\n",
        1,
    )
    form = load_text(tmp_path, text).by_id("after")
    action = form_action(form, ENDPOINT, "Or ask your IRO.")
    assert action.mode == "external"
    page = Page(render_form_html(ENV, form, action, TOKEN))
    assert not page.all("form") and not page.all("button")
    assert page.all("a", href=f"https://x.example/f?ref={TOKEN}")
    assert online_url(form, BASE, TOKEN) == f"https://x.example/f?ref={TOKEN}"
    public = Page(render_form_html(ENV, form, action, None))
    assert public.all("a", href="https://x.example/f?ref=")


def test_drafts_are_previews_that_send_nothing(example: Forms) -> None:
    form = example.by_id("after-13-plus")
    action = form_action(form, ENDPOINT)
    assert action.mode == "preview"
    html = render_form_html(ENV, form, action, None)
    page = Page(html)
    assert not page.all("form") and not page.all("button")
    assert page.all("input", name="how-was-it")  # shown exactly as children would see it
    assert any("Draft" in t for t in page.text_of("p"))


def test_approved_forms_post_to_the_endpoint(example: Forms) -> None:
    action = form_action(example.by_id("carer"), ENDPOINT, "Phone us.", "print/")
    assert (action.mode, action.endpoint, action.paper_url) == ("post", ENDPOINT, "print/")


def test_endpoint_must_be_https_except_on_this_machine() -> None:
    with pytest.raises(ValueError):
        FormAction(endpoint="http://forms.anytown.example/")
    with pytest.raises(ValueError):
        FormAction(endpoint=ENDPOINT, external_url="https://x.example/{token}")
    assert FormAction(endpoint="http://127.0.0.1:8000/submit").mode == "post"


def test_cicc_comments_say_which_form(example: Forms) -> None:
    about = example.by_id("after-13-plus")
    form = example.cicc_form()
    page = Page(render_form_html(ENV, form, posting(form), None, about=about))
    hidden = {a["name"]: a["value"] for a in page.all("input", type="hidden")}
    assert hidden["about_form"] == "after-13-plus" and hidden["about_version"] == str(about.version)


def hostile_form() -> Form:
    evil = '<script>alert("x")</script>'
    return Form(
        id="evil",
        title=evil,
        audiences=("child-8-12",),
        purpose="after-review",
        version=1,
        status="approved",
        cicc_reviewed=None,
        changes=(Change(1, evil),),
        intro=evil,
        questions=(
            Question("q", "short-text", evil, hint=evil),
            Question("c", "one-choice", evil, options=(evil, "B")),
            Question("f", "faces", evil, options=DEFAULT_FACES),
        ),
    )


def test_text_from_the_file_is_escaped_everywhere() -> None:
    form = hostile_form()
    outputs = [
        render_form_html(ENV, form, posting(form), None),
        render_form_html(ENV, form, FormAction(other_ways="<b>call</b>"), None),
        render_form_html(ENV, form, FormAction(preview=True), None),
        render_form_print(ENV, form, None, None, return_to="<b>post it</b>"),
    ]
    for html in outputs:
        assert "<script" not in html and "<b>" not in html
        assert "&lt;script&gt;" in html
    page = Page(outputs[0])
    assert '<script>alert("x")</script>' in page.text_of("legend")


@pytest.mark.parametrize("mode", ["post", "offline", "preview", "print"])
def test_fragments_are_one_clean_div(example: Forms, mode: str) -> None:
    actions = {
        "post": FormAction(endpoint=ENDPOINT, other_ways="Phone."),
        "offline": FormAction(other_ways="Phone."),
        "preview": FormAction(preview=True),
    }
    for form in example.forms:
        url = online_url(form, BASE, TOKEN)
        svg = qr_svg(url, f"QR code: {form.title}")
        if mode == "print":
            html = render_form_print(ENV, form, url, svg, return_to="Give it to your IRO.")
        else:
            html = render_form_html(ENV, form, actions[mode], TOKEN, svg, link=url)
        page = Page(html)
        assert page.roots == ["div"]
        assert "\n\n" not in html
        assert "style=" not in html and "<script" not in html
        assert not re.search(r"\son[a-z]+=", html)
        classes = {c for _, a in page.elements for c in a.get("class", "").split()}
        assert all(c.startswith("yr-") for c in classes), classes


def test_print_version_has_everything_paper_needs(example: Forms) -> None:
    form = example.by_id("before-8-12")
    url = online_url(form, BASE, TOKEN)
    html = render_form_print(ENV, form, url, qr_svg(url, "Scan to answer online"))
    page = Page(html)
    (root,) = [a for t, a in page.elements[:1]]
    assert root["data-max-pages"] == "1"
    assert page.all("span", class_="yr-office-box")
    assert page.all("svg", class_="yr-qr")
    assert f"reviews.anytown.example/f/before-8-12/?t={TOKEN}" in html
    faces = [q for q in form.questions if q.kind == "faces"]
    assert len(page.all("svg", class_="yr-face yr-face-1")) == len(faces)
    ticks = sum(
        len(q.options)
        for q in form.questions
        if q.kind in ("one-choice", "any-choices", "yes-no", "consent")
    )
    assert len(page.all("span", class_="yr-tickbox")) == ticks
    assert len(page.all("span", class_="yr-line")) == 3  # one long-text question, 3 lines
    assert not page.all("input") and not page.all("form")
    carer = example.carer_form()
    assert Page(render_form_print(ENV, carer, None, None)).elements[0][1]["data-max-pages"] == "2"


def test_print_heading_level(example: Forms) -> None:
    form = example.carer_form()
    assert '<h1 class="yr-print-title">' in render_form_print(
        ENV, form, None, None, heading_level=1
    )
    with pytest.raises(ValueError):
        render_form_print(ENV, form, None, None, heading_level=7)


def test_council_can_override_a_template(example: Forms, tmp_path: Path) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "print.html").write_text(
        '<div class="yr-print">{{ form.title }}</div>', encoding="utf-8"
    )
    html = render_form_print(environment(tmp_path), example.carer_form(), None, None)
    assert html == '<div class="yr-print">Your views on the review</div>\n'


def test_css_sets_a4_and_prints_without_site_chrome() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"@page\s*{\s*size:\s*A4", css)
    assert "@media print" in css
    classes = set(re.findall(r"\.(yr-[a-z0-9-]+)", css))
    assert {"yr-option", "yr-tickbox", "yr-line", "yr-office-box", "yr-print-child"} <= classes


AFTER = "forms[0].questions"  # the first form's questions, as problems name them

# Version 2 of "after" stopped asking whether the meeting was too long and started asking what
# to change: both stay declared, so each version's answers are read against what it asked.
VERSIONED = MINIMAL.replace(
    """    version: 1
    status: approved
    cicc_reviewed: 2026-01-10
    changes:
      - version: 1
        what: First version.
    questions:
      - id: how-was-it
        kind: faces
        label: How was it?
""",
    """    version: 2
    status: approved
    cicc_reviewed: 2026-01-10
    changes:
      - version: 2
        what: We stopped asking if it was too long, and ask what to change.
      - version: 1
        what: First version.
    questions:
      - id: how-was-it
        kind: faces
        label: How was it?
      - id: too-long
        kind: yes-no
        label: Was it too long?
        until: 1
      - id: change
        kind: short-text
        label: What should we change?
        since: 2
""",
    1,
)


def test_each_version_asks_its_own_questions(tmp_path: Path) -> None:
    form = load_text(tmp_path, VERSIONED).by_id("after")
    assert [q.id for q in form.questions] == ["how-was-it", "change"]  # asked now, and shown
    assert [q.id for q in form.questions_in(1)] == ["how-was-it", "too-long"]
    assert [q.id for q in form.questions_in(2)] == ["how-was-it", "change"]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("        until: 1\n", "        until: 2\n", f"{AFTER}[1].until", "is at version 2"),
        ("        since: 2\n", "        since: 3\n", f"{AFTER}[2].since", "is newer than"),
        (
            "        until: 1\n",
            "        since: 2\n        until: 1\n",
            f"{AFTER}[1].until",
            "first asked it in version 2",
        ),
    ],
)
def test_since_and_until_must_fit_the_forms_versions(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    text = VERSIONED.replace(old, new, 1)
    problem = find(problems(tmp_path, text), field)
    assert message in problem.message
    assert problem.line == line_of(text, new.strip().splitlines()[-1])


def test_an_answer_is_checked_against_the_version_it_answered(tmp_path: Path) -> None:
    from yourreview.feedback.answers import Refused, check_answer

    forms = load_text(tmp_path, VERSIONED)
    last_year = check_answer(forms, "after", "1", {"how-was-it": ["4"], "too-long": ["yes"]})
    assert last_year.form_version == 1 and last_year.answers["too-long"] == "yes"
    with pytest.raises(Refused) as refused:
        check_answer(forms, "after", "2", {"too-long": ["yes"]})
    assert list(refused.value.reasons) == ['"too-long" is not a question on version 2 of this form']
    with pytest.raises(Refused):
        check_answer(forms, "after", "1", {"change": ["More biscuits"]})  # not asked then
