"""Forms children would design (#11 §6): three faces with feeling words, yes or no for a yes/no
question, the questions children are usually asked, consent in words a child understands, a box
to ask the IRO to get in touch, and Childline on every child's form.

The example's new versions wait for the Children in Care Council (`in_use` keeps children on the
approved ones). To follow a get-in-touch answer from the store to the internal pages, a copy of
the example approves them, as the CiCC would, and imports answers to them.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, build_site, copy_example
from yourreview.council import NATIONAL_HELPLINES
from yourreview.errors import YourReviewError
from yourreview.feedback.answers import Refused, check_answer
from yourreview.feedback.importer import run_import
from yourreview.formrender import FormAction, render_form_html, render_form_print
from yourreview.forms import (
    CONSENT_OPTIONS,
    GET_IN_TOUCH_LABEL,
    THREE_FACES,
    Forms,
    consent_given,
    load_forms,
)
from yourreview.project import Paths, load_project
from yourreview.render import environment

FORMS = load_forms(ROOT / "site_config" / "questions.yml")
SMALL = ("child-4-7", "easy-read")  # who gets three faces
USUAL = ("felt-safe", "knew-who", "met-iro", "knew-advocate", "understood-letter")
AFTER_FORMS = ("after-review", "after-review-short", "after-13-plus")


def approve_new_versions(root: Path) -> Forms:
    """What the CiCC does when they approve: status approved, and `in_use` goes."""
    path = root / "site_config" / "questions.yml"
    text = path.read_text(encoding="utf-8")
    approved, count = re.subn(r"status: with-cicc\n    in_use: \d+\n", "status: approved\n", text)
    assert count == 6, "the example's new versions changed: update approve_new_versions"
    path.write_text(approved, encoding="utf-8")
    return load_forms(path)


# ---------------------------------------------------------------- the example's new versions


def test_under_8s_and_easy_read_choose_from_three_faces_with_feeling_words() -> None:
    small = [f.newest for f in FORMS.forms if set(f.audiences) <= set(SMALL)]
    assert {f.id for f in small} == {"before-4-7", "before-easy-read", "after-review-short"}
    for form in small:
        assert not [q.id for q in form.questions if q.kind == "faces"], form.id
    meeting = FORMS.by_id("after-review-short").newest.questions_in(2)[0]
    assert (meeting.kind, meeting.options, meeting.values) == (
        "three-faces",
        THREE_FACES,
        ("1", "2", "3"),
    )


def test_a_yes_or_no_question_is_answered_yes_or_no() -> None:
    asked = [
        q for f in FORMS.forms for q in f.newest.questions if q.label.startswith("Do you like")
    ]
    assert {q.id for q in asked} == {"like-home", "like-school"}
    assert {q.kind for q in asked} == {"yes-no"}
    # Children still get the approved version with five faces until the CiCC approves it.
    assert FORMS.by_id("before-easy-read").questions[0].kind == "faces"


def test_the_short_form_asks_if_the_iro_listened() -> None:
    short = FORMS.by_id("after-review-short").newest
    assert "Did your IRO listen to you?" in [q.label for q in short.questions]


@pytest.mark.parametrize("form_id", AFTER_FORMS)
def test_each_usual_question_is_a_new_version_saying_what_changed(form_id: str) -> None:
    live = FORMS.by_id(form_id)
    newest = live.newest
    assert newest.status == "with-cicc"
    # after-13-plus has never been approved: it is with the CiCC, versions and all.
    assert live.approved == (form_id != "after-13-plus") and live.version <= newest.version
    by_id = {q.id: q for q in newest.questions}
    versions = [by_id[q].since for q in (*USUAL, "get-in-touch")]
    assert len(set(versions)) == len(versions), versions  # one version each
    said = {c.version: c.what for c in newest.changes}
    for qid, version in zip((*USUAL, "get-in-touch"), versions, strict=True):
        assert version > 1 and (version > live.version or not live.approved), qid
        assert by_id[qid].label.rstrip("?") in said[version] or qid == "knew-advocate", said
    # None of it reaches children before the CiCC says yes: the live form is the approved one.
    if live.approved:
        assert not set(USUAL) & {q.id for q in live.questions}
    assert FORMS.for_letter("child-8-12") is FORMS.by_id("after-review")


def test_the_new_versions_cannot_be_answered_yet_and_old_answers_still_count() -> None:
    with pytest.raises(Refused, match="no version"):
        check_answer(FORMS, "after-review", 8, {"felt-safe": ["yes"]})
    # Paper printed last year: five faces, and last year's consent words.
    old = check_answer(
        FORMS, "after-review-short", 1, {"how-was-it": ["4"], "share": ["No, keep it private"]}
    )
    assert old.answers == {"how-was-it": "4", "share": "no"}
    with pytest.raises(Refused, match="is not a question on version 1"):
        check_answer(FORMS, "after-review-short", 1, {"how-was-meeting": ["2"]})


# ---------------------------------------------------------------- in_use, its mistakes

MINIMAL = """\
forms:
  - id: after
    title: How was it?
    audience: [child-4-7, child-8-12, child-13-plus, easy-read]
    purpose: after-review
    version: 2
    status: {status}
    {in_use}cicc_reviewed: 2026-01-05
    changes:
      - {{version: 2, what: Three faces.}}
      - {{version: 1, what: First version.}}
    questions:
      - {{id: how, kind: faces, label: How was it?, until: 1}}
      - {{id: how-3, kind: three-faces, label: How was it?, since: 2, faces: {faces}}}
  - {{id: before, title: Before, audience: [child-4-7, child-8-12, child-13-plus, easy-read],
     purpose: before-review, {one}}}
  - {{id: carer, title: Carers, audience: parent-carer, purpose: after-review, {one}}}
  - {{id: cicc, title: CiCC, audience: cicc, purpose: cicc-comment, {one}}}
"""


# The other forms letters need, each with one version and one question.
ONE_VERSION = (
    "version: 1, status: approved, cicc_reviewed: 2026-01-05, "
    "changes: [{version: 1, what: First.}], questions: [{id: tell, kind: long-text, label: Tell}]"
)


def minimal(tmp_path: Path, status: str, in_use: str = "", faces: str = "[Sad, OK, Happy]") -> Path:
    path = tmp_path / "questions.yml"
    text = MINIMAL.format(
        one=ONE_VERSION,
        status=status,
        in_use=f"in_use: {in_use}\n    " if in_use else "",
        faces=faces,
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_in_use_keeps_children_on_the_approved_version(tmp_path: Path) -> None:
    forms = load_forms(minimal(tmp_path, "with-cicc", "1"))
    live = forms.by_id("after")
    assert (live.version, live.status, [q.id for q in live.questions]) == (1, "approved", ["how"])
    assert live.draft is not None and [q.id for q in live.draft.questions] == ["how-3"]
    assert [c.version for c in live.changes] == [1]


@pytest.mark.parametrize(
    ("status", "in_use", "faces", "said"),
    [
        ("approved", "1", "[Sad, OK, Happy]", "in_use: is for a form whose newest version is not"),
        ("with-cicc", "2", "[Sad, OK, Happy]", "version 2 is not older than the form"),
        ("approved", "", "[Sad, Happy]", "has 2 words; three-faces need exactly three"),
    ],
)
def test_in_use_and_three_faces_mistakes_are_located(
    tmp_path: Path, status: str, in_use: str, faces: str, said: str
) -> None:
    with pytest.raises(YourReviewError) as caught:
        load_forms(minimal(tmp_path, status, in_use, faces))
    assert said in str(caught.value) and "questions.yml:" in str(caught.value)


# ---------------------------------------------------------------- consent, in any version's words


@pytest.mark.parametrize(
    "value", ["yes", "YES", " Yes, you can share it ", "Yes, share it without my name"]
)
def test_consent_given_over_every_versions_yes(value: str) -> None:
    assert consent_given(value) is True


@pytest.mark.parametrize(
    "value", ["no", "No, keep it private", "No, do not share it", "", None, "maybe", ["yes"]]
)
def test_consent_given_is_no_for_anything_else(value: object) -> None:
    assert consent_given(value) is False


def test_consent_says_who_reads_it_and_that_a_child_can_change_their_mind() -> None:
    share = FORMS.by_id("after-review").questions[-1]
    lines = (share.hint or "").splitlines()
    assert len(lines) == 2 and "read what you write" in lines[0] and "change your mind" in lines[1]
    assert share.options == CONSENT_OPTIONS and "private" not in " ".join(share.options)
    # Both versions' words are the same choice when an answer comes back.
    for words, value in (("Yes, you can share it", "yes"), (CONSENT_OPTIONS[1], "no")):
        answer = check_answer(FORMS, "after-review", 2, {"share": [words]})
        assert answer.answers["share"] == value and consent_given(words) is (value == "yes")


# ---------------------------------------------------------------- Childline on every child's form


def test_childline_on_every_childs_form_online_and_on_paper() -> None:
    env = environment()
    childline = NATIONAL_HELPLINES.childline
    line = f'Worried now?</strong> Call {childline.name} <a href="tel:08001111">0800 1111</a>'
    for live in FORMS.forms:
        for form in (live, live.newest):
            online = render_form_html(env, form, FormAction(preview=True))
            paper = render_form_print(env, form, None, None)
            for html in (online, paper):
                assert (line in html) is form.for_children, form.id


# ---------------------------------------------------------------- "get in touch", end to end


@pytest.fixture(scope="module")
def asked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, str, Path]:
    work = tmp_path_factory.mktemp("get-in-touch")
    root = copy_example(work / "council")
    forms = approve_new_versions(root)
    project = load_project(Paths.under(root))
    sam = next(r for r in project.minutes.records if r.name == "Sam")
    finn = next(r for r in project.minutes.records if r.name == "Finn")
    after = forms.by_id("after-review")
    short = forms.by_id("after-review-short")
    rows = [
        (after, "t-1", project.token(sam), {"get-in-touch": "yes", "felt-safe": "no"}),
        (short, "t-2", project.token(finn), {"get-in-touch": "no", "how-was-meeting": "3"}),
        (short, "t-3", None, {"get-in-touch": "Yes", "iro-listened": "A bit"}),
    ]
    lines = [
        json.dumps(
            {
                "form_id": form.id,
                "form_version": form.version,
                "response_id": rid,
                "submitted": "2026-03-20",
                "token": token,
                "answers": answers,
            }
        )
        for form, rid, token, answers in rows
    ]
    source = root / "in" / "asked.jsonl"
    source.parent.mkdir()
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_import(root, forms, [source])
    assert (result.total.new, result.total.set_aside) == (3, 0)
    internal = build_site(root, work / "internal", "internal")
    public = build_site(root, work / "public", "public")
    return internal, public, sam.ref, finn.ref, root


def test_the_reviews_page_flags_a_child_who_asked(asked: tuple[Path, Path, str, str, Path]) -> None:
    internal, _, sam, finn, _ = asked
    html = (internal / "letters" / sam / "index.html").read_text(encoding="utf-8")
    box = html[
        html.index('class="yr-get-in-touch') : html.index(
            "</section>", html.index("yr-get-in-touch")
        )
    ]
    assert "Sam asked their IRO to get in touch" in box and "2026-03-20" in box
    assert html.index("yr-get-in-touch") < html.index('class="yr-letter ')  # before the letter
    answers = html[html.index('class="yr-answers') :]
    assert f"<dt>{GET_IN_TOUCH_LABEL}</dt><dd>Yes</dd>" in answers
    assert "<dt>Did you feel safe at your review?</dt><dd>No</dd>" in answers
    said_no = (internal / "letters" / finn / "index.html").read_text(encoding="utf-8")
    assert (
        "yr-get-in-touch" not in said_no and f"<dt>{GET_IN_TOUCH_LABEL}</dt><dd>No</dd>" in said_no
    )


def test_the_feedback_page_lists_everyone_who_asked(
    asked: tuple[Path, Path, str, str, Path],
) -> None:
    internal, _, sam, _, _ = asked
    html = (internal / "feedback" / "index.html").read_text(encoding="utf-8")
    box = html[
        html.index('class="yr-get-in-touch') : html.index(
            "</section>", html.index("yr-get-in-touch")
        )
    ]
    assert "Asked their IRO to get in touch: 1" in box
    assert f'href="../letters/{sam}/">their review</a>' in box
    # The one who asked with no code is not dropped: they have their own list.
    start = html.index('<section class="yr-get-in-touch yr-asked-no-code')
    no_code = html[start : html.index("</section>", start)]
    assert "Asked to be contacted, no code: 1" in no_code and "<dd>A bit</dd>" in no_code


def test_asking_for_the_iro_never_reaches_the_public_site(
    asked: tuple[Path, Path, str, str, Path],
) -> None:
    _, public, _, _, _ = asked
    assert not (public / "feedback").exists()
    for page in public.rglob("*"):
        if page.is_file() and page.suffix in (".html", ".json", ".xml", ".txt"):
            text = page.read_text(encoding="utf-8", errors="replace")
            assert "asked their IRO" not in text and "Nobody has asked" not in text, page
    # The question is on the public form; its answers are in no table of figures, where the
    # other new questions' answers are counted.
    form = (public / "f" / "after-review" / "index.html").read_text(encoding="utf-8")
    assert GET_IN_TOUCH_LABEL in form and 'name="felt-safe"' in form
    figures = " ".join(
        p.read_text(encoding="utf-8") for p in (public / "what-you-told-us").rglob("*.html")
    )
    assert "Did you feel safe at your review?" in figures
    assert GET_IN_TOUCH_LABEL not in figures


def test_the_leak_check_stops_the_list_reaching_the_public_site(
    asked: tuple[Path, Path, str, str, Path],
    tmp_path: Path,
    failed_build: Callable[[Path], str],
) -> None:
    """Pasted onto a public page by mistake, the list is caught: its links name the reviews."""
    internal, _, sam, _, root = asked
    copy = tmp_path / "council"
    shutil.copytree(root, copy)
    html = (internal / "feedback" / "index.html").read_text(encoding="utf-8")
    start = html.index('<section class="yr-get-in-touch')
    listed = html[start : html.index("</section>", start) + len("</section>")]
    (copy / "docs" / "asked.md").write_text(f"# Asked\n\n{listed}\n", encoding="utf-8")
    log = failed_build(copy)
    assert "asked/index.html: contains a reference" in log and sam not in log  # never shown
