"""PDF letters per second, beside a baseline measured in the same run: the same letters
rendered to HTML only (what the browser's print would start from).

    python benchmarks/pdf_rate.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from yourreview.formpages import letter_extras
from yourreview.pdf import write_letter_pdfs
from yourreview.project import Paths, load_project
from yourreview.render import render_letter

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    project = load_project(Paths.under(ROOT))
    records = list(project.minutes.records)
    start = time.perf_counter()
    for record in records:
        render_letter(
            project.env, record, project.minutes, project.council, letter_extras(project, record)
        )
    html = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as out:
        write_letter_pdfs(project, Path(out), records[:2])  # warm fonts and imports
        start = time.perf_counter()
        written = write_letter_pdfs(project, Path(out), records)
        pdf = time.perf_counter() - start
    print(f"{len(written)} PDF letters in {pdf:.2f} s: {len(written) / pdf:.1f} a second")
    print(f"baseline, the same letters as HTML: {html:.3f} s ({len(records) / html:.0f} a second)")
    print(f"ratio: a PDF letter costs {pdf / html:.0f} HTML renders")


if __name__ == "__main__":
    main()
