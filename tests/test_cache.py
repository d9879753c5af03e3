"""Work that does not change is not redone, and a rebuild gives what a clean build gives.

Real builds of the example council in temporary folders: build, change one record, build again
with the cache, then delete the cache and build from clean; every file of the two sites must be
the same, byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import build_site
from yourreview import pdf as pdf_module
from yourreview.cache import CACHE_DIR, Cache, digest
from yourreview.errors import YourReviewError
from yourreview.pdf import write_letter_pdfs
from yourreview.project import Paths, Project, load_project
from yourreview.records import Record
from yourreview.render import LetterExtras

CHANGED = "minutes/2026/kai-2.yml"
OLD_LINE = "  - You can read lots of new words."
NEW_LINE = "  - You can read whole books on your own now."


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def entries(project: Path, kind: str) -> set[str]:
    folder = project / CACHE_DIR / kind
    return {p.name for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def change_one_record(project: Path) -> None:
    path = project / CHANGED
    text = path.read_text(encoding="utf-8")
    assert OLD_LINE in text
    path.write_text(text.replace(OLD_LINE, NEW_LINE), encoding="utf-8")


@pytest.fixture
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # sitemap.xml.gz carries a time
    monkeypatch.delenv("YOURREVIEW_CACHE", raising=False)


@pytest.mark.usefixtures("fixed_time")
def test_a_rebuild_after_one_change_is_byte_for_byte_a_clean_build(
    example: Path, tmp_path: Path
) -> None:
    build_site(example, tmp_path / "first", "internal")
    records, pages, codes = (entries(example, k) for k in ("records", "pages", "qr"))
    assert records and pages and codes
    change_one_record(example)

    warm = tree(build_site(example, tmp_path / "warm", "internal"))
    # Only the changed record was parsed again, and only its letter and sheet were made again.
    assert len(entries(example, "records") - records) == 1
    assert 1 <= len(entries(example, "pages") - pages) <= 2
    assert b"whole books on your own" in warm["letters/AT-2026-0455/index.html"]

    shutil.rmtree(example / CACHE_DIR)
    clean = tree(build_site(example, tmp_path / "clean", "internal"))
    assert sorted(warm) == sorted(clean)
    differ = [name for name in warm if warm[name] != clean[name]]
    assert not differ, differ[:5]


@pytest.mark.usefixtures("fixed_time")
def test_the_cache_sits_beside_mkdocs_yml_and_ignores_itself(example: Path, tmp_path: Path) -> None:
    site = build_site(example, tmp_path / "site", "internal")
    folder = example / CACHE_DIR
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert not any(CACHE_DIR in p.as_posix() for p in site.rglob("*"))


@pytest.mark.usefixtures("fixed_time")
def test_the_public_build_keeps_no_letter(example: Path, tmp_path: Path) -> None:
    build_site(example, tmp_path / "site", "public")
    assert entries(example, "records")
    assert not entries(example, "pages"), "the public build made or read a letter or sheet"
    assert not entries(example, "pdf")


def test_the_cache_can_be_switched_off(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YOURREVIEW_CACHE", "off")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    build_site(example, tmp_path / "site", "internal")
    assert not (example / CACHE_DIR).exists()


def test_a_cut_off_or_edited_entry_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path / CACHE_DIR)
    key = digest("a key")
    assert cache.text("qr", key, lambda: "made once") == "made once"
    assert cache.text("qr", key, lambda: "made twice") == "made once"
    (entry,) = (p for p in (tmp_path / CACHE_DIR / "qr").rglob("*") if p.is_file())
    entry.write_bytes(entry.read_bytes()[:-3])
    assert cache.get("qr", key) is None
    assert cache.text("qr", key, lambda: "made again") == "made again"
    entry.write_bytes(b"not a cache entry")
    assert cache.value("qr", key, lambda: 42) == 42


def test_keys_tell_their_parts_apart() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("x") == digest(b"x")


def test_a_record_with_an_error_is_reported_every_time(example: Path) -> None:
    path = example / CHANGED
    path.write_text(
        path.read_text(encoding="utf-8").replace("number: 2", "number: two"), encoding="utf-8"
    )
    for _ in range(2):
        with pytest.raises(YourReviewError) as failed:
            load_project(Paths.under(example))
        assert [p.file for p in failed.value.problems] == [CHANGED]
    others = len(list((example / "minutes").rglob("*.yml"))) - 1
    assert len(entries(example, "records")) == others  # the other records, each stored once


@pytest.mark.usefixtures("fixed_time")
def test_pdfs_are_laid_out_again_only_when_their_letter_changed(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laid_out: list[str] = []
    real = pdf_module.LetterPrinter.pdf

    def counting(self: pdf_module.LetterPrinter, document: str) -> bytes:
        laid_out.append(document)
        return real(self, document)

    rendered: list[str] = []
    real_document = pdf_module.letter_document

    def counting_renders(project: Project, record: Record, extras: LetterExtras) -> str:
        rendered.append(record.ref)
        return real_document(project, record, extras)

    monkeypatch.setattr(pdf_module.LetterPrinter, "pdf", counting)
    monkeypatch.setattr(pdf_module, "letter_document", counting_renders)
    out = tmp_path / "pdf"
    first = write_letter_pdfs(load_project(Paths.under(example)), out, workers=1)
    assert len(laid_out) == len(first) == len(list((example / "minutes").rglob("*.yml")))
    before = {p.name: p.read_bytes() for p in first}
    change_one_record(example)
    laid_out.clear()
    rendered.clear()
    second = write_letter_pdfs(load_project(Paths.under(example)), out, workers=1)
    assert len(laid_out) == 1 and "whole books on your own" in laid_out[0]
    # A kept PDF is found by what its letter is made from: the unchanged letters are not even
    # rendered again (at 3,600 letters, rendering them all was most of a one-change run).
    assert rendered == ["AT-2026-0455"]
    after = {p.name: p.read_bytes() for p in second}
    assert [n for n in before if before[n] != after[n]] == ["AT-2026-0455.pdf"]
    # And they are what a clean run, with no cache, lays out.
    monkeypatch.setenv("YOURREVIEW_CACHE", "off")
    clean = write_letter_pdfs(load_project(Paths.under(example)), tmp_path / "clean", workers=1)
    assert {p.name: p.read_bytes() for p in clean} == after


@pytest.mark.usefixtures("fixed_time")
def test_a_changed_setting_makes_every_pdf_again(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept PDF's key holds the council's settings and templates: change one and every letter
    is rendered and laid out again, and says the new thing."""
    out = tmp_path / "pdf"
    write_letter_pdfs(load_project(Paths.under(example)), out, workers=1)
    council = example / "site_config" / "council.yml"
    text = council.read_text(encoding="utf-8")
    assert "phone: 01632 960000" in text
    council.write_text(text.replace("phone: 01632 960000", "phone: 01632 960123"), "utf-8")
    laid_out: list[str] = []
    real = pdf_module.LetterPrinter.pdf

    def counting(self: pdf_module.LetterPrinter, document: str) -> bytes:
        laid_out.append(document)
        return real(self, document)

    monkeypatch.setattr(pdf_module.LetterPrinter, "pdf", counting)
    again = write_letter_pdfs(load_project(Paths.under(example)), out, workers=1)
    assert len(laid_out) == len(again)
    assert all("01632 960123" in document for document in laid_out)


@pytest.mark.usefixtures("fixed_time")
def test_pdfs_still_as_written_are_not_read_and_one_changed_by_hand_is_put_right(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pdf"
    first = write_letter_pdfs(load_project(Paths.under(example)), out, workers=1)
    made = {p.name: p.read_bytes() for p in first}
    spoiled = first[0]
    spoiled.write_bytes(b"not a PDF any more")  # someone saved over it
    kept_read: list[str] = []
    real_get = Cache.get

    def counting_get(self: Cache, kind: str, key: str) -> bytes | None:
        if kind == "pdf":
            kept_read.append(key)
        return real_get(self, kind, key)

    monkeypatch.setattr(Cache, "get", counting_get)
    again = write_letter_pdfs(load_project(Paths.under(example)), out, workers=1)
    assert len(kept_read) == 1  # only the spoiled one: the others still have their size and time
    assert {p.name: p.read_bytes() for p in again} == made
    kept_read.clear()
    write_letter_pdfs(load_project(Paths.under(example)), out, workers=1)
    assert kept_read == []
