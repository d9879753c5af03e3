"""Letters as PDFs to print and post: one A4 PDF per review, made with WeasyPrint.

The letter is the same HTML the site shows (`render_letter`), wrapped in a whole document
(`pdf/letter.html`) and laid out with a print stylesheet of its own (`pdf/pdf.css`); a council
may override either in its templates/ folder. The PDF's metadata comes from that document's
head and never carries anything from the record; the file is named by the review's reference,
for the council's own folders only.

Speed: layout is nearly all of the cost (~0.15-0.25 s a letter). One `LetterPrinter` parses the
stylesheet once and shares one font configuration for a whole run (a few per cent a letter), and
a large batch is laid out by one process per core: the HTML is rendered here, where the project
is, and only text (document, stylesheet) goes to the workers, which send back the PDF's bytes.
Each PDF is kept in the project's cache under the hash of what its letter is made from (the
record, the child's previous review, the day it is sent, the council's templates and settings)
and the stylesheet, so only letters that changed are rendered and laid out again; a PDF file
already holding the same bytes is not rewritten, and one still with the size and time it was
written with is not even read.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from weasyprint import CSS, HTML  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

from .cache import Cache, code_version, digest
from .checks import letter_inputs
from .formpages import letter_extras
from .project import Project
from .records import Record
from .render import LetterExtras, render_letter

DOCUMENT_TEMPLATE = "pdf/letter.html"
STYLESHEET_TEMPLATE = "pdf/pdf.css"
# Andika (SIL Open Font Licence, OFL.txt beside the files) ships inside the package, so a letter
# looks the same on every machine, not only where the font happens to be installed.
FONTS_DIR = Path(__file__).parent / "assets" / "fonts"
FONT_FACES = {"normal": "Andika-Regular.ttf", "bold": "Andika-Bold.ttf"}


def font_faces() -> str:
    """@font-face rules naming our own Andika files, read before the letter's stylesheet."""
    return "".join(
        f'@font-face {{ font-family: "Andika"; font-style: normal; font-weight: {weight}; '
        f'src: url("{(FONTS_DIR / name).as_uri()}"); }}\n'
        for weight, name in FONT_FACES.items()
    )


class _LetterFetcher(URLFetcher):  # type: ignore[misc]
    """Inline `data:` images, and our own font files: a letter needs nothing else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "file"))

    def fetch(self, url: str, headers: object = None) -> object:
        if url.startswith("file:") and url not in _FONT_URLS:
            raise ValueError(f"a letter may not read files: {url}")
        return super().fetch(url, headers)


_FONT_URLS = frozenset((FONTS_DIR / name).as_uri() for name in FONT_FACES.values())

ExtrasFor = Callable[[Record], LetterExtras]


def letter_document(project: Project, record: Record, extras: LetterExtras) -> str:
    """One letter as a standalone HTML document, as the PDF lays it out."""
    letter = render_letter(project.env, record, project.minutes, project.council, extras)
    return project.env.get_template(DOCUMENT_TEMPLATE).render(
        letter=line_icons(letter), council=project.council
    )


# WeasyPrint styles an inline SVG only from the SVG's own attributes and <style>, never from the
# page's stylesheet, so the icons' line-drawing style must sit on the <svg> element itself. A
# browser lets CSS override these attributes, so the site is unchanged. Text from a record is
# escaped before it reaches here: it can never contain a literal `<svg`.
_ICON_TAG = re.compile(r'<svg\b[^>]*\bclass="yr-icon"[^>]*>')
_LINE_STYLE = {
    "fill": "none",
    "stroke": "#000",
    "stroke-width": "3",
    "stroke-linejoin": "round",
    "stroke-linecap": "round",
}


def line_icons(html: str) -> str:
    """Give each `yr-icon` SVG the presentation attributes of a line drawing, if it lacks them."""

    def add(match: re.Match[str]) -> str:
        tag = match[0]
        missing = [f' {k}="{v}"' for k, v in _LINE_STYLE.items() if f" {k}=" not in tag]
        return tag[:-1] + "".join(missing) + ">"

    return _ICON_TAG.sub(add, html)


def pdf_stylesheet(project: Project) -> str:
    """The print stylesheet's text: the council's own pdf/pdf.css if it has one, else ours."""
    loader = project.env.loader
    assert loader is not None  # render.environment always sets one
    source, _, _ = loader.get_source(project.env, STYLESHEET_TEMPLATE)
    return source


class LetterPrinter:
    """Turns letter documents into PDF bytes, reusing one parsed stylesheet and font set."""

    def __init__(self, stylesheet: str) -> None:
        self._fonts = FontConfiguration()
        # A letter needs nothing from outside itself; inline `data:` images are the only thing
        # a council template may pull in. No request ever leaves the machine.
        self._fetcher = _LetterFetcher()
        self._css = [
            CSS(string=css, font_config=self._fonts, url_fetcher=self._fetcher)
            for css in (font_faces(), stylesheet)
        ]
        self._cache: dict[str, object] = {}  # images WeasyPrint has decoded, shared by letters

    def pdf(self, document: str) -> bytes:
        html = HTML(string=document, url_fetcher=self._fetcher, media_type="print")
        pdf: bytes = html.write_pdf(
            stylesheets=self._css,
            font_config=self._fonts,
            cache=self._cache,
            pdf_tags=True,  # a tagged PDF reads in order, with headings, in a screen reader
        )
        return pdf


def pdf_name(record: Record) -> str:
    """`<ref>.pdf`: the council's reference, never the child's name (a file name travels)."""
    return f"{record.ref}.pdf"


def write_letter_pdfs(
    project: Project,
    out_dir: Path,
    records: Sequence[Record] | None = None,
    extras_for: ExtrasFor | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write one PDF per letter into `out_dir` (made if missing); return the paths in order.

    `records` defaults to every review in the project. `extras_for` gives each letter its
    extras (the review clock, the feedback part with its QR codes); by default the same extras
    as the letter on the site, so paper and screen say the same thing. `workers`
    is how many processes lay out PDFs; by default one per core for a large batch.
    """
    chosen = project.minutes.records if records is None else records
    extras = extras_for or (lambda record: letter_extras(project, record))
    out_dir.mkdir(parents=True, exist_ok=True)
    # Rendering HTML is cheap and needs the project; layout is where the time goes, and needs
    # only the document and the stylesheet, which are plain text any process can take.
    stylesheet = pdf_stylesheet(project)
    version = digest(code_version(), stylesheet)

    def document(record: Record) -> str:
        return letter_document(project, record, extras(record))

    key_of = _pdf_key(project, version, document if extras_for else None)
    written = _Written(project.cache, out_dir)
    todo: list[tuple[Record, Path, str]] = []  # letters whose PDF is not kept: lay them out
    for record in chosen:
        path = out_dir / pdf_name(record)
        key = key_of(record)
        if written.holds(path, key):
            continue
        made = project.cache.get("pdf", key)
        if made is None:
            todo.append((record, path, key))
        else:
            written.write(path, key, made)
    count = _workers(len(todo)) if workers is None else max(1, workers)
    # Documents are made again as the workers need them, so only a few are held at a time.
    documents = (document(record) for record, _, _ in todo)
    for (_, path, key), made in zip(todo, _lay_out(stylesheet, documents, count), strict=True):
        written.write(path, key, made)
        project.cache.put("pdf", key, made)
    written.save()
    return [out_dir / pdf_name(record) for record in chosen]


class _Written:
    """What this command last wrote into an output folder: each file's key, size and time. A
    file that still has the size and time it was written with holds that key's PDF, and is not
    read again (3,600 kept PDFs are 100 MB to read and compare); any other is compared and, if
    it differs, written again, so a PDF edited or replaced by hand is put right."""

    def __init__(self, cache: Cache, out_dir: Path) -> None:
        self._cache = cache
        self._key = digest("pdf-written", str(out_dir.resolve()))
        found = cache.get("pdf-written", self._key)
        try:
            self._files: dict[str, list[object]] = json.loads(found) if found else {}
        except ValueError:
            self._files = {}
        self._changed = False

    def holds(self, path: Path, key: str) -> bool:
        try:
            stat = path.stat()
        except OSError:
            return False
        return self._files.get(path.name) == [key, stat.st_size, stat.st_mtime_ns]

    def write(self, path: Path, key: str, data: bytes) -> None:
        _write_if_changed(path, data)
        stat = path.stat()
        self._files[path.name] = [key, stat.st_size, stat.st_mtime_ns]
        self._changed = True

    def save(self) -> None:
        if self._changed:
            self._cache.put("pdf-written", self._key, json.dumps(self._files).encode("utf-8"))


def _pdf_key(
    project: Project, version: str, document: Callable[[Record], str] | None
) -> Callable[[Record], str]:
    """How a letter's kept PDF is found. With the site's own extras, by what the letter is made
    from (`letter_inputs`, as the site's letter cache and its checks are), so an unchanged letter
    is not even rendered: a run after one record changed renders and lays out that one. With
    other extras (a caller's own), by the document itself, which must then be made to know."""
    if document is None:
        inputs = project.inputs_digest()
        return lambda record: digest(version, inputs, "pdf", *letter_inputs(project, record))
    return lambda record: digest(version, document(record))


def _lay_out(stylesheet: str, documents: Iterator[str], count: int) -> Iterator[bytes]:
    """Each document's PDF, in order: in this process, or `count` worker processes."""
    if count == 1:
        printer = LetterPrinter(stylesheet)
        yield from (printer.pdf(document) for document in documents)
        return
    # spawn: a fresh process per worker, never a fork of one holding Pango and fontconfig.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        count, mp_context=context, initializer=_start_worker, initargs=(stylesheet,)
    ) as pool:
        window: deque[Future[bytes]] = deque()  # a few letters ahead of the one written next
        for document in documents:
            window.append(pool.submit(_pdf_in_worker, document))
            if len(window) >= count * 4:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    path.write_bytes(data)


SMALL_BATCH = 40  # below this, starting worker processes costs more than it saves


def _workers(letters: int) -> int:
    if letters < SMALL_BATCH:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, 8))


_printer: LetterPrinter | None = None  # one per worker process, made once by _start_worker


def _start_worker(stylesheet: str) -> None:
    global _printer
    _printer = LetterPrinter(stylesheet)


def _pdf_in_worker(document: str) -> bytes:
    assert _printer is not None
    return _printer.pdf(document)
