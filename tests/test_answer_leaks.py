"""The public build's leak check knows the answers, and quotes reach the year pages only when a
person approved them: the example's answers imported as the README says, plus answers typed
here, built with real MkDocs."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import build_site, copy_example
from test_example_answers import COMMANDS
from yourreview.cli import main
from yourreview.feedback import store
from yourreview.feedback.answers import Answer
from yourreview.feedback.quotes import quotes_path, read_quotes

CANARY = "Zebulon Quartermaine"  # in no record: only an answer could put it on the site
UNSHARED = f"{CANARY} told me about the big red bus at the weekend"
SHARED = "The <script>alert(1)</script> meeting was *fun* and [short](javascript:x)"
EMAIL = "zeb.quartermaine@anytown.example"


def site_text(site: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file()
    )


def add(project: Path, *answers: Answer) -> None:
    conn = store.connect(store.store_path(project))
    try:
        with store.transaction(conn):
            store.add_many(conn, [(a, 1) for a in answers], "test")
    finally:
        conn.close()


def approve(project: Path, text: str) -> None:
    """What a person does: set one quote's status to approved, by hand, in the file."""
    path = quotes_path(project)
    quotes, _ = read_quotes(project)
    (quote,) = [q for q in quotes if q.text == text]
    body = path.read_text(encoding="utf-8")
    at = body.index(f"id: {quote.id}\n")
    body = body[:at] + body[at:].replace("status: pending", "status: approved", 1)
    path.write_text(body, encoding="utf-8")


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, its answers imported as the README says, and three typed here: one not to
    be shared (with the canary name and an email), one shared with markup in it, and one shared
    naming a carer from the records in lower case."""
    project = copy_example(tmp_path_factory.mktemp("leaks") / "council")
    for command in COMMANDS:
        assert main(["--project", str(project), *command]) == 0, command
    add(
        project,
        Answer(
            "after-review",
            2,
            {"how-was-it": "4", "better": f"{UNSHARED}, mail {EMAIL}", "share": "no"},
            None,
            "t-canary",
            "2025-07-01",
        ),
        Answer("after-review", 2, {"better": SHARED, "share": "yes"}, None, "t-s", "2025-07-02"),
        Answer(
            "after-review",
            2,
            {"better": "maggie helped me pack my bag", "share": "yes"},
            None,
            "t-m",
            "2025-07-03",
        ),
    )
    assert main(["--project", str(project), "quotes"]) == 0
    approve(project, SHARED)
    approve(project, "[name] helped me pack my bag")
    return project


@pytest.fixture(scope="module")
def site(council: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(council, tmp_path_factory.mktemp("leaks-site") / "site")


def test_a_name_typed_into_an_unshared_answer_never_reaches_the_public_site(site: Path) -> None:
    text = site_text(site)
    assert CANARY not in text and CANARY.split()[0] not in text
    assert EMAIL not in text
    assert "big red bus" not in text


def test_approved_quotes_reach_their_year_page_escaped_and_pending_ones_do_not(
    council: Path, site: Path
) -> None:
    page = (site / "what-you-told-us" / "2025-26" / "index.html").read_text(encoding="utf-8")
    assert 'id="quotes"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; meeting was *fun*" in page
    assert "<script>alert" not in site_text(site)
    assert 'href="javascript' not in page and "<em>fun" not in page
    assert "[name] helped me pack my bag" in page  # a name in any case is taken out
    quotes, _ = read_quotes(council)
    shown = {q.text for q in quotes if q.status == "approved"}
    waiting = [q.text for q in quotes if q.status != "approved" and q.text not in shown]
    assert len(waiting) > 5
    for text in waiting:
        assert f"<p>{text}</p>" not in page.replace("&#39;", "'")
    approved = [q for q in quotes if q.status == "approved" and q.year == "2024-25"]
    earlier = (site / "what-you-told-us" / "2024-25" / "index.html").read_text(encoding="utf-8")
    assert approved and all(q.text.replace("'", "&#39;") in earlier for q in approved)


def test_an_approved_quote_is_redacted_again_with_todays_names(
    council: Path, tmp_path: Path
) -> None:
    """A person approved a quote and then typed a name back into it (or the name came into
    minutes/ later): the page still shows "[name]"."""
    project = copy_example(tmp_path / "council")
    shutil.copy2(store.store_path(council), store.store_path(project))
    path = quotes_path(project)
    path.write_text(
        quotes_path(council)
        .read_text(encoding="utf-8")
        .replace("[name] helped me pack my bag", "MAGGIE helped me pack my bag"),
        encoding="utf-8",
    )
    page = build_site(project, tmp_path / "site") / "what-you-told-us" / "2025-26" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "[name] helped me pack my bag" in text and "MAGGIE" not in text


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("told me about the big red bus at", "written answer"),  # six words of it, no name
        (f"Write to {EMAIL.upper()}", "email address"),
        ("Reference r-example-0005", "response id"),
    ],
)
def test_a_planted_leak_from_the_answers_stops_the_build(
    council: Path,
    tmp_path: Path,
    failed_build: Callable[[Path], str],
    planted: str,
    kind: str,
) -> None:
    project = copy_example(tmp_path / "council")
    shutil.copy2(store.store_path(council), store.store_path(project))
    shutil.copy2(quotes_path(council), quotes_path(project))
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n{planted}\n", encoding="utf-8")
    logged = failed_build(project)
    assert f"contains a {kind} from answers.sqlite3 (answer " in logged
    assert planted not in logged and "big red bus" not in logged  # never the words themselves


def test_an_approved_quotes_words_are_no_leak_but_the_same_words_unshared_are(
    council: Path, tmp_path: Path, failed_build: Callable[[Path], str]
) -> None:
    """The example approves "More time to talk on my own before the meeting", which another
    child wrote too without it being approved: on the site by consent, so no leak; a pending
    answer's words on a hand-written page are one."""
    quotes, _ = read_quotes(council)
    texts = [q.text for q in quotes]
    assert texts.count("More time to talk on my own before the meeting") == 2
    project = copy_example(tmp_path / "council")
    shutil.copy2(store.store_path(council), store.store_path(project))
    shutil.copy2(quotes_path(council), quotes_path(project))
    build_site(project, tmp_path / "site")  # passes: the approved one is published
    pending = next(q for q in quotes if q.status == "pending" and len(q.text.split()) >= 6)
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n> {pending.text}\n", encoding="utf-8")
    assert "contains a written answer" in failed_build(project)


def test_the_stores_answers_are_what_the_check_reads(council: Path) -> None:
    """The canary is in the store (so the passing build above proves something)."""
    conn = store.connect(store.store_path(council))
    try:
        texts = [json.loads(r.answers).get("better", "") for r in store.answers(conn)]
    finally:
        conn.close()
    assert any(CANARY in t for t in texts)


def test_a_written_answer_is_found_however_the_page_escapes_it() -> None:
    from yourreview.leaks import identifiers, scan_text
    from yourreview.records import Minutes

    answer = ("written answer", "answers.sqlite3 (answer 7)", "I don't want Dad's friend there")
    ids = identifiers(Minutes(()), answers=[answer])
    for page in (
        "<p>I don&#39;t want Dad&#x27;s friend there</p>",
        '{"text": "I don\'t want dad\'s  FRIEND there"}',
    ):
        assert [leak.kind for leak in scan_text("p.html", page, ids)] == ["written answer"]
    assert scan_text("p.html", "<p>I don&#39;t want a friend there</p>", ids) == []
    # Words an approved quote publishes are not looked for.
    quoted = identifiers(Minutes(()), answers=[answer], quoted=[answer[2]])
    assert scan_text("p.html", "<p>I don&#39;t want Dad&#39;s friend there</p>", quoted) == []
    # Three words are too few to tell an answer from ordinary words.
    short = identifiers(Minutes(()), answers=[("written answer", "a", "Too long really")])
    assert not short.fragments
