"""`yourreview import`: every file shape and fault; nothing lost, nothing counted twice."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers_support import AFTER, MS_COLUMNS, csv_bytes, example_forms, ms_row, stored, write_xlsx
from yourreview.cli import main
from yourreview.errors import Severity
from yourreview.feedback import store
from yourreview.feedback.importer import run_import
from yourreview.feedback.paper import new_paper

FORMS = example_forms()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def errors(result: object) -> list[str]:
    return [str(p) for p in result.problems if p.severity is Severity.ERROR]  # type: ignore[attr-defined]


def test_excel_csv_with_a_byte_order_mark(tmp_path: Path) -> None:
    data = csv_bytes([ms_row(1), ms_row(2, "Café"), ms_row(3)])
    assert data.startswith(b"\xef\xbb\xbf")
    result = run_import(tmp_path, FORMS, [write(tmp_path / "in" / "after.csv", data)])
    assert errors(result) == []
    t = result.total
    assert (t.read, t.new, t.had, t.conflicts, t.set_aside) == (3, 3, 0, 0, 0)
    rows = stored(tmp_path)
    assert [r.form_id for r in rows] == ["after-review"] * 3
    first = json.loads(rows[0].answers)
    assert first == {
        "how-was-it": "4",
        "listened": "5",
        "had-your-say": "yes",
        "understood": "no",
        "better": "More time to talk",
        "share": "no",
    }
    assert rows[0].response_key == "id:1 started 2025-06-03 10:00:00"
    assert rows[0].submitted == "2025-06-03 10:02:10"


def test_cp1252_is_refused_naming_the_encoding_then_imports_with_encoding(tmp_path: Path) -> None:
    path = write(tmp_path / "after.csv", csv_bytes([ms_row(1, "Café – fine")], encoding="cp1252"))
    result = run_import(tmp_path, FORMS, [path])
    (message,) = errors(result)
    assert "after.csv:2" in message and "Windows-1252" in message
    assert "--encoding cp1252" in message
    assert result.total.read == 0 and stored(tmp_path) == []
    again = run_import(tmp_path, FORMS, [path], encoding="cp1252")
    assert errors(again) == [] and again.total.new == 1
    assert json.loads(stored(tmp_path)[0].answers)["better"] == "Café – fine"


def test_utf16_unicode_text_tab_separated(tmp_path: Path) -> None:
    data = csv_bytes([ms_row(1, "Zoë said hi"), ms_row(2)], encoding="utf-16", delimiter="\t")
    result = run_import(tmp_path, FORMS, [write(tmp_path / "after.txt", data)])
    assert errors(result) == [] and result.total.new == 2
    assert json.loads(stored(tmp_path)[0].answers)["better"] == "Zoë said hi"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ((*MS_COLUMNS, *AFTER, "How was your review?"), "repeats column 6"),
        ((*MS_COLUMNS, *AFTER, "Favourite colour"), '"Favourite colour" is not a question'),
        ((*MS_COLUMNS, *AFTER[:-1]), "has no column for"),
    ],
    ids=["repeated", "unknown", "missing"],
)
def test_bad_columns_import_nothing_from_that_file(
    tmp_path: Path, header: tuple[str, ...], expected: str
) -> None:
    rows = [ms_row(1)[: len(header)] + [""] * (len(header) - len(ms_row(1)))]
    bad = write(tmp_path / "bad.csv", csv_bytes(rows, header=header))
    good = write(tmp_path / "good.csv", csv_bytes([ms_row(7)]))
    result = run_import(tmp_path, FORMS, [bad, good], form_id="after-review")
    assert any(expected in e and "bad.csv" in e for e in errors(result)), errors(result)
    assert [f.name for f in result.files] == ["good.csv"]
    assert [r.response_key for r in stored(tmp_path)] == ["id:7 started 2025-06-03 10:00:00"]


def test_ragged_rows_and_a_huge_cell_are_set_aside_with_file_line_and_reason(
    tmp_path: Path,
) -> None:
    rows = [ms_row(1), ms_row(2)[:-2], ms_row(3, "x" * 200_000), ms_row(4), [*ms_row(5), "extra"]]
    path = write(tmp_path / "after.csv", csv_bytes(rows))
    result = run_import(tmp_path, FORMS, [path])
    t = result.total
    assert (t.read, t.new, t.set_aside) == (5, 2, 3)
    reasons = dict(result.files[0].set_aside)
    assert reasons[3] == "has 9 cells; the header row has 11"
    assert "200,000 characters" in reasons[4]
    assert reasons[6] == "has 12 cells; the header row has 11"
    aside = (tmp_path / "feedback" / "set-aside").glob("*.txt")
    text = next(aside).read_text(encoding="utf-8")
    assert "after.csv:3: has 9 cells" in text and "after.csv:4:" in text
    # the same rows set aside again are counted again, and listed once
    again = run_import(tmp_path, FORMS, [path])
    assert (again.total.read, again.total.had, again.total.set_aside) == (5, 2, 3)
    conn = store.connect(store.store_path(tmp_path))
    assert len(store.set_aside_rows(conn)) == 3
    conn.close()


def test_cumulative_exports_add_only_new_responses_and_raw_is_kept_once(tmp_path: Path) -> None:
    first = write(tmp_path / "june.csv", csv_bytes([ms_row(1), ms_row(2)]))
    second = write(tmp_path / "july.csv", csv_bytes([ms_row(1), ms_row(2), ms_row(3)]))
    a = run_import(tmp_path, FORMS, [first])
    b = run_import(tmp_path, FORMS, [second])
    c = run_import(tmp_path, FORMS, [second, first])
    assert (a.total.new, a.total.had) == (2, 0)
    assert (b.total.new, b.total.had) == (1, 2)
    assert (c.total.new, c.total.had, c.total.read) == (0, 5, 5)
    assert all(f.seen_before for f in c.files)
    assert len(stored(tmp_path)) == 3
    raw = sorted(p.name for p in (tmp_path / "feedback" / "raw").iterdir())
    assert len(raw) == 2 and all(name.endswith(".csv") for name in raw)
    assert first.read_bytes() == csv_bytes([ms_row(1), ms_row(2)])  # never changed


def test_same_id_other_answers_is_a_conflict_both_kept_the_older_counted(tmp_path: Path) -> None:
    run_import(tmp_path, FORMS, [write(tmp_path / "a.csv", csv_bytes([ms_row(1, rating="2")]))])
    result = run_import(
        tmp_path, FORMS, [write(tmp_path / "b.csv", csv_bytes([ms_row(1, rating="5")]))]
    )
    assert (result.total.conflicts, result.total.new) == (1, 0)
    rows = stored(tmp_path)
    assert [(json.loads(r.answers)["how-was-it"], r.status) for r in rows] == [
        ("2", "counted"),
        ("5", "conflict"),
    ]
    again = run_import(tmp_path, FORMS, [tmp_path / "b.csv"])
    assert (again.total.had, again.total.conflicts) == (1, 0)


def test_name_and_email_are_dropped_with_a_warning(tmp_path: Path) -> None:
    row = ms_row(1)
    row[3], row[4] = "jo.bloggs@anytown.example", "Jo Bloggs"
    result = run_import(tmp_path, FORMS, [write(tmp_path / "a.csv", csv_bytes([row]))])
    warnings = [p for p in result.problems if p.severity is Severity.WARNING]
    assert len(warnings) == 1 and "dropped" in warnings[0].message
    assert result.total.new == 1
    for f in tmp_path.glob("answers.sqlite3*"):
        data = f.read_bytes()
        assert b"Bloggs" not in data and b"jo.bloggs" not in data


def test_text_is_normalised_once_and_the_raw_file_keeps_what_was_typed(tmp_path: Path) -> None:
    typed = "Cafe\u0301\r\nline two\x07\x1b[31m end"
    path = write(tmp_path / "a.csv", csv_bytes([ms_row(1, typed)]))
    run_import(tmp_path, FORMS, [path])
    better = json.loads(stored(tmp_path)[0].answers)["better"]
    assert better == "Café\nline two[31m end"
    assert unicodedata.is_normalized("NFC", better)
    (raw,) = (tmp_path / "feedback" / "raw").iterdir()
    assert "Cafe\u0301\r\nline two\x07".encode() in raw.read_bytes()


def test_microsoft_forms_xlsx_with_token_ratings_choices_and_formulas(tmp_path: Path) -> None:
    header = [*MS_COLUMNS, "Last modified time", "token", "Who are you?"]
    header += ["Overall, how was the review?", "How did you take part?"]
    header += [
        "Did you get the invitation and papers in good time?",
        "Were your views listened to?",
    ]
    header += ["What went well?", "What could be better?", "share"]
    rows = [
        [
            1,
            "2025-05-01 09:00:00",
            "2025-05-01 09:03:00",
            "anonymous",
            None,
            None,
            "abcdefghijklmnop",
            "Foster carer",
            4,
            "In the meeting, online",
            "Yes",
            5,
            "The plan is clear;Everyone knew why we were there;",
            '=HYPERLINK("https://evil.example","click")',
            "Yes",
        ]
    ]
    path = write_xlsx(tmp_path / "carer.xlsx", header, rows)
    result = run_import(tmp_path, FORMS, [path])
    assert errors(result) == [] and result.total.new == 1
    (row,) = stored(tmp_path)
    answers = json.loads(row.answers)
    assert row.form_id == "carer" and row.token == "abcdefghijklmnop"
    assert answers["went-well"] == ["Everyone knew why we were there", "The plan is clear"]
    assert answers["how-was-it"] == "4" and answers["listened"] == "5"
    assert answers["better"] == '=HYPERLINK("https://evil.example","click")'  # text, not run


def test_json_lines_our_shape_flat_shape_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "form_id": "after-review",
                "form_version": 2,
                "response_id": "r-1",
                "answers": {"how-was-it": "5", "better": "Nothing"},
            }
        ),
        json.dumps({"form_id": "after-review-short", "how-was-it": "3", "had-your-say": "no"}),
        "{not json",
        json.dumps({"form_id": "after-review", "how-was-it": "9"}),
        "",
        json.dumps({"form_id": "nope", "x": "1"}),
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(lines).encode())
    result = run_import(tmp_path, FORMS, [path])
    assert (result.total.read, result.total.new, result.total.set_aside) == (5, 2, 3)
    reasons = dict(result.files[0].set_aside)
    assert "not JSON" in reasons[3] and '"9" is not one of the answers' in reasons[4]
    assert 'no form called "nope"' in reasons[6]


def test_paper_forms_typed_in_with_located_errors(tmp_path: Path) -> None:
    text = new_paper(FORMS.by_id("after-review-short"), "p-0001")
    filled = text.replace("  how-was-it:\n", "  how-was-it: 4\n").replace(
        "  better:\n", '  better: "I liked the biscuits"\n'
    )
    good = write(tmp_path / "feedback" / "paper" / "one.yml", filled.encode())
    bad_text = filled.replace("id: p-0001", "id: p-0002").replace(
        "how-was-it: 4", "how-was-it: Brilliant"
    )
    bad = write(tmp_path / "feedback" / "paper" / "two.yml", bad_text.encode())
    result = run_import(tmp_path, FORMS, [tmp_path / "feedback" / "paper"])
    (message,) = errors(result)
    line = bad_text.splitlines().index("  how-was-it: Brilliant") + 1
    assert message.startswith(f"feedback/paper/two.yml:{line}:") or f"two.yml:{line}:" in message
    assert "answers.how-was-it" in message and "write one of: 1 (Really bad)" in message
    assert result.total.new == 1 and bad.exists() and good.exists()
    (row,) = stored(tmp_path)
    assert row.response_key == "id:paper:p-0001"
    # renaming a typed-in form never counts it twice
    good.rename(good.with_name("renamed.yml"))
    bad.unlink()
    assert run_import(tmp_path, FORMS, [tmp_path / "feedback" / "paper"]).total.had == 1


def test_cli_json_and_the_conservation_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import copy_example

    project = copy_example(tmp_path / "council")
    path = write(tmp_path / "a.csv", csv_bytes([ms_row(1), ms_row(2)[:3]]))
    assert main(["--project", str(project), "import", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {k: out[k] for k in ("read", "new", "had", "conflicts", "set_aside")} == {
        "read": 2,
        "new": 1,
        "had": 0,
        "conflicts": 0,
        "set_aside": 1,
    }
    assert isinstance(out["problems"], list)
    assert main(["--project", str(project), "import", str(path)]) == 0
    text = capsys.readouterr().out
    assert "rows read 2 = new 0 + already had 1 + conflicts 0 + set aside 1" in text
    assert "imported before" in text


def test_new_paper_writes_a_form_to_fill_in(tmp_path: Path) -> None:
    from conftest import copy_example

    project = copy_example(tmp_path / "council")
    assert main(["--project", str(project), "new", "--paper", "carer"]) == 0
    (made,) = (project / "feedback" / "paper").glob("carer-p-*.yml")
    text = made.read_text(encoding="utf-8")
    assert "form: carer" in text and "  went-well:" in text
    assert main(["--project", str(project), "new", "--paper", "nope"]) == 1


KILL_ROWS = 40_000
IMPORT = (
    "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
    "from answers_support import example_forms;"
    "from yourreview.feedback.importer import run_import;"
    "run_import(Path(sys.argv[2]), example_forms(), [Path(sys.argv[3])])"
)


def test_an_import_killed_part_way_leaves_the_old_state_or_the_new(tmp_path: Path) -> None:
    """SIGKILL while the one transaction is being written (its pages already spilling into the
    WAL): the store then holds none of the import; run again, it holds all of it, once."""
    path = write(tmp_path / "big.csv", csv_bytes([ms_row(n) for n in range(KILL_ROWS)]))
    wal = tmp_path / "answers.sqlite3-wal"
    command = [sys.executable, "-c", IMPORT, str(Path(__file__).parent), str(tmp_path), str(path)]
    with subprocess.Popen(command) as proc:
        try:
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                if wal.exists() and wal.stat().st_size > 512 * 1024:
                    break  # well past the schema's own commit: rows are being written
                time.sleep(0.005)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be stopped"
    conn = sqlite3.connect(store.store_path(tmp_path))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = [
        conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("answers", "imports")
    ]
    conn.close()
    assert counts == [0, 0]
    assert not (tmp_path / "feedback" / "set-aside").exists()
    result = run_import(tmp_path, FORMS, [path])
    assert (result.total.new, result.total.read) == (KILL_ROWS, KILL_ROWS)
    assert len(stored(tmp_path)) == KILL_ROWS


# -- properties ---------------------------------------------------------------------------------

CELLS = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "9", "", "Good", "Really good"]),
    st.text(max_size=8),
)
ROW = st.tuples(st.integers(1, 6), CELLS, st.sampled_from(["Yes", "No", "yes", "maybe", ""]))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, max_size=12), ragged=st.sets(st.integers(0, 11), max_size=3))
def test_import_is_idempotent_and_the_count_always_adds_up(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[int, str, str]], ragged: set[int]
) -> None:
    root = tmp_path_factory.mktemp("prop")
    body = []
    for i, (rid, rating, yes) in enumerate(rows):
        row = ms_row(rid, rating=rating)
        row[7] = yes
        body.append(row[:-1] if i in ragged else row)
    path = write(root / "a.csv", csv_bytes(body))
    first = run_import(root, FORMS, [path])
    t = first.total
    assert t.read == len(rows) == t.new + t.had + t.conflicts + t.set_aside
    assert len(stored(root)) == t.new + t.conflicts
    second = run_import(root, FORMS, [path])
    s = second.total
    assert (s.new, s.conflicts, s.read) == (0, 0, t.read)
    assert s.had == t.new + t.had + t.conflicts and s.set_aside == t.set_aside
    assert len(stored(root)) == t.new + t.conflicts


def test_a_locked_store_imports_nothing_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import copy_example

    project = copy_example(tmp_path / "council")
    path = write(tmp_path / "a.csv", csv_bytes([ms_row(1)]))
    store.connect(store.store_path(project)).close()
    blocker = sqlite3.connect(store.store_path(project), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["--project", str(project), "import", str(path)]) == 1
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "nothing was imported" in capsys.readouterr().err
    assert stored(project) == []


@pytest.mark.parametrize("fault", ["an answer dropped", "an answer counted but not written"])
def test_an_import_whose_count_does_not_add_up_commits_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    """The conservation line is checked, not just printed: break the store's side of it and
    the import stops with nothing kept."""
    data = csv_bytes([ms_row(1), ms_row(2), ms_row(3)])
    path = write(tmp_path / "in" / "after.csv", data)
    real = store.add_many

    def faulty(conn: sqlite3.Connection, items: list[Any], *args: Any) -> list[str]:
        if fault == "an answer dropped":
            return real(conn, items[1:], *args)  # one row vanishes: read 3, accounted for 2
        outcomes = real(conn, items[1:], *args)
        return ["new", *outcomes]  # says "new" for a row it never wrote

    monkeypatch.setattr(store, "add_many", faulty)
    with pytest.raises(RuntimeError, match="the count does not add up"):
        run_import(tmp_path, FORMS, [path])
    assert stored(tmp_path) == []  # the transaction was rolled back
    monkeypatch.setattr(store, "add_many", real)
    assert run_import(tmp_path, FORMS, [path]).total.new == 3  # and nothing was lost


def test_a_date_as_excel_writes_it_in_england_counts_on_that_day(tmp_path: Path) -> None:
    # Excel saves CSV dates as the computer shows them (13/05/2025 10:02): read day first, so an
    # answer counts in its own year and quarter, not on the day it was imported.
    rows = [ms_row(1), ms_row(2), ms_row(3), ms_row(4)]
    rows[0][2], rows[1][2], rows[2][2], rows[3][2] = (
        "13/05/2025 10:02",
        "3/6/2025",
        "31/02/2025 10:00",
        "next Tuesday",
    )
    result = run_import(tmp_path, FORMS, [write(tmp_path / "in" / "after.csv", csv_bytes(rows))])
    t = result.total
    assert (t.read, t.new, t.set_aside) == (4, 2, 2)
    assert sorted(r.submitted or "" for r in stored(tmp_path)) == [
        "2025-05-13 10:02:00",
        "2025-06-03",
    ]
    db = sqlite3.connect(tmp_path / store.STORE_FILE)
    try:
        reasons = [r for (r,) in db.execute("SELECT reason FROM set_aside ORDER BY line")]
    finally:
        db.close()
    assert reasons == [
        'the date it was sent ("31/02/2025 10:00") is not a date: write it as YYYY-MM-DD or '
        "DD/MM/YYYY",
        'the date it was sent ("next Tuesday") is not a date: write it as YYYY-MM-DD or DD/MM/YYYY',
    ]
