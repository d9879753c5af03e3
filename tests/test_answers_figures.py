"""The answers store feeds "What you told us": the example's answers, imported as the README
says, reach the public year pages as suppressed counts, counted here straight from SQLite."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from conftest import build_site, copy_example
from test_example_answers import COMMANDS
from yourreview.cli import main
from yourreview.feedback import store
from yourreview.feedback.quotes import read_quotes
from yourreview.forms import load_forms

THRESHOLD = 5  # the example's site_config/figures.yml leaves the default


def people_per_form(project: Path, first: date, last: date) -> dict[str, int]:
    """Counted answers per form whose date falls in the year: the store read directly."""
    conn = sqlite3.connect(store.store_path(project))
    try:
        rows = conn.execute(
            "SELECT form_id, substr(coalesce(submitted, received_at), 1, 10) FROM answers"
            " WHERE status = 'counted'"
        ).fetchall()
    finally:
        conn.close()
    counts: dict[str, int] = {}
    for form_id, day in rows:
        if first <= date.fromisoformat(day) <= last:
            counts[form_id] = counts.get(form_id, 0) + 1
    return counts


def shown(text: str) -> str:
    return re.sub(r"<span class=\"yr-visually-hidden\">.*?</span>", "", text).strip()


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = copy_example(tmp_path_factory.mktemp("answers") / "council")
    for command in COMMANDS:
        assert main(["--project", str(project), *command]) == 0, command
    site = build_site(project, project / "site")
    return project, site


def test_each_forms_answers_reach_the_year_page_suppressed(imported: tuple[Path, Path]) -> None:
    project, site = imported
    page = (site / "what-you-told-us" / "2025-26" / "index.html").read_text(encoding="utf-8")
    assert 'id="answers"' in page
    forms = load_forms(project / "site_config" / "questions.yml")
    review_forms = {f.id for f in forms.approved if f.purpose != "cicc-comment"}
    counted = people_per_form(project, date(2025, 4, 1), date(2026, 3, 31))
    expected = {f: n for f, n in counted.items() if f in review_forms}
    assert expected.get("after-review", 0) > THRESHOLD  # the example has enough to show one
    for form_id, people in expected.items():
        table = re.search(
            rf'aria-labelledby="table-answered-{re.escape(form_id)}">(.*?)</table>', page, re.S
        )
        assert table, f"no table of how many answered {form_id}"
        total = re.search(r"Everyone who answered</th><td>(.*?)</td>", table.group(1))
        assert total
        assert shown(total.group(1)) == (str(people) if people > THRESHOLD else "c"), form_id
    # No published count in any answers table lies in 1..threshold.
    section = page[page.index('id="answers"') :]
    cells = [shown(c) for c in re.findall(r"<td>(.*?)</td>", section)]
    assert not [c for c in cells if c.isdigit() and 1 <= int(c) <= THRESHOLD]


def test_no_written_answer_reaches_the_public_site_but_approved_quotes(
    imported: tuple[Path, Path],
) -> None:
    project, site = imported
    quotes, problems = read_quotes(project)
    assert not problems
    approved = {q.text for q in quotes if q.status == "approved"}
    forms = load_forms(project / "site_config" / "questions.yml")
    written = {(f.id, q.id) for f in forms.forms for q in (*f.questions, *f.retired) if q.is_text}
    conn = store.connect(store.store_path(project))
    try:
        texts = [
            value
            for row in store.answers(conn)
            for qid, value in json.loads(row.answers).items()
            if (row.form_id, qid) in written and len(value) > 15
        ]
    finally:
        conn.close()
    assert len(texts) > 10  # the example's people wrote things
    published = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".xml", ".txt")
    )
    leaked = [t for t in texts if t in published or t.replace("'", "&#39;") in published]
    assert leaked and set(leaked) <= approved  # the example approves some, redaction aside
