"""The public build against N, in one run: how flat it is (issue #10: at N = 10,000 at most 2x
its time at N = 100).

For each N: `generate.py`'s council, `yourreview check` (as `run.py` does, so the records'
cache is warm), then the public build twice: the first solves each year's small-number
suppression (and keeps the hidden cells in the cache), the second is an unchanged project,
which reads and hashes the files and reads the rest back.

    python benchmarks/public_flat.py 100 1000 3600
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from generate import generate
from run import yourreview


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [100, 1000, 3600]
    rows = []
    with tempfile.TemporaryDirectory(prefix="yourreview-flat-") as tmp:
        for n in sizes:
            print(f"measuring N={n:,}…", file=sys.stderr, flush=True)
            council = generate(Path(tmp) / f"council-{n}", n)
            yourreview(council, "check", ok=(0, 1))  # late reviews are findings, as in life
            site = str(Path(tmp) / f"site-{n}")
            first = yourreview(council, "build", "--site-dir", site)
            again = yourreview(council, "build", "--site-dir", site)
            rows.append((n, first, again))
    base_first, base_again = rows[0][1].seconds, rows[0][2].seconds
    print(f"| N reviews | public build, first | public build, unchanged | ÷ N={sizes[0]:,} |")
    print("|---|---|---|---|")
    for n, first, again in rows:
        print(
            f"| {n:,} | {first.seconds:.2f} s, {first.mb:.0f} MB "
            f"| {again.seconds:.2f} s, {again.mb:.0f} MB "
            f"| {first.seconds / base_first:.2f}× / {again.seconds / base_again:.2f}× |"
        )


if __name__ == "__main__":
    main()
