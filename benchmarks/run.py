"""Benchmarks, run on demand (`make bench`), never as timed tests. See benchmarks/README.md.

For each N (default 100, 1,000, 3,600 and 10,000 reviews; `BENCH_N=100,1000 make bench` or
`--records 100 1000` for fewer) this makes a fictional council (generate.py), runs every
command as a user would, each in its own process, and prints ONE table of wall time and peak
memory, with the baseline measured in the same run: plain MkDocs + Material building as many
hand-written Markdown pages as the internal build writes, of the same size, with the same theme,
features, Markdown extensions and plugins (search included), outside the nav. Then it checks
the issue's targets against those numbers.

    python benchmarks/run.py [--records 100 1000 3600 10000] [--no-pdf-above 3600] [--json F]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, generate_answers, generate_plain

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
ENV.pop("YOURREVIEW_CACHE", None)
# As installed for a council: compiled modules (.pyc) kept and reused. Without them every process
# compiles MkDocs, Material and the rest again, seconds of noise in every row.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
CACHE_DIR = ".yourreview-cache"
DEFAULT_N = (100, 1000, 3600, 10000)
YOURREVIEW = [sys.executable, "-m", "yourreview.cli"]
OURS = [p for p in sys.path if p.endswith(("site-packages", "/src"))]  # what the commands import
MKDOCS = [sys.executable, "-m", "mkdocs", "build", "-q"]

# Runs one command and reports its wall time, the peak memory of the largest process it started
# (the CLI starts MkDocs, and `letters --pdf` its workers, as child processes) and the CPU time
# of all of them: on a shared machine the wall time of a many-core command (PDFs) swings with
# the other jobs, its CPU time far less.
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "code": code, "seconds": seconds, "mb": used.ru_maxrss / 1024,
    "cpu": used.ru_utime + used.ru_stime,
}))
"""


@dataclass
class Cell:
    seconds: float
    mb: float | None = None
    note: str = ""
    cpu: float | None = None  # CPU seconds of every process the command ran


@dataclass
class Result:
    n: int
    pages: int = 0
    answers: int = 0
    cells: dict[str, Cell] = field(default_factory=dict)


def timed(
    command: list[str], ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None
) -> Cell:
    with tempfile.TemporaryFile() as errors:
        out = subprocess.run(
            [sys.executable, "-c", WRAPPER, *command],
            env=env or ENV,
            stdout=subprocess.PIPE,
            stderr=errors,
            check=True,
        )
        found = json.loads(out.stdout)
        if found["code"] not in ok:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode()[-3000:]}")
    return Cell(found["seconds"], found["mb"], cpu=found["cpu"])


def yourreview(
    council: Path, *args: str, ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None
) -> Cell:
    return timed([*YOURREVIEW, "--project", str(council), *args], ok, env)


def change_record(council: Path, index: int, marker: str) -> tuple[Path, str]:
    """Change one sentence in one record, as an IRO would; return the file and its letter's ref."""
    files = sorted((council / "minutes").rglob("*.yml"))
    path = next(p for p in files[index:] if "\ntold_me:\n" in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("told_me:")) + 1
    # An item may be a plain sentence or a mapping (`- wish: ...` with `reply:` below it):
    # change its sentence and keep its shape, so the record still reads.
    field = re.match(r"  - (\w+): ", lines[at])
    lines[at] = f"  - {field.group(1)}: {marker}\n" if field else f"  - {marker}\n"
    path.write_text("".join(lines), encoding="utf-8")
    ref = "BM-" + path.stem.removeprefix("review-")
    return path, ref


def csafe_parse(council: Path) -> Cell:
    """The floor for `check`: PyYAML's C loader merely parsing every record (no checks)."""
    files = sorted((council / "minutes").rglob("*.yml"))
    start = time.perf_counter()
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return Cell(time.perf_counter() - start)


def qr_cost(council: Path) -> Cell:
    """Every QR code an internal build draws (2 a letter, 1 a sheet), uncached, in one process."""
    from yourreview import qr
    from yourreview.formrender import online_url
    from yourreview.forms import audience_for
    from yourreview.project import Paths, load_project

    project = load_project(Paths.under(council))
    base = project.council.site_url or "https://reviews.anytown.example/"
    forms = project.forms
    urls = []
    for r in project.minutes.records:
        token = project.token(r)
        urls.append(online_url(forms.for_letter(audience_for(r.style, r.age)), base, token))
        urls.append(online_url(forms.carer_form(), base, token))
    for reviews in project.minutes.by_child().values():
        latest = reviews[-1]
        form = forms.before_review_form(audience_for(latest.style, latest.age))
        urls.append(online_url(form, base, project.token(latest)))
    start = time.perf_counter()
    for url in urls:
        qr._draw(url)
    return Cell(time.perf_counter() - start, note=f"{len(urls)} codes")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return None


def preview_change(
    council: Path, limit: float = 900, saves: int = 1, args: tuple[str, ...] = ()
) -> Cell:
    """Black box: start `yourreview preview` (with `args`), change one record, time until its
    letter shows it; `saves` times, each once the preview has finished with the one before
    (each a different record). The cell holds the median; its note, every time and what the
    preview printed it did."""
    port = free_port()
    proc = subprocess.Popen(
        [*YOURREVIEW, "--project", str(council), "preview", "--port", str(port), *args],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group: stopped below by this id only
    )
    said: list[str] = []  # "Built in 40.1 s: …", "Updated 1 letter in 0.4 s: …", one a build
    reader = threading.Thread(target=lambda: said.extend(iter(proc.stdout.readline, "")))
    reader.start()
    try:
        _, ref = change_record(council, 5, "A sentence before the preview started.")
        url = f"http://127.0.0.1:{port}/letters/{ref}/"
        if not _wait(lambda: "before the preview" in (fetch(url) or ""), limit):
            return Cell(float("nan"), note="preview never served the letter")
        times = []
        for i in range(saves):
            took = _one_save(council, port, i, said, limit)
            if took is None:
                return Cell(float("nan"), note="change never showed")
            times.append(took)
        steps = "; ".join(s.split(":")[0] for s in said if s.startswith(("Built", "Updated")))
        note = ", ".join(f"{t:.2f}" for t in times) + f" s (preview: {steps})"
        return Cell(sorted(times)[len(times) // 2], note=note)
    finally:
        os.killpg(proc.pid, 15)
        try:  # it deletes its builds on the way out: thousands of files on a busy machine
            proc.wait(300)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(30)
        reader.join(30)


def _first_step(line: str) -> bool:
    """The preview's line for the saved record's own letter, served before the other pages."""
    return re.match(r"Updated \d+ letters? in", line) is not None


def _one_save(council: Path, port: int, i: int, said: list[str], limit: float) -> float | None:
    """One record changed once the preview is idle: seconds until its letter serves it."""
    _wait(lambda: said[-1:] != [] and not _first_step(said[-1]), limit)
    time.sleep(1)  # let the server settle after its last build
    done = len(said)
    marker = f"Changed while the preview ran {time.time():.0f} ({i})."
    _, ref = change_record(council, 5 + 97 * i, marker)
    url = f"http://127.0.0.1:{port}/letters/{ref}/"
    start = time.perf_counter()
    if not _wait(lambda: marker in (fetch(url) or ""), limit):
        return None
    took = time.perf_counter() - start
    _wait(lambda: any(not _first_step(s) for s in said[done:]), limit)  # the rest made too
    return took


def _wait(done: Callable[[], bool], limit: float) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if done():
            return True
        time.sleep(0.1)
    return False


def generated_page_size(site: Path) -> tuple[int, int]:
    """How many pages the internal build wrote, and the mean size of a letter's content."""
    pages = [p for p in site.rglob("index.html")]
    letters = sorted((site / "letters").glob("BM-*/index.html"))[:50]
    sizes = []
    for page in letters:
        html = page.read_text(encoding="utf-8")
        body = html.split('<div class="yr-page">', 1)[-1].split("</article>", 1)[0]
        sizes.append(len(body))
    return len(pages), sum(sizes) // max(1, len(sizes))


def plain_page(size: int) -> str:
    """A hand-written Markdown page of about `size` characters: headings, paragraphs, a list."""
    words = "You told me about school and your friends, and what you would like to happen next. "
    parts = ["# A letter\n\n"]
    while sum(map(len, parts)) < size:
        parts += ["## What you told me\n\n", words * 4 + "\n\n", "- " + words + "\n- " + words]
        parts.append("\n\n")
    return "".join(parts)[:size]


def measure(n: int, work: Path, pdf: bool, preview: bool) -> Result:
    result = Result(n)
    council = generate(work / f"council-{n}", n)
    result.answers = generate_answers(council)
    cells = result.cells
    cells["csafe"] = csafe_parse(council)
    # check exits 1 when it finds errors: generated dates make some reviews late, as in life.
    cells["check"] = yourreview(council, "check", ok=(0, 1))
    cells["check-warm"] = yourreview(council, "check", ok=(0, 1))
    cells["public"] = yourreview(council, "build", "--site-dir", str(work / f"pub-{n}"))
    shutil.rmtree(council / CACHE_DIR, ignore_errors=True)  # a full build from cold
    site = work / f"int-{n}"
    cells["internal"] = yourreview(
        council, "build", "--audience", "internal", "--site-dir", str(site)
    )
    cells["qr"] = qr_cost(council)
    change_record(council, 1, "You told me something new this time.")
    cells["internal-1"] = yourreview(
        council, "build", "--audience", "internal", "--site-dir", str(site)
    )
    result.pages, size = generated_page_size(site)
    if pdf:
        out = work / f"pdf-{n}"
        cells["pdf"] = yourreview(council, "letters", "--pdf", str(out))
        change_record(council, 2, "You told me about your new bike.")
        cells["pdf-1"] = yourreview(council, "letters", "--pdf", str(out))
        shutil.rmtree(out)
    if preview:
        cells["preview-1"] = preview_change(council)
    if "import" in _commands():  # another branch adds it; measured once it is here
        try:  # a failed import is a row to read, not the end of every other row's numbers
            cells["import"] = yourreview(council, "import", str(council / "feedback" / "raw"))
        except SystemExit as exc:
            print(exc, file=sys.stderr)
            cells["import"] = Cell(float("nan"), note="failed")
    plain = generate_plain(work / f"plain-{n}", result.pages - 1, plain_page(size))
    cells["baseline"] = timed(
        [*MKDOCS, "-f", str(plain / "mkdocs.yml"), "-d", str(work / f"plain-site-{n}")]
    )
    for folder in (site, work / f"pub-{n}", work / f"plain-site-{n}", plain, council):
        shutil.rmtree(folder, ignore_errors=True)
    return result


def warm_up(work: Path) -> None:
    """Compile every module once and warm the disk cache, so no row is charged for them."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *OURS],
        env=ENV,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    warm = generate_plain(work / "warm", 5, plain_page(2000))
    timed([*MKDOCS, "-f", str(warm / "mkdocs.yml")])


def _commands() -> set[str]:
    from yourreview.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


ROWS = [
    ("baseline", "baseline: plain MkDocs + Material, same pages"),
    ("csafe", "PyYAML CSafeLoader parsing the records"),
    ("check", "`yourreview check` (cold cache)"),
    ("check-warm", "`yourreview check` (warm cache)"),
    ("public", "public build (with leak check)"),
    ("internal", "internal build, cold cache"),
    ("internal-1", "internal build, one record changed"),
    ("qr", "QR codes of the internal build, uncached"),
    ("pdf", "`letters --pdf`, cold"),
    ("pdf-1", "`letters --pdf`, one record changed"),
    ("preview-1", "preview: one change shows in its letter"),
    ("import", "`yourreview import` of the answers"),
]
VS_BASELINE = {"check", "check-warm", "public", "internal", "internal-1"}


def cell_text(result: Result, key: str) -> str:
    cell = result.cells.get(key)
    if cell is None:
        return "not run"
    if cell.seconds != cell.seconds:  # NaN
        return cell.note
    text = f"{cell.seconds:.2f} s"
    base = result.cells.get("baseline")
    if key in VS_BASELINE and base:
        text += f" ({cell.seconds / base.seconds:.2f}×)"
    if cell.mb is not None:
        text += f", {cell.mb:.0f} MB"
    return text


def table(results: list[Result]) -> str:
    head = "| N reviews | " + " | ".join(f"{r.n:,}" for r in results) + " |"
    lines = [head, "|---" * (len(results) + 1) + "|"]
    lines.append(
        "| pages written / answers | "
        + " | ".join(f"{r.pages:,} / {r.answers:,}" for r in results)
        + " |"
    )
    for key, label in ROWS:
        if any(key in r.cells for r in results):
            lines.append(f"| {label} | " + " | ".join(cell_text(r, key) for r in results) + " |")
    return "\n".join(lines)


# Rows that time something other than our commands.
NOT_OURS = ("baseline", "csafe")


def targets(results: list[Result]) -> list[str]:
    by_n = {r.n: r.cells for r in results}
    out: list[str] = []

    def line(ok: bool, text: str) -> None:
        out.append(f"- {'met' if ok else 'MISSED'}: {text}")

    for r in results:
        c = r.cells
        ratio = c["internal"].seconds / c["baseline"].seconds
        line(ratio <= 1.2, f"N={r.n:,}: internal build {ratio:.2f}× baseline (target ≤ 1.2×)")
        share = c["qr"].seconds / c["internal"].seconds
        line(
            share < 0.05,
            f"N={r.n:,}: QR codes uncached {share:.1%} of a cold internal build"
            " (target < 5%; cached: 0 codes drawn)",
        )
        speedup = c["internal"].seconds / c["internal-1"].seconds
        line(
            speedup >= 3,
            f"N={r.n:,}: one-record rebuild {speedup:.1f}× faster than cold (target ≥ 3× at 3,600)",
        )
    if 100 in by_n and 10000 in by_n:
        ratio = by_n[10000]["public"].seconds / by_n[100]["public"].seconds
        line(ratio <= 2, f"public build at 10,000 is {ratio:.2f}× its time at 100 (target ≤ 2×)")
    if 1000 in by_n and 10000 in by_n:
        for key, label in ROWS:
            if key in by_n[1000] and key in by_n[10000] and key != "preview-1":
                ratio = by_n[10000][key].seconds / by_n[1000][key].seconds
                line(ratio <= 11, f"{label}: time(10,000)/time(1,000) = {ratio:.1f} (≤ 11)")
    if 3600 in by_n:
        c = by_n[3600]
        for key in ("check", "check-warm"):
            ratio = c[key].seconds / c["csafe"].seconds
            line(ratio <= 3, f"{key} on 3,600: {ratio:.1f}× CSafeLoader's parse (target ≤ 3×)")
        if "pdf" in c:
            cold = c["pdf"]
            cores = os.cpu_count() or 1
            if_idle = f"; CPU {cold.cpu:.0f} s, ≥ {cold.cpu / cores:.0f} s on {cores} idle cores"
            line(
                cold.seconds < 600,
                f"3,600 PDFs from cold in {cold.seconds:.0f} s (< 600)"
                + (if_idle if cold.cpu else ""),
            )
            line(c["pdf-1"].seconds < 10, f"PDFs, one changed: {c['pdf-1'].seconds:.1f} s (< 10)")
        else:
            out.append("- not measured: PDFs at 3,600 (BENCH_PDF_MAX / --no-pdf-above)")
        if "preview-1" in c:
            s = c["preview-1"].seconds
            line(s <= 2, f"preview, one change at 3,600: {s:.1f} s (target ≤ 2 s)")
    if 10000 in by_n:
        # The target is for our commands; plain MkDocs (the baseline) is shown beside them.
        cells = by_n[10000]
        worst = max((c.mb or 0, k) for k, c in cells.items() if k not in NOT_OURS)
        plain = cells["baseline"].mb or 0
        line(
            worst[0] < 1024,
            f"peak memory at 10,000: our largest {worst[0]:.0f} MB ({worst[1]}); "
            f"plain MkDocs {plain:.0f} MB (target < 1 GB)",
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    env_n = [int(x) for x in os.environ.get("BENCH_N", "").replace("_", "").split(",") if x]
    parser.add_argument("--records", type=int, nargs="*", default=env_n or list(DEFAULT_N))
    parser.add_argument(
        "--no-pdf-above",
        type=int,
        default=int(os.environ.get("BENCH_PDF_MAX", 3600)),
        help="skip the PDF rows above this N (10,000 letters take ~15 min on 2 cores)",
    )
    parser.add_argument("--no-preview", action="store_true", help="skip the preview row")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument(
        "--from-json",
        type=Path,
        nargs="+",
        help="measure nothing: print one table from runs saved with --json",
    )
    args = parser.parse_args()
    if args.from_json:
        saved = [r for f in args.from_json for r in load(f)]
        report(sorted(saved, key=lambda r: r.n))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="yourreview-bench-") as tmp:
        warm_up(Path(tmp))
        for n in args.records:
            print(f"measuring N={n:,}…", file=sys.stderr, flush=True)
            pdf = n <= args.no_pdf_above
            results.append(measure(n, Path(tmp), pdf, not args.no_preview))
    report(results)
    if args.json:
        data = [
            {
                "n": r.n,
                "pages": r.pages,
                "answers": r.answers,
                "cells": {k: vars(c) for k, c in r.cells.items()},
            }
            for r in results
        ]
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")


def report(results: list[Result]) -> None:
    print(table(results))
    print()
    print("\n".join(targets(results)))


def load(path: Path) -> list[Result]:
    return [
        Result(d["n"], d["pages"], d["answers"], {k: Cell(**c) for k, c in d["cells"].items()})
        for d in json.loads(path.read_text(encoding="utf-8"))
    ]


if __name__ == "__main__":
    main()
