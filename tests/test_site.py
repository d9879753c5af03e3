"""End-to-end: real MkDocs builds of both audiences, and the leak check proven to bite."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from yourreview.records import load_minutes

MINUTES = load_minutes(ROOT / "minutes", ROOT)


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def all_text(site: Path) -> str:
    parts = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".css", ".js"):
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".gz":
            parts.append(gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
    return "\n".join(parts)


# -- public --------------------------------------------------------------------------------


def test_public_site_has_its_pages_and_no_letters(public_site: Path) -> None:
    for page in ("index.html", "about/index.html", "words-we-use/index.html"):
        assert (public_site / page).is_file(), page
    assert not (public_site / "letters").exists()
    words = read(public_site, "words-we-use/index.html")
    assert "placement" in words and "where you live" in words


def test_public_site_holds_no_personal_data(public_site: Path) -> None:
    text = all_text(public_site)
    for r in MINUTES.records:
        assert r.ref not in text
        assert r.child_id not in text
        assert r.date_of_birth.isoformat() not in text
        assert re.search(rf"\b{re.escape(r.name)}\b", text) is None, r.name
        assert r.iro.email is None or r.iro.email not in text
    assert "Dear " not in text


def test_public_site_makes_no_third_party_requests(public_site: Path) -> None:
    for page in public_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # What a browser fetches by itself: scripts, stylesheets, icons, images, frames.
        loads = (
            r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*?"
            r'(?:src|href)="(?:https?:)?//([^"/]+)'
        )
        for host in re.findall(loads, html):
            pytest.fail(f"{page.relative_to(public_site)} loads from {host}")
    assert "fonts.googleapis" not in all_text(public_site)


def test_our_stylesheet_is_served_and_linked(public_site: Path) -> None:
    css = read(public_site, "assets/yourreview/yourreview.css")
    assert "size: A4" in css
    assert "assets/yourreview/yourreview.css" in read(public_site, "index.html")


# -- internal ------------------------------------------------------------------------------


def test_internal_site_has_one_letter_per_record(internal_site: Path) -> None:
    for r in MINUTES.records:
        html = read(internal_site, f"letters/{r.ref}/index.html")
        assert f"Dear {r.name}," in html
        assert f"yr-style-{r.style}" in html


def test_letters_index_lists_every_letter_with_its_details(internal_site: Path) -> None:
    index = read(internal_site, "letters/index.html")
    for r in MINUTES.records:
        assert f'href="{r.ref}/"' in index
        assert r.review_date.isoformat() in index
        assert r.iro.name in index
    assert f"{len(MINUTES.records)} letters" in index


def test_letters_are_not_in_the_sidebar_nor_in_search(internal_site: Path) -> None:
    home = read(internal_site, "index.html")
    nav_links = re.findall(r'<a href="([^"]+)" class="md-nav__link', home)
    assert any("letters/" in link for link in nav_links)  # the index is
    assert not any(r.ref in home for r in MINUTES.records)  # no letter is
    search = json.loads(read(internal_site, "search/search_index.json"))
    locations = [doc["location"] for doc in search["docs"]]
    assert not any(loc.startswith("letters/") for loc in locations)
    assert "Dear " not in json.dumps(search)


def test_internal_letter_links_resolve(internal_site: Path) -> None:
    index = internal_site / "letters" / "index.html"
    for href in re.findall(r'<td><a href="([^"]+)"', index.read_text(encoding="utf-8")):
        assert (index.parent / href / "index.html").is_file(), href


# -- the leak check ------------------------------------------------------------------------


def test_leak_check_fails_when_a_letter_is_forced_into_the_public_site(
    example: Path, tmp_path: Path, failed_build: Callable[[Path], str]
) -> None:
    internal = build_site(example, tmp_path / "internal", "internal")
    letter = read(internal, "letters/AT-2026-0301/index.html")
    (example / "docs" / "extra").mkdir()
    (example / "docs" / "extra" / "copied.html").write_text(letter, encoding="utf-8")
    message = failed_build(example)
    assert "extra/copied.html: contains a child name from minutes/2026/sam-2.yml" in message
    assert "extra/copied.html: contains a phone number" in message
    assert "01632 960101" not in message  # the log names the kind, never the value


def test_leak_check_fails_on_a_name_in_a_page(
    example: Path, tmp_path: Path, failed_build: Callable[[Path], str]
) -> None:
    page = example / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nWell done, Tomasz!\n", encoding="utf-8")
    message = failed_build(example)
    assert "about/index.html: contains a child name from minutes/2026/tomasz-5.yml" in message
    assert "search/search_index.json: contains a child name" in message


@pytest.mark.parametrize(
    ("file_name", "content", "kind"),
    [
        ("AT-2026-0412.txt", "nothing", "reference"),  # in a file name
        ("notes.txt", "Born 17th February 2011", "date of birth"),
        ("notes.txt", "call 01632960103 any time", "phone number"),
        ("notes.txt", "JAMIE.WHITLOW@ANYTOWN.EXAMPLE", "email address"),
        ("notes.txt", "child at-c-0933", "child reference"),
        ("notes.txt", "Alex  Fernhill chaired it", "IRO name"),
    ],
)
def test_leak_check_finds_each_kind_of_identifier(
    example: Path, failed_build: Callable[[Path], str], file_name: str, content: str, kind: str
) -> None:
    (example / "docs" / file_name).write_text(content, encoding="utf-8")
    assert f"contains a {kind}" in failed_build(example)


def test_leak_check_reads_compressed_sitemaps(
    example: Path, tmp_path: Path, failed_build: Callable[[Path], str]
) -> None:
    (example / "docs" / "old-sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>AT-2026-0733</loc>"))
    assert "old-sitemap.xml.gz: contains a reference" in failed_build(example)


def test_an_ordinary_word_can_be_allowed_by_the_council(
    example: Path, tmp_path: Path, failed_build: Callable[[Path], str]
) -> None:
    page = example / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAsk Ruby the robot.\n", encoding="utf-8")
    assert "child name" in failed_build(example)
    council = example / "site_config" / "council.yml"
    council.write_text(
        council.read_text(encoding="utf-8").replace("ordinary_words: []", "ordinary_words: [Ruby]"),
        encoding="utf-8",
    )
    build_site(example, tmp_path / "site2", "public")


def test_a_broken_record_stops_the_build_naming_every_problem(
    example: Path, tmp_path: Path, failed_build: Callable[[Path], str]
) -> None:
    record = example / "minutes" / "2026" / "finn-1.yml"
    record.write_text(
        record.read_text(encoding="utf-8")
        .replace("code: PN1", "code: PN12")
        .replace("number: 1", "number: first"),
        encoding="utf-8",
    )
    message = failed_build(example)
    assert 'minutes/2026/finn-1.yml:4:11: review.number: "first" is not a whole number' in message
    assert 'took_part.code: "PN12" is not one of the choices' in message


def test_minutes_inside_docs_dir_are_refused(
    example: Path, tmp_path: Path, failed_build: Callable[[Path], str]
) -> None:
    config = example / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      audience:", "      minutes_dir: docs/minutes\n      audience:"
        ),
        encoding="utf-8",
    )
    (example / "minutes").rename(example / "docs" / "minutes")
    assert "is inside docs_dir" in failed_build(example)
