"""Letters by post: one A4 PDF per letter, fonts embedded, the child's style kept, page numbers,
nothing cut off, QR codes that scan from 150 dpi, and no name in the metadata.

Checked with the tools a printer's proof would use: poppler's pdftotext, pdffonts and pdftoppm,
zbar's zbarimg for the QR codes, and pypdf for the font sizes and the metadata.
"""

from __future__ import annotations

import dataclasses
import http.server
import os
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from yourreview import pdf as pdf_module
from yourreview.clock import long_date
from yourreview.formpages import letter_extras
from yourreview.pdf import (
    LetterPrinter,
    letter_document,
    line_icons,
    pdf_name,
    pdf_stylesheet,
    write_letter_pdfs,
)
from yourreview.project import Paths, load_project
from yourreview.records import Record, Wish, Worry

ROOT = Path(__file__).resolve().parents[1]
PROJECT = load_project(Paths.under(ROOT))
# The hand-written records cover every style; minutes/imported/ (the earlier years, made by
# scripts/example_history.py) adds nothing a PDF test needs, and a PDF costs 8 HTML letters.
RECORDS = {
    r.ref: r for r in PROJECT.minutes.records if not r.source.startswith("minutes/imported/")
}
REFS = sorted(RECORDS)
A4 = (595.28, 841.89)  # points
SIDE_MARGIN = 20 * 72 / 25.4  # pdf.css: 20 mm left and right
PAGE_NUMBER = re.compile(r"Page (\d+) of (\d+)")
WORD_BOX = re.compile(r'xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)"')
LONG_WORD = "Wh" + "e" * 296 + "ee"  # 300 characters with no place to break


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("letters")
    return {path.stem: path for path in write_letter_pdfs(PROJECT, out, list(RECORDS.values()))}


def run(*command: str | Path) -> str:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, encoding="utf-8", check=True
    )
    return done.stdout


def pdf_text(pdf: Path) -> str:
    return run("pdftotext", "-enc", "UTF-8", pdf, "-")


def squeeze(text: str) -> str:
    # A long word may break at the end of a line anywhere (overflow-wrap: anywhere) and pdftotext
    # then puts a line break inside it, so spacing cannot be compared: every other character can.
    # pdftotext also drops the hyphen of a word broken at a line's end ("grown-" "ups").
    return re.sub(r"[\s-]+", "", text)


class Blocks(HTMLParser):
    """The text of each paragraph, list item and heading of a letter, as a reader sees it."""

    BLOCKS = frozenset({"p", "li", "h2", "h3"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[list[str]] = []
        self.blocks: list[str] = []
        self.svg = 0  # inside an icon or QR code: its <title> is not printed text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self.svg += 1
        elif tag in self.BLOCKS:
            self.open.append([])
        elif tag == "br" and self.open:
            self.open[-1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.svg -= 1
        elif tag in self.BLOCKS and self.open:
            text = " ".join("".join(self.open.pop()).split())
            if text:
                self.blocks.append(text)

    def handle_data(self, data: str) -> None:
        if self.open and not self.svg:
            self.open[-1].append(data)


def html_blocks(html: str) -> list[str]:
    parser = Blocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def font_sizes(pdf: Path) -> Counter[float]:
    """How many runs of letter text are set at each size (pt), page numbers left out."""
    sizes: Counter[float] = Counter()
    for page in PdfReader(pdf).pages:

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if text.strip() and not PAGE_NUMBER.fullmatch(text.strip()):
                sizes[round(size * tm[3] * cm[3], 1)] += 1

        page.extract_text(visitor_text=visit)
    return sizes


def word_boxes(pdf: Path) -> Iterator[tuple[float, float, float, float, float, float]]:
    """(page width, page height, xMin, yMin, xMax, yMax) for every word pdftotext finds."""
    width = height = 0.0
    for line in run("pdftotext", "-bbox", pdf, "-").splitlines():
        if m := re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line):
            width, height = float(m[1]), float(m[2])
        elif m := WORD_BOX.search(line):
            x0, y0, x1, y1 = (float(v) for v in m.groups())
            yield width, height, x0, y0, x1, y1


def decode_qr_pages(pdf: Path) -> list[str]:
    """Every QR code on every page, as a phone would read the letter printed at 150 dpi."""
    folder = pdf.parent / f"{pdf.stem}-pages"
    folder.mkdir(exist_ok=True)
    run("pdftoppm", "-r", "150", "-png", pdf, folder / "page")
    pages = sorted(folder.glob("page-*.png"))
    assert pages, f"pdftoppm made no pages from {pdf.name}"
    done = subprocess.run(
        ["zbarimg", "--raw", "-q", *map(str, pages)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode in (0, 4), done.stderr  # 4: no code found anywhere
    return done.stdout.split()


def qr_count(html: str) -> int:
    return len(re.findall(r'<svg\b[^>]*\bclass="yr-qr"', html))


def document(record: Record) -> str:
    return letter_document(PROJECT, record, letter_extras(PROJECT, record))


# --- one PDF per letter, named by reference ----------------------------------------------------


def test_one_pdf_per_letter_named_by_reference(pdfs: dict[str, Path]) -> None:
    assert sorted(pdfs) == REFS
    for ref, path in pdfs.items():
        assert path.name == pdf_name(RECORDS[ref]) == f"{ref}.pdf"
        assert RECORDS[ref].name.lower() not in path.name.lower()
        assert path.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("ref", REFS)
def test_every_page_is_a4(pdfs: dict[str, Path], ref: str) -> None:
    pages = PdfReader(pdfs[ref]).pages
    assert len(pages) >= 1
    for page in pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4, abs=1)


@pytest.mark.parametrize("ref", REFS)
def test_every_font_is_embedded(pdfs: dict[str, Path], ref: str) -> None:
    rows = run("pdffonts", pdfs[ref]).splitlines()[2:]  # after the header and its rule
    assert rows, "a letter with no fonts has no text"
    for row in rows:
        # name type… encoding emb sub uni object ID: read from the right, names may hold spaces
        emb = row.split()[-5]
        assert emb == "yes", f"font not embedded in {ref}.pdf: {row}"
    # Subset names look like ABCDEF+Andika-Bold. Only the fonts pdf.css asks for may appear:
    # anything else means a font package is missing and fontconfig silently chose another.
    names = [row.split()[0].partition("+")[2] for row in rows]
    assert any(name.startswith("Andika") for name in names), names
    assert all(re.match(r"Andika|DejaVu-?Sans-?Mono", name) for name in names), names


# --- no name, reference or date of birth in the metadata ----------------------------------------


def identifiers(record: Record) -> list[str]:
    born = record.date_of_birth
    return [
        record.name,
        record.ref,
        record.child_id,
        born.isoformat(),
        long_date(born),
        born.strftime("%d/%m/%Y"),
        f"{born.day} {born:%B %Y}",
        *(p.name for p in record.people),
    ]


@pytest.mark.parametrize("ref", REFS)
def test_metadata_carries_no_name(pdfs: dict[str, Path], ref: str) -> None:
    reader = PdfReader(pdfs[ref])
    info = reader.metadata
    assert info is not None
    assert info.title == "Your review letter"
    assert info.author == PROJECT.council.service
    fields = " | ".join(str(value) for value in info.values())
    xmp = reader.xmp_metadata
    if xmp is not None:
        fields += " | " + xmp.stream.get_data().decode("utf-8", "replace")
    for value in identifiers(RECORDS[ref]):
        assert value.lower() not in fields.lower(), f"{ref}.pdf metadata holds an identifier"
    # nor in bookmarks, which a viewer lists beside the page (a heading may name the child)
    assert reader.outline == []


# --- the PDF says what the letter on the site says ----------------------------------------------


@pytest.mark.parametrize("ref", REFS)
def test_pdf_has_every_sentence_of_the_letter(pdfs: dict[str, Path], ref: str) -> None:
    blocks = html_blocks(document(RECORDS[ref]))
    assert len(blocks) > 15
    text = squeeze(PAGE_NUMBER.sub("", pdf_text(pdfs[ref])))
    missing = [b for b in blocks if squeeze(b) not in text]
    assert not missing, f"{ref}.pdf lacks: {missing}"


@pytest.mark.parametrize("ref", REFS)
def test_every_page_is_numbered(pdfs: dict[str, Path], ref: str) -> None:
    pages = pdf_text(pdfs[ref]).split("\f")[:-1]  # pdftotext ends every page with a form feed
    assert pages
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_easy_read_is_large_type_and_other_styles_are_not(pdfs: dict[str, Path]) -> None:
    by_style: dict[str, list[str]] = {}
    for ref, record in RECORDS.items():
        by_style.setdefault(record.style, []).append(ref)
    assert {"easy-read", "child", "young-person", "early-years"} <= by_style.keys()
    body = {}
    for style, refs in by_style.items():
        sizes = sum((font_sizes(pdfs[ref]) for ref in refs), Counter[float]())
        body[style] = sizes.most_common(1)[0][0]
        if style == "easy-read":
            # every piece of text, headings and links included, at 16pt or more
            assert min(sizes) >= 16, sizes
    assert body["easy-read"] >= 16
    assert body["child"] == body["young-person"] == 12
    assert body["child"] < body["early-years"] < body["easy-read"]


def test_easy_read_icons_are_drawn(pdfs: dict[str, Path]) -> None:
    ref = next(ref for ref, r in RECORDS.items() if r.style == "easy-read")
    html = document(RECORDS[ref])
    icons = re.findall(r'<svg\b[^>]*class="yr-icon"[^>]*>', html)
    assert len(icons) >= 5
    # drawn as lines, as on the site: WeasyPrint reads this from the <svg> itself, not from CSS
    assert all('fill="none"' in tag and 'stroke="#000"' in tag for tag in icons)
    reader = PdfReader(pdfs[ref])
    streams = [page.get_contents() for page in reader.pages]
    drawn = b"".join(stream.get_data() for stream in streams if stream is not None)
    assert drawn.count(b" S\n") + drawn.count(b"\nS\n") >= len(icons)  # stroked paths


def test_line_icons_leaves_escaped_text_and_other_svg_alone() -> None:
    html = (
        '<svg class="yr-icon" viewBox="0 0 48 48"><path d="M0 0"/></svg>'
        '<svg class="yr-qr" viewBox="0 0 9 9"></svg>'
        '<p>&lt;svg class="yr-icon"&gt;</p>'
    )
    out = line_icons(html)
    assert out.count('fill="none"') == 1
    assert '<svg class="yr-qr" viewBox="0 0 9 9">' in out
    assert '<p>&lt;svg class="yr-icon"&gt;</p>' in out
    assert line_icons(out) == out  # an icon that already has the attributes keeps its own


# --- nothing cut off ----------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["easy-read", "young-person"])
def test_a_very_long_word_wraps_and_nothing_leaves_the_page(tmp_path: Path, style: str) -> None:
    base = next(r for r in RECORDS.values() if r.style == style)
    record = dataclasses.replace(
        base,
        requested_style=style,
        told_me=(Wish(f"You said {LONG_WORD} when you won."), *base.told_me),
        worries=(Worry(LONG_WORD),),
    )
    [pdf] = write_letter_pdfs(PROJECT, tmp_path, records=[record])
    text = squeeze(pdf_text(pdf))
    assert text.count(LONG_WORD) >= 2, "the long word is cut off"
    assert cut_off(pdf) == []


def long_word_letter(style: str) -> Record:
    base = next(r for r in RECORDS.values() if r.style == style)
    return dataclasses.replace(base, requested_style=style, worries=(Worry(LONG_WORD),))


def cut_off(pdf: Path) -> list[tuple[float, float]]:
    """Word boxes outside the page or its side margins (a printer's unprintable edge is ~5 mm)."""
    boxes = list(word_boxes(pdf))
    assert boxes
    return [
        (x0, x1)
        for width, height, x0, y0, x1, y1 in boxes
        if not (
            y0 >= 0 and y1 <= height and x0 >= SIDE_MARGIN - 1 and x1 <= width - SIDE_MARGIN + 1
        )
    ]


def test_a_cut_off_letter_is_caught(example: Path) -> None:
    own = example / "templates" / "pdf"
    own.mkdir(parents=True)
    # The fault: a council stylesheet that stops long words wrapping.
    (own / "pdf.css").write_text(
        pdf_stylesheet(PROJECT) + "\n* { overflow-wrap: normal !important; "
        "word-break: normal !important; }\n",
        encoding="utf-8",
    )
    project = load_project(Paths.under(example))
    [pdf] = write_letter_pdfs(project, example / "out", records=[long_word_letter("young-person")])
    assert cut_off(pdf), "a word running off the page was not noticed"


# --- QR codes scan from paper -------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned(pdfs: dict[str, Path]) -> dict[str, list[str]]:
    # pdftoppm and zbarimg are separate processes: run them side by side, one per core
    with ThreadPoolExecutor() as pool:
        return dict(zip(pdfs, pool.map(decode_qr_pages, pdfs.values()), strict=True))


@pytest.mark.parametrize("ref", REFS)
def test_qr_codes_scan_at_150_dpi(scanned: dict[str, list[str]], ref: str) -> None:
    html = document(RECORDS[ref])
    expected = qr_count(html)
    if not expected:
        return  # this letter has no QR code (a council without a site address)
    found = scanned[ref]
    assert len(found) == expected, found
    text = re.sub(r"<[^>]+>", "", html)
    carers = f"/f/{PROJECT.forms.carer_form().id}/"
    for url in found:
        assert url.startswith("https://")
        if RECORDS[ref].style == "easy-read" and carers not in url:
            # easy read gives the child nothing to type: the code, and "ask someone to help you"
            assert url.removeprefix("https://") not in text
            continue
        # the link printed beside the code, for typing, is the one the code holds (in the
        # pieces a line may end between, render.url_breaks)
        assert url.removeprefix("https://") in text


def test_example_letters_carry_qr_codes() -> None:
    # keeps the test above from passing by checking nothing
    assert PROJECT.council.site_url
    assert all(qr_count(document(r)) >= 1 for r in RECORDS.values())


def test_decode_qr_pages_reads_nothing_from_a_page_without_a_code(tmp_path: Path) -> None:
    record = RECORDS[REFS[0]]
    no_codes = dataclasses.replace(letter_extras(PROJECT, record), feedback_html="")
    [pdf] = write_letter_pdfs(PROJECT, tmp_path, [record], extras_for=lambda r: no_codes)
    assert decode_qr_pages(pdf) == []


# --- speed and workers ---------------------------------------------------------------------------


def test_workers_write_the_same_pdfs(tmp_path: Path, pdfs: dict[str, Path]) -> None:
    chosen = [RECORDS[ref] for ref in REFS[:3]]
    paths = write_letter_pdfs(PROJECT, tmp_path, chosen, workers=2)
    assert [p.name for p in paths] == [f"{r.ref}.pdf" for r in chosen]
    for path in paths:
        assert pdf_text(path) == pdf_text(pdfs[path.stem])


# --- a council's own stylesheet, and nothing fetched from anywhere ------------------------------


def test_a_council_can_override_the_pdf_stylesheet(example: Path) -> None:
    own = example / "templates" / "pdf"
    own.mkdir(parents=True)
    ours = pdf_stylesheet(PROJECT)
    (own / "pdf.css").write_text(ours.replace("size: A4;", "size: A5;"), encoding="utf-8")
    project = load_project(Paths.under(example))
    assert "size: A5;" in pdf_stylesheet(project)
    [pdf] = write_letter_pdfs(project, example / "out", records=project.minutes.records[:1])
    page = PdfReader(pdf).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (419.53, 595.28), abs=1
    )


def test_a_letter_fetches_nothing(tmp_path: Path) -> None:
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_error(404)

        def log_message(self, format: str, *args: object) -> None:
            pass

    secret = tmp_path / "secret.css"
    secret.write_text("body { display: none; }", encoding="utf-8")
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}"
            document = (
                f'<!DOCTYPE html><html lang="en"><head><title>x</title>'
                f'<link rel="stylesheet" href="{url}/style.css">'
                f'<link rel="stylesheet" href="{secret.as_uri()}"></head>'
                f'<body><p>Hello</p><img src="{url}/logo.png" alt="logo"></body></html>'
            )
            pdf = tmp_path / "x.pdf"
            pdf.write_bytes(LetterPrinter(pdf_stylesheet(PROJECT)).pdf(document))
        finally:
            server.shutdown()
    assert requests == []
    assert "Hello" in pdf_text(pdf)  # a local file was not read either: it would hide the text


# --- the fonts travel with the package -----------------------------------------------------------

MAKE_ONE_PDF = """
import sys
from pathlib import Path
from yourreview.pdf import write_letter_pdfs
from yourreview.project import Paths, load_project
project = load_project(Paths.under(Path(sys.argv[1])))
write_letter_pdfs(project, Path(sys.argv[2]), project.minutes.records[:1], workers=1)
"""


def test_andika_comes_from_the_package_not_the_machine(tmp_path: Path) -> None:
    # A fontconfig that knows only DejaVu: a machine where `make site` alone was run.
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    listed = subprocess.run(
        ["fc-list"], capture_output=True, text=True, encoding="utf-8", env=env, check=True
    ).stdout
    assert "DejaVu" in listed and "Andika" not in listed, listed
    subprocess.run(
        [sys.executable, "-c", MAKE_ONE_PDF, str(ROOT), str(tmp_path / "out")], env=env, check=True
    )
    (pdf,) = (tmp_path / "out").glob("*.pdf")
    fonts = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).partition("+")[2])
    assert {"Andika", "Andika-Bold"} <= fonts, fonts  # the regular face is named plain "Andika"


def test_the_font_licence_ships_beside_the_fonts() -> None:
    fonts = Path(pdf_module.__file__).parent / "assets" / "fonts"
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts / "OFL.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in fonts.glob("*.ttf")) == ["Andika-Bold.ttf", "Andika-Regular.ttf"]


@pytest.mark.parametrize("ref", REFS)
def test_a_typed_form_link_never_breaks_after_its_question_mark(
    pdfs: dict[str, Path], ref: str
) -> None:
    record = RECORDS[ref]
    token = PROJECT.token(record)
    lines = [line.strip() for line in pdf_text(pdfs[ref]).splitlines()]
    with_token = [line for line in lines if f"?t={token}" in line]
    # the child's link and the grown-ups' link; easy read gives the child none to type, and a
    # child under 4 (PN0) has no code or link of their own
    alone = record.style == "easy-read" or record.took_part == "PN0"
    assert len(with_token) == (1 if alone else 2), lines
    assert not [line for line in lines if line.endswith("?") and "/f/" in line]
    for line in with_token:  # the form's name, "?t=" and the token on one line
        assert re.search(r"[a-z-]+/\?t=" + token, line), line


@pytest.mark.parametrize("ref", REFS)
def test_no_page_holds_only_the_sign_off(pdfs: dict[str, Path], ref: str) -> None:
    record = RECORDS[ref]
    last = pdf_text(pdfs[ref]).split("\f")[:-1][-1]
    words = [
        line
        for line in last.splitlines()
        if line.strip() and not PAGE_NUMBER.search(line) and record.iro.name not in line
    ]
    signoff = {"the person who runs your review meetings and checks your plan is right for you"}
    assert {w.strip() for w in words} - signoff, last
