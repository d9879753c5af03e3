"""Answers inside the service: on each review's page, on the Feedback page; thank-you pages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from answers_support import AFTER, MS_COLUMNS, csv_bytes, example_forms, ms_row
from conftest import build_site, copy_example
from yourreview.feedback.importer import run_import
from yourreview.project import Paths, load_project

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> [link](javascript:alert(1))'


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    work = tmp_path_factory.mktemp("answers")
    root = copy_example(work / "council")
    project = load_project(Paths.under(root))
    sam = next(r for r in project.minutes.records if r.name == "Sam")
    token = project.token(sam)
    header = [*MS_COLUMNS, *AFTER, "token"]
    child = write(root / "in" / "after.csv", csv_bytes([[*ms_row(1, HOSTILE), token]], header))
    carer = {
        "form_id": "carer",
        "response_id": "c-1",
        "token": token,
        "answers": {"who": "Foster carer", "better": "Send the papers sooner"},
    }
    lines = [json.dumps(carer), json.dumps({**carer, "answers": {"who": "Parent"}}), "{broken"]
    other = write(root / "in" / "carer.jsonl", "\n".join(lines).encode())
    result = run_import(root, example_forms(), [child, other])
    assert (result.total.new, result.total.conflicts, result.total.set_aside) == (2, 1, 1)
    internal = build_site(root, work / "internal", "internal")
    public = build_site(root, work / "public", "public")
    return internal, public, sam.ref


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_answers_show_on_the_reviews_page_joined_by_token(sites: tuple[Path, Path, str]) -> None:
    internal, _, ref = sites
    html = (internal / "letters" / ref / "index.html").read_text(encoding="utf-8")
    section = html[
        html.index('class="yr-answers') : html.index("</section>", html.index("yr-answers"))
    ]
    assert "What Sam and the carers told us" in section
    assert "<dt>How was your review?</dt><dd>Good</dd>" in section  # 4 shown as its words
    assert "<dd>Foster carer</dd>" in section and "Send the papers sooner" in section
    assert "<dd>Parent</dd>" not in section  # the conflicting copy is not counted
    # hostile text is text: no element or attribute added, no link made
    assert "&lt;script&gt;" in section and "<script" not in section
    assert "<img" not in section and "<a " not in section
    others = [p for p in (internal / "letters").glob("*/index.html") if ref not in str(p)]
    assert all("Send the papers sooner" not in p.read_text(encoding="utf-8") for p in others)


def test_the_feedback_page_lists_forms_conflicts_and_rows_set_aside(
    sites: tuple[Path, Path, str],
) -> None:
    internal, _, _ = sites
    html = (internal / "feedback" / "index.html").read_text(encoding="utf-8")
    assert "Answers kept: 3. Conflicts to resolve: 1. Rows set aside: 1." in html
    assert re.search(r"How was your review\? \(after-review\)</td><td>2</td><td>1</td>", html)
    assert re.search(r"\(carer\)</td><td>2</td><td>1</td><td>1</td>", html)
    assert "Conflicts to resolve" in html and "response c-1" in html
    assert "in/carer.jsonl</td><td>3</td><td>is not JSON" in html
    assert "their review</a>" in html and "&lt;script&gt;" in html and "<script>alert" not in html


def test_public_thank_you_pages_with_who_to_call(sites: tuple[Path, Path, str]) -> None:
    _, public, _ = sites
    forms = example_forms()
    for form in forms.approved:
        html = (public / "f" / form.id / "thanks" / "index.html").read_text(encoding="utf-8")
        assert "<h1>Thank you</h1>" in html and "What happens next" in html
        if form.for_children:
            assert "0800 1111" in html and "01632 960999" in html
        else:
            assert "0800 1111" not in html


def test_the_public_site_holds_no_answer(sites: tuple[Path, Path, str]) -> None:
    _, public, _ = sites
    for page in public.rglob("*"):
        if page.is_file() and page.suffix in (".html", ".json", ".xml", ".txt"):
            text = page.read_text(encoding="utf-8", errors="replace")
            assert "Send the papers sooner" not in text and "onerror=alert" not in text, page
    assert not (public / "feedback").exists()


def test_forms_post_to_the_endpoint_and_the_headers_allow_exactly_its_origin(
    sites: tuple[Path, Path, str],
) -> None:
    _, public, _ = sites
    form = (public / "f" / "after-review" / "index.html").read_text(encoding="utf-8")
    assert 'action="https://reviews.anytown.example/answers/"' in form
    headers = (public / "_headers").read_text(encoding="utf-8")
    (directive,) = set(re.findall(r"form-action [^;]*", headers))
    assert directive == "form-action 'self' https://reviews.anytown.example"


def test_a_token_from_the_answers_in_the_public_site_is_a_leak(
    tmp_path: Path, failed_build: Callable[[Path], str]
) -> None:
    root = copy_example(tmp_path / "council")
    stray = "zzzz2345zzzz2345"  # a token no review in minutes/ has
    line = json.dumps({"form_id": "carer", "token": stray, "answers": {"who": "Parent"}})
    run_import(root, example_forms(), [write(root / "in" / "a.jsonl", line.encode())])
    (root / "docs" / "codes.md").write_text(f"# Codes\n\n{stray}\n", encoding="utf-8")
    log = failed_build(root)
    assert "codes/index.html: contains a review token" in log and "answers.sqlite3" in log
