"""The public build against N, in one run: how flat it is (issue #10: at N = 10,000 at most 2x
its time at N = 100, with answers).

For each N: `generate.py`'s council and its answers (about 0.4 a review, imported into the
answers store with `yourreview import`, as a council's would be), `yourreview check` (as
`run.py` does, so the records' cache is warm), then the public build twice: the first solves
each year's small-number suppression and keeps the project's public figures in the cache, the
second is an unchanged project. The baseline, in the same run: PyYAML's C loader merely
parsing the records. The load average is printed beside each N (the machine is shared).

    python benchmarks/public_flat.py 100 1000 3600 10000
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from generate import generate, generate_answers
from run import csafe_parse, warm_up, yourreview


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [100, 1000, 3600]
    rows = []
    with tempfile.TemporaryDirectory(prefix="yourreview-flat-") as tmp:
        warm_up(Path(tmp))
        for n in sizes:
            print(f"measuring N={n:,}…", file=sys.stderr, flush=True)
            council = generate(Path(tmp) / f"council-{n}", n)
            answers = generate_answers(council)
            yourreview(council, "import", str(council / "feedback" / "raw"))
            parse = csafe_parse(council)
            yourreview(council, "check", ok=(0, 1))  # late reviews are findings, as in life
            site = str(Path(tmp) / f"site-{n}")
            load = os.getloadavg()[0]
            first = yourreview(council, "build", "--site-dir", site)
            again = yourreview(council, "build", "--site-dir", site)
            load = (load + os.getloadavg()[0]) / 2
            rows.append((n, answers, parse, first, again, load))
    base_first, base_again = rows[0][3].seconds, rows[0][4].seconds
    print(
        f"| N reviews / answers | CSafeLoader parse | public build, first "
        f"| public build, unchanged | ÷ N={sizes[0]:,} (first / unchanged) | load average |"
    )
    print("|---|---|---|---|---|---|")
    for n, answers, parse, first, again, load in rows:
        print(
            f"| {n:,} / {answers:,} | {parse.seconds:.2f} s "
            f"| {first.seconds:.2f} s, {first.mb:.0f} MB "
            f"| {again.seconds:.2f} s, {again.mb:.0f} MB "
            f"| {first.seconds / base_first:.2f}× / {again.seconds / base_again:.2f}× "
            f"| {load:.1f} |"
        )


if __name__ == "__main__":
    main()
