"""Nobody who asks to be contacted is missed (#11 §6): a child who says yes to "Do you want your
IRO to get in touch?" on a form with no code from a letter (the general link, a paper form from
the website) can say who they are and how to reach them; the thank-you page tells them how to
reach the IRO team themselves; the internal Feedback page lists them in their own list; and what
they typed never reaches the public site, its search index, its figures or the quotes.

A copy of the example approves the new versions, as the CiCC would, and imports one answer of
each shape (Microsoft Forms .xlsx, Excel CSV, a typed-in paper form), each with a canary name.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from answers_support import MS_COLUMNS, csv_bytes, stored, write_xlsx
from conftest import ROOT, build_site, copy_example
from test_childforms import approve_new_versions
from yourreview.errors import YourReviewError
from yourreview.feedback.answers import Refused, check_answer
from yourreview.feedback.importer import run_import
from yourreview.feedback.paper import new_paper
from yourreview.feedback.quotes import quote_redactor, quotes_path, update_quotes
from yourreview.feedback.receiver import make_app
from yourreview.formpages import consultation_sheet
from yourreview.forms import GET_IN_TOUCH_LABEL, REACH_INTRO, Forms, audience_for, load_forms
from yourreview.project import Paths, load_project

FORMS = load_forms(ROOT / "site_config" / "questions.yml")
# Canary names: in no record, no ordinary word, nowhere on the site unless something leaks.
XLSX_NAME, CSV_NAME, PAPER_NAME = "Zephyrine", "Quillon", "Marisol"
XLSX_HOW = "text me on 01632 960123"
CSV_HOW = "<b>ask my carer</b>"  # escaped where it lands, never markup
SHARED = "I would like more time to talk with everyone at my review"
TEAM_PHONE = "01632 960000"  # the example's iro_team.phone


def header(forms: Forms, form_id: str) -> list[str]:
    """Microsoft Forms' columns, then each question as the export heads it (by its words)."""
    return [*MS_COLUMNS, *(q.label for q in forms.by_id(form_id).questions)]


def row(forms: Forms, form_id: str, n: int, given: dict[str, str]) -> list[str]:
    start = [str(n), "2026-03-20 10:00:00", "2026-03-20 10:04:00", "anonymous", ""]
    return [*start, *(given.get(q.id, "") for q in forms.by_id(form_id).questions)]


@pytest.fixture(scope="module")
def asked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    work = tmp_path_factory.mktemp("askback")
    root = copy_example(work / "council")
    forms = approve_new_versions(root)
    xlsx = write_xlsx(
        work / "after-review.xlsx",
        header(forms, "after-review"),
        [
            row(
                forms,
                "after-review",
                1,
                {
                    "get-in-touch": "Yes",
                    "get-in-touch-name": XLSX_NAME,
                    "get-in-touch-how": XLSX_HOW,
                    "better": SHARED,
                    "share": "Yes, share it without my name",
                },
            )
        ],
    )
    short = work / "after-review-short.csv"
    short.write_bytes(
        csv_bytes(
            [
                row(
                    forms,
                    "after-review-short",
                    7,
                    {
                        "get-in-touch": "Yes",
                        "get-in-touch-name": CSV_NAME,
                        "get-in-touch-how": CSV_HOW,
                        "share": "Yes",
                    },
                )
            ],
            header(forms, "after-review-short"),
        )
    )
    paper_dir = root / "feedback" / "paper"
    paper_dir.mkdir(parents=True, exist_ok=True)
    text = new_paper(forms.by_id("before-8-12"), "p-askback")
    text = text.replace("  get-in-touch:\n", "  get-in-touch: yes\n")
    text = text.replace("  get-in-touch-name:\n", f"  get-in-touch-name: {PAPER_NAME}\n")
    text = text.replace("  get-in-touch-how:\n", "  get-in-touch-how: ask my social worker\n")
    text = text.replace("# received: YYYY-MM-DD", "received: 2026-03-21")
    paper = paper_dir / "askback.yml"
    paper.write_text(text, encoding="utf-8")
    result = run_import(root, forms, [xlsx, short, paper])
    total = result.total
    assert [str(p) for p in result.problems if "error" in str(p.severity).lower()] == []
    # The conservation line holds with the new answers: every row read is accounted for.
    assert (total.read, total.new, total.set_aside) == (3, 3, 0)
    assert total.read == total.new + total.had + total.conflicts + total.set_aside
    # As `yourreview import` does next: written answers given with consent wait as quotes.
    project = load_project(Paths.under(root))
    update_quotes(root, forms, quote_redactor(project.minutes, project.council))
    internal = build_site(root, work / "internal", "internal")
    public = build_site(root, work / "public", "public")
    return root, internal, public, text


# ---------------------------------------------------------------- the question and its parts


def test_get_in_touch_has_its_reach_parts_asked_on_the_same_versions() -> None:
    for form in (f.newest for f in FORMS.forms):
        for asks in (q for q in form.questions if q.kind == "get-in-touch"):
            parts = [q for q in form.questions if q.reach_for == asks.id]
            assert [(p.id, p.label) for p in parts] == [
                (f"{asks.id}-name", "Your first name"),
                (f"{asks.id}-how", "How can we reach you?"),
            ], form.id
            assert all(p.kind == "short-text" and p.since == asks.since for p in parts)
            assert "ask my carer" in (parts[1].hint or "")
    # Honest about who reads it, and that it is optional.
    assert "Only the team that runs reviews reads it" in REACH_INTRO
    assert "if you want to" in REACH_INTRO


def test_an_id_kept_for_the_reach_parts_is_refused_where_it_is_written(tmp_path: Path) -> None:
    text = (
        "forms:\n  - id: mini\n    title: Mini\n    audience: child-8-12\n"
        "    purpose: after-review\n    version: 1\n    status: approved\n"
        "    cicc_reviewed: 2026-01-05\n    changes:\n      - version: 1\n        what: First.\n"
        "    questions:\n      - id: call-me\n        kind: get-in-touch\n"
        "      - id: call-me-name\n        kind: short-text\n        label: Name?\n"
    )
    path = tmp_path / "questions.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(YourReviewError) as raised:
        load_forms(path)
    line = text.splitlines().index("      - id: call-me-name") + 1
    message = str(raised.value)
    assert f":{line}:" in message and "is kept for how to reach a child" in message
    assert "choose another id" in message


def test_the_reach_parts_are_never_counted_quoted_or_themed(tmp_path: Path) -> None:
    forms = approve_new_versions(copy_example(tmp_path / "council"))
    form = forms.by_id("after-review")
    parts = {q.id for q in form.questions if q.reach_for}
    assert parts and not parts & {q.id for q in form.questions if q.is_result}
    assert not parts & (forms.text_questions("after-review", form.version) or frozenset())
    assert parts <= (forms.text_questions("after-review", form.version, reach=True) or set())
    assert forms.reach_names("after-review", form.version) == {"get-in-touch-name"}


# ---------------------------------------------------------------- on the form, online and on paper


def test_the_online_form_asks_how_to_reach_them_when_there_is_no_code(
    asked: tuple[Path, Path, Path, str],
) -> None:
    _, _, public, _ = asked
    html = (public / "f" / "after-review" / "index.html").read_text(encoding="utf-8")
    start = html.index('<div class="yr-reach" data-yr-no-code>')
    box = html[start : html.index("</div>\n</div>", start)]
    assert html.index(GET_IN_TOUCH_LABEL) < start < html.index('name="share"')
    assert 'name="get-in-touch-name"' in box and 'name="get-in-touch-how"' in box
    assert "Only the team that runs reviews reads it" in box
    # Paper from the website has no code: the same two lines to write on.
    paper = (public / "f" / "after-review" / "print" / "index.html").read_text(encoding="utf-8")
    assert "Your first name" in paper and "How can we reach you?" in paper
    # A form with no get-in-touch question asks nothing of the kind.
    carer = (public / "f" / "carer" / "index.html").read_text(encoding="utf-8")
    assert "yr-reach" not in carer


def test_a_sheet_printed_with_a_review_code_does_not_ask_who_they_are(
    asked: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    """Consultation sheets carry their review's code: asking the child's name there is noise."""
    root, _, _, _ = asked
    project = load_project(Paths.under(root))

    latest = [reviews[-1] for reviews in project.minutes.by_child().values()]
    record = next(
        r
        for r in latest
        if any(
            q.kind == "get-in-touch"
            for q in project.forms.before_review_form(audience_for(r.style, r.age)).questions
        )
    )
    sheet = consultation_sheet(project, record)
    assert GET_IN_TOUCH_LABEL in sheet
    assert "Your first name" not in sheet and "yr-reach" not in sheet


# ---------------------------------------------------------------- imports and the store


def test_every_import_shape_reads_the_reach_answers(asked: tuple[Path, Path, Path, str]) -> None:
    root, _, _, paper = asked
    rows = {r.form_id: r for r in stored(root)}
    by_form = {form_id: json.loads(r.answers) for form_id, r in rows.items()}
    assert by_form["after-review"]["get-in-touch-name"] == XLSX_NAME
    assert by_form["after-review"]["get-in-touch-how"] == XLSX_HOW
    assert by_form["after-review-short"]["get-in-touch-how"] == CSV_HOW
    assert by_form["before-8-12"] == {
        "get-in-touch": "yes",
        "get-in-touch-name": PAPER_NAME,
        "get-in-touch-how": "ask my social worker",
    }
    assert all(r.token is None for r in rows.values())
    # The paper form to fill in lists the parts, with what to write.
    assert "# Your first name (their words, exactly as written)" in paper


def test_a_reach_answer_too_long_is_refused_in_plain_words(
    asked: tuple[Path, Path, Path, str],
) -> None:
    forms = load_forms(asked[0] / "site_config" / "questions.yml")
    with pytest.raises(Refused) as refused:
        check_answer(forms, "after-review", 8, {"get-in-touch-name": ["x" * 501]})
    assert '"Your first name" has 501 characters; at most 500 fit' in refused.value.reasons


# ---------------------------------------------------------------- the internal Feedback page


def test_the_feedback_page_lists_who_asked_without_a_code(
    asked: tuple[Path, Path, Path, str],
) -> None:
    _, internal, _, _ = asked
    html = (internal / "feedback" / "index.html").read_text(encoding="utf-8")
    start = html.index('<section class="yr-get-in-touch yr-asked-no-code')
    box = html[start : html.index("</section>", start)]
    assert "Asked to be contacted, no code: 3" in box
    for name, form in (
        (XLSX_NAME, "How was your review?"),
        (CSV_NAME, "How was your meeting?"),
        (PAPER_NAME, "Have your say before your review"),
    ):
        entry = box[box.rindex('<div class="yr-answer-box">', 0, box.index(name)) :]
        entry = entry[: entry.index("</dl>")]
        assert f"<dt>Your first name</dt><dd>{name}</dd>" in entry, name
        assert form in entry
    assert "2026-03-20" in box and "2026-03-21" in box
    assert "&lt;b&gt;ask my carer&lt;/b&gt;" in box and "<b>ask my carer" not in box
    # The list of asks joined to a review does not hold them.
    first = html.index('<section class="yr-get-in-touch"')
    joined = html[first : html.index("</section>", first)]
    assert XLSX_NAME not in joined and "Asked their IRO to get in touch: 0" in joined


# ---------------------------------------------------------------- never public


def test_what_they_typed_never_reaches_the_public_site(
    asked: tuple[Path, Path, Path, str],
) -> None:
    root, _, public, _ = asked
    assert (public / "search" / "search_index.json").is_file()
    for page in public.rglob("*"):
        if page.is_file():
            text = page.read_bytes().decode("utf-8", errors="replace")
            for canary in (XLSX_NAME, CSV_NAME, PAPER_NAME, "960123"):
                assert canary not in text, (page, canary)
    # The figures are there (the answers were counted), the names are not in them.
    figures = list((public / "what-you-told-us").rglob("*.html"))
    assert figures and any("Did you feel safe" in p.read_text(encoding="utf-8") for p in figures)
    # Consent was yes, so a written answer is a quote candidate; how to reach them never is.
    quotes = quotes_path(root).read_text(encoding="utf-8")
    assert "more time to talk with everyone" in quotes
    for canary in (XLSX_NAME, CSV_NAME, "960123", "ask my carer"):
        assert canary not in quotes


def test_the_leak_check_stops_a_pasted_first_name(
    asked: tuple[Path, Path, Path, str],
    tmp_path: Path,
    failed_build: Callable[[Path], str],
) -> None:
    """One word is enough to name a child: the leak check looks for it however short."""
    root, _, _, _ = asked
    copy = tmp_path / "council"
    shutil.copytree(root, copy)
    (copy / "docs" / "news.md").write_text(
        f"# News\n\nThanks to {PAPER_NAME} for the idea.\n", encoding="utf-8"
    )
    log = failed_build(copy)
    assert "news/index.html: contains a name typed in an answer" in log
    assert PAPER_NAME not in log  # the log names the row, never what was typed


# ---------------------------------------------------------------- the thank-you page


def test_the_receiver_sends_a_no_code_ask_to_the_page_that_says_how_to_reach_the_team(
    asked: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    root, _, public, _ = asked
    copy = tmp_path / "council"
    shutil.copytree(root, copy)
    app = make_app(Paths.under(copy), thanks_base="/", store_file=tmp_path / "answers.sqlite")
    project = load_project(Paths.under(copy))
    token = project.token(project.minutes.records[0])

    def location(body: str) -> str:
        data = body.encode()
        seen: dict[str, str] = {}

        def start(status: str, headers: list[tuple[str, str]]) -> None:
            seen.update(headers)
            seen["status"] = status

        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(data)),
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(data),
        }
        b"".join(app(environ, start))
        assert seen["status"].startswith("303"), seen
        return seen["Location"]

    base = "form_id=after-review&form_version=8&get-in-touch="
    assert location(base + "yes&get-in-touch-name=Sol") == "/f/after-review/thanks/asked/"
    assert location(base + "yes&token=" + token) == "/f/after-review/thanks/"
    assert location(base + "no") == "/f/after-review/thanks/"
    page = (public / "f" / "after-review" / "thanks" / "asked" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "You asked your IRO to get in touch" in page
    assert f'href="tel:{TEAM_PHONE.replace(" ", "")}">{TEAM_PHONE}</a>' in page
    assert "0800 1111" in page  # Childline, if they are worried now
    plain = (public / "f" / "after-review" / "thanks" / "index.html").read_text(encoding="utf-8")
    assert "You asked your IRO to get in touch" not in plain
    assert not (public / "f" / "carer" / "thanks" / "asked").exists()


# ---------------------------------------------------------------- before-review forms


@pytest.mark.parametrize("form_id", ["before-8-12", "before-13-plus"])
def test_before_review_forms_get_the_box_as_a_new_version_with_the_cicc(form_id: str) -> None:
    live = FORMS.by_id(form_id)
    newest = live.newest
    asks = next(q for q in newest.questions if q.kind == "get-in-touch")
    assert newest.status == "with-cicc" and asks.since == newest.version > live.version
    assert live.approved and not any(q.kind == "get-in-touch" for q in live.questions)
    change = next(c for c in newest.changes if c.version == newest.version)
    assert GET_IN_TOUCH_LABEL in change.what
