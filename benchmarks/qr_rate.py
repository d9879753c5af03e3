"""QR codes generated per second, uncached, beside a baseline measured in the same run
(rendering one letter with Jinja), so the ratio means something on a noisy machine; with
`--against REV`, also the encoder of another commit (its qr.py, from git), turn about.

    python benchmarks/qr_rate.py
    python benchmarks/qr_rate.py --against main
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import yourreview
import yourreview.qr as qr
from yourreview.formpages import letter_extras
from yourreview.project import Paths, load_project
from yourreview.render import render_letter

ROOT = Path(__file__).resolve().parents[1]
URLS = [f"https://reviews.anytown.example/f/after-review/?t={i:016d}" for i in range(400)]


def qr_module_at(rev: str) -> ModuleType:
    """`src/yourreview/qr.py` as it is at `rev`, imported inside the package (its relative
    imports resolve to today's modules)."""
    source = subprocess.run(
        ["git", "show", f"{rev}:src/yourreview/qr.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
    path = Path(tempfile.mkdtemp()) / "qr_at.py"
    path.write_text(source, encoding="utf-8")
    name = "yourreview._qr_at"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = yourreview.__name__
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def per_code(draw: Callable[[str], str]) -> float:
    """Seconds a code, the best of 5 rounds over 400 links (the least disturbed by others)."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for url in URLS:
            draw(url)
        best = min(best, (time.perf_counter() - start) / len(URLS))
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", help="a git revision whose encoder to time beside ours")
    args = parser.parse_args()
    other = qr_module_at(args.against) if args.against else None
    qr._draw(URLS[0])  # the per-version tables, made once a process
    qr_seconds = per_code(qr._draw)
    if other is not None:
        other._draw(URLS[0])
        other_seconds = per_code(other._draw)
        qr_seconds = min(qr_seconds, per_code(qr._draw))  # turn about, for fairness

    project = load_project(Paths.under(ROOT))
    record = project.minutes.records[-1]
    extras = letter_extras(project, record)
    start = time.perf_counter()
    for _ in range(200):
        render_letter(project.env, record, project.minutes, project.council, extras)
    letter_seconds = (time.perf_counter() - start) / 200
    print(f"QR code (uncached): {qr_seconds * 1000:.3f} ms, {1 / qr_seconds:.0f} a second")
    if other is not None:
        print(f"QR code at {args.against}: {other_seconds * 1000:.3f} ms")
        print(f"ratio {args.against}/this: {other_seconds / qr_seconds:.1f}x")
    print(f"baseline, one letter rendered: {letter_seconds * 1000:.2f} ms")
    print(f"ratio: a QR code costs {qr_seconds / letter_seconds:.2f} letter renders")


if __name__ == "__main__":
    main()
