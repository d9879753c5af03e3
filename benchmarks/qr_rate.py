"""QR codes generated per second, uncached, beside a baseline measured in the same run
(rendering one letter with Jinja), so the ratio means something on a noisy machine.

    python benchmarks/qr_rate.py
"""

from __future__ import annotations

import time
from pathlib import Path

import yourreview.qr as qr
from yourreview.formpages import letter_extras
from yourreview.project import Paths, load_project
from yourreview.render import render_letter

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    urls = [f"https://reviews.anytown.example/f/after-review/?t={i:016d}" for i in range(400)]
    for name in dir(qr):
        cached = getattr(qr, name)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    start = time.perf_counter()
    for url in urls:
        qr.qr_svg(url, "QR code")
    qr_seconds = (time.perf_counter() - start) / len(urls)

    project = load_project(Paths.under(ROOT))
    record = project.minutes.records[-1]
    extras = letter_extras(project, record)
    start = time.perf_counter()
    for _ in range(200):
        render_letter(project.env, record, project.minutes, project.council, extras)
    letter_seconds = (time.perf_counter() - start) / 200
    print(f"QR code (uncached): {qr_seconds * 1000:.2f} ms, {1 / qr_seconds:.0f} a second")
    print(f"baseline, one letter rendered: {letter_seconds * 1000:.2f} ms")
    print(f"ratio: a QR code costs {qr_seconds / letter_seconds:.1f} letter renders")


if __name__ == "__main__":
    main()
