"""What you told us, end to end: a few hundred generated records built by real MkDocs, and the
published figures checked against counts made here from what the generator meant (never from
the figures code), the small numbers against HiGHS over each year's whole published system,
and every page and the report against each other."""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLE_PARTS, ROOT, build_site, run_cli
from test_suppression import highs_range
from yourreview.feedback.suppression import Sum

sys.path.insert(0, str(ROOT / "scripts"))
from example_history import Meant, write_history

THRESHOLD = 5
SYMBOL = "c"
QUARTER_COLUMNS = ("April to June", "July to September", "October to December", "January to March")
HELD_ROWS = {"on time": "Held on time", "late": "Held late", "not known": "We could not check"}
LETTER_ROWS = {
    "on time": "Sent within 20 working days",
    "late": "Sent later",
    "not recorded": "No date sent written down",
}
PN_START = {  # how each code's row begins on the page
    "PN0": "Children who were under 4",
    "PN1": "Children who came and spoke",
    "PN2": "Children who came, and someone else",
    "PN3": "Children who came and showed",
    "PN4": "Children who came but did not",
    "PN5": "Children who did not come, and asked",
    "PN6": "Children who did not come, and sent",
    "PN7": "Children who did not come, and did not",
}


class Tables(HTMLParser):
    """Every table on a page: caption -> {(row label, column header): text shown}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[tuple[str, str], str]] = {}
        self.caption = ""
        self.headers: list[str] = []
        self.row: list[str] = []
        self.text: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span" and ("class", "yr-visually-hidden") in attrs:
            self.skip += 1
        elif tag in ("caption", "th", "td"):
            self.text = []
        elif tag == "tr":
            self.row = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.skip:
            self.skip -= 1
        elif tag == "caption" and self.text is not None:
            self.caption = "".join(self.text).strip()
            self.tables[self.caption] = {}
        elif tag in ("th", "td") and self.text is not None:
            self.row.append("".join(self.text).strip())
            self.text = None
        elif tag == "tr":
            if self.row[:1] == ["What we counted"]:
                self.headers = self.row
            else:
                for header, value in zip(self.headers[1:], self.row[1:], strict=True):
                    self.tables[self.caption][(self.row[0], header)] = value
        elif tag == "table":
            self.headers = []

    def handle_data(self, data: str) -> None:
        if self.text is not None and not self.skip:
            self.text.append(data)


def page_tables(html: str) -> dict[str, dict[tuple[str, str], str]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


@dataclass
class Truth:
    """Counts made from what the generator meant, cell by cell, named as the page names them."""

    values: dict[tuple[str, str, str], int]
    sums: list[Sum]


def truth(meant: list[Meant], start: int) -> Truth:
    def quarter(d: date) -> str | None:
        if not date(start, 4, 1) <= d <= date(start + 1, 3, 31):
            return None
        return QUARTER_COLUMNS[((d.month - 4) % 12) // 3]

    counts: Counter[tuple[str, str, str]] = Counter()
    for m in meant:
        q = quarter(m.review_date)
        if q is None:
            continue
        for table, row in (
            ("Reviews held on time", "Reviews held"),
            ("Reviews held on time", HELD_ROWS[m.held]),
            ("Letters sent within 20 working days", LETTER_ROWS[m.letter]),
        ):
            counts[(table, row, q)] += 1
            counts[(table, row, "The whole year")] += 1
        counts[("How children took part in their reviews", m.code, "Reviews")] += 1
    values: dict[tuple[str, str, str], int] = {}
    periods = (*QUARTER_COLUMNS, "The whole year")
    rows = {
        "Reviews held on time": ("Reviews held", *HELD_ROWS.values()),
        "Letters sent within 20 working days": tuple(LETTER_ROWS.values()),
    }
    for table, names in rows.items():
        for name in names:
            for p in periods:
                values[(table, name, p)] = counts[(table, name, p)]
    for code in PN_START:
        key = ("How children took part in their reviews", code, "Reviews")
        values[key] = counts[key]
    # The letters' rows add up to the reviews held, as the held rows do.
    reviews = {p: values[("Reviews held on time", "Reviews held", p)] for p in periods}
    name = "|".join
    sums = []
    for table, names in rows.items():
        for n in names:
            sums.append(
                Sum(name((table, n, periods[-1])), tuple(name((table, n, q)) for q in periods[:4]))
            )
    held = [n for n in rows["Reviews held on time"] if n != "Reviews held"]
    for p in periods:
        total = name(("Reviews held on time", "Reviews held", p))
        sums.append(Sum(total, tuple(name(("Reviews held on time", n, p)) for n in held)))
        letters = tuple(
            name(("Letters sent within 20 working days", n, p)) for n in LETTER_ROWS.values()
        )
        sums.append(Sum(total, letters))
    pn = tuple(name(("How children took part in their reviews", c, "Reviews")) for c in PN_START)
    sums.append(Sum(name(("Reviews held on time", "Reviews held", periods[-1])), pn))
    assert reviews[periods[-1]] == sum(values[(t, c, r)] for t, c, r in values if c in PN_START)
    return Truth(values, sums)


def shown_cells(tables: dict[str, dict[tuple[str, str], str]]) -> dict[tuple[str, str, str], str]:
    """The page's count cells, keyed as `truth` keys them (PN rows by code)."""
    found: dict[tuple[str, str, str], str] = {}
    for caption, cells in tables.items():
        for (row, column), text in cells.items():
            column = column.rsplit(" ", 1)[0] if column[-4:].isdigit() else column
            if caption == "How children took part in their reviews":
                code = next((c for c, start in PN_START.items() if row.startswith(start)), None)
                if code is None or column != "Reviews":
                    continue
                row = code
            found[(caption, row, column)] = text
    return found


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Meant]]:
    project = tmp_path_factory.mktemp("big") / "council"
    project.mkdir()
    for part in EXAMPLE_PARTS:
        source = ROOT / part
        if part == "minutes" or not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            shutil.copy2(source, project / part)
    meant = write_history(project / "minutes", children=70, seed=5, late=0.1, letters_late=0.3)
    site = build_site(project, project.parent / "site", "public")
    return project, site, meant


def read(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("start", [2024, 2025])
def test_the_pages_numbers_are_the_records_counted_independently(
    big: tuple[Path, Path, list[Meant]], start: int
) -> None:
    _, site, meant = big
    assert len(meant) >= 300  # "a few hundred records"
    expected = truth(meant, start)
    shown = shown_cells(page_tables(read(site, f"what-you-told-us/{start}-{(start + 1) % 100}")))
    assert set(expected.values) <= set(shown)
    hidden = {key for key, text in shown.items() if text == SYMBOL}
    for key, value in expected.values.items():
        if key not in hidden:
            assert shown[key] == str(value), key
            assert not 1 <= value <= THRESHOLD, key
    assert hidden, "a few hundred records always have some small numbers"
    # Every hidden cell, given everything published on the page, could be any of at least
    # THRESHOLD + 1 values: HiGHS over the year's whole system of sums.
    values = {"|".join(k): v for k, v in expected.values.items()}
    secret = {"|".join(k) for k in hidden if k in expected.values}
    for cell in secret:
        r = highs_range(values, expected.sums, secret, cell)
        assert r.width is None or r.width >= THRESHOLD, (cell, r)


def test_percentages_are_shown_only_on_a_shown_base_and_count(
    big: tuple[Path, Path, list[Meant]],
) -> None:
    _, site, _ = big
    tables = page_tables(read(site, "what-you-told-us/2025-26"))
    letters = tables["Letters sent within 20 working days"]
    for column in {c for _, c in letters}:
        percent = letters[("Sent within 20 working days, out of all reviews", column)]
        count = letters[("Sent within 20 working days", column)]
        rows = [letters[(r, column)] for r in LETTER_ROWS.values()]
        if SYMBOL in rows:
            assert percent == SYMBOL, column
        else:
            base = sum(int(v) for v in rows)
            assert percent == (f"{(200 * int(count) + base) // (2 * base)}%" if base >= 5 else "c")


def test_every_page_and_the_report_show_the_same_cells(
    big: tuple[Path, Path, list[Meant]],
) -> None:
    project, site, _ = big
    year = page_tables(read(site, "what-you-told-us/2025-26"))
    cells = {
        (caption, row, column): text
        for caption, t in year.items()
        for (row, column), text in t.items()
    }
    easy = read(site, "what-you-told-us/2025-26-easy-read")
    reviews = year["Reviews and children"][("Reviews held", "The whole year")]
    assert f"We had {reviews} reviews." in easy
    pn = year["How children took part in their reviews"]
    for (row, column), text in pn.items():
        if column == "Reviews" and row != "All reviews":
            assert f"<li>{row}: {text}</li>" in easy
    assert f"({reviews} reviews)" in read(site, "what-you-told-us")
    result = run_cli(project, "report", "--year", "2025-26", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = list(csv.DictReader(io.StringIO(result.stdout)))
    assert lines and all(line["figures"] == "published" for line in lines)
    for line in lines:
        row = re.sub(r"^PN\d: ", "", line["row"])
        assert cells[(line["table"], row, line["column"])] == line["value"], line


def test_nothing_finer_than_a_quarter_and_no_record_detail_is_published(
    big: tuple[Path, Path, list[Meant]],
) -> None:
    _, site, _ = big
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    for page in sorted((site / "what-you-told-us").rglob("index.html")):
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        assert not re.search(rf"\b\d{{1,2}} (?:{months})\b", text), page
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), page
        assert "AT-C-" not in text and "Anouk" not in text


def test_the_example_council_shows_two_whole_years(public_site: Path) -> None:
    index = read(public_site, "what-you-told-us")
    assert "April 2025 to March 2026" in index and "April 2024 to March 2025" in index
    assert "April 2026" not in index  # the year under way is not published
    page = read(public_site, "what-you-told-us/2025-26")
    assert 'role="img"' in page and "<desc" in page and "You said" in page
    for name in ("2024-25", "2024-25-easy-read", "2025-26-easy-read", "about", "you-said-we-did"):
        assert (public_site / "what-you-told-us" / name / "index.html").exists(), name


def test_hidden_cells_are_kept_by_their_counts_between_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yourreview.cache import Cache
    from yourreview.feedback import figures

    store = Cache(tmp_path / "cache")
    sums = [[Sum("t", ("a", "b", "c"))]]
    small = {"t": 12, "a": 2, "b": 5, "c": 5}
    first = figures.suppress_year(small, sums, 3, store)
    assert "a" in first and len(first) >= 2  # a small cell, and one more to protect it
    assert list((tmp_path / "cache" / "hidden").rglob("*"))  # kept on disk
    # A new process (no memory) with the same counts reads the cells back, unsolved ...
    monkeypatch.setattr(figures, "_SUPPRESSED", {})
    monkeypatch.setattr(figures, "_suppress_linked", lambda *a: pytest.fail("solved again"))
    assert figures.suppress_year(small, sums, 3, store) == first
    # ... and other counts are never served those cells: they are solved.
    monkeypatch.setattr(figures, "_suppress_linked", lambda *a: frozenset({"solved"}))
    assert figures.suppress_year({**small, "a": 1, "t": 11}, sums, 3, store) == {"solved"}
    assert figures.suppress_year(small, sums, 4, store) == {"solved"}
