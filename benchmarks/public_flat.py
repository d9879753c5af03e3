"""The public build against N, in one run: how flat it is (issue #10: at N = 10,000 at most 2x
its time at N = 100, with answers).

For each N: `generate.py`'s council and its answers (about 0.4 a review, imported into the
answers store with `yourreview import`, as a council's would be), and `yourreview check` (as
`run.py` does, so the records' cache is warm). Then, in rounds that visit every N in turn (so
a change in the machine's load falls on every N alike), the public build twice: "first", as
after `check` (the public build's own entries and the hidden cells deleted: it reads every
record, solves each year's suppression and keeps the public figures), and "unchanged", the
same project again. Each cell is the median of the rounds. The baseline, in the same run:
PyYAML's C loader merely parsing the records. `--against SRC` runs every build of every round
a second time with another version's package (e.g. `git archive main src | tar -x -C /tmp/x`,
then `--against /tmp/x/src`), so before and after are measured under the same load.

    python benchmarks/public_flat.py 100 1000 3600 10000 [--rounds 3] [--against SRC]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from generate import generate, generate_answers
from run import CACHE_DIR, ENV, Cell, csafe_parse, warm_up, yourreview

# What a public build keeps for itself: without them, a build is the first after `check`.
OWN_ENTRIES = ("public", "records-clean", "hidden")


def first_after_check(council: Path, site: str, env: dict[str, str]) -> Cell:
    for kind in OWN_ENTRIES:
        shutil.rmtree(council / CACHE_DIR / kind, ignore_errors=True)
    return yourreview(council, "build", "--site-dir", site, env=env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", type=int, nargs="*", default=[100, 1000, 3600])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another version's src/ folder")
    args = parser.parse_args()
    versions = {"now": ENV}
    if args.against:
        versions["before"] = dict(ENV, PYTHONPATH=str(args.against.resolve()))
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.against)], check=False)
    times: dict[tuple[str, int, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="yourreview-flat-") as tmp:
        warm_up(Path(tmp))
        councils, answers, parse = {}, {}, {}
        for n in args.sizes:
            print(f"making N={n:,}…", file=sys.stderr, flush=True)
            council = councils[n] = generate(Path(tmp) / f"council-{n}", n)
            answers[n] = generate_answers(council)
            yourreview(council, "import", str(council / "feedback" / "raw"))
            parse[n] = csafe_parse(council).seconds
            for env in versions.values():  # late reviews are findings, as in life
                yourreview(council, "check", ok=(0, 1), env=env)
        loads = []
        for round_ in range(args.rounds):
            for n in args.sizes:
                print(f"round {round_ + 1}, N={n:,}…", file=sys.stderr, flush=True)
                loads.append(os.getloadavg()[0])
                for version, env in versions.items():
                    site = str(Path(tmp) / f"site-{n}-{version}")
                    first = first_after_check(councils[n], site, env)
                    again = yourreview(councils[n], "build", "--site-dir", site, env=env)
                    times.setdefault((version, n, "first"), []).append(first.seconds)
                    times.setdefault((version, n, "again"), []).append(again.seconds)
    low = args.sizes[0]

    def median(version: str, n: int, which: str) -> float:
        return statistics.median(times[version, n, which])

    print(f"{args.rounds} rounds; load average {min(loads):.1f} to {max(loads):.1f}\n")
    print(
        f"| N reviews / answers | CSafeLoader parse | version | public build, first "
        f"| public build, unchanged | ÷ N={low:,} (first / unchanged) |"
    )
    print("|---|---|---|---|---|---|")
    for n in args.sizes:
        for version in versions:
            first, again = median(version, n, "first"), median(version, n, "again")
            print(
                f"| {n:,} / {answers[n]:,} | {parse[n]:.2f} s | {version} | {first:.2f} s "
                f"| {again:.2f} s | {first / median(version, low, 'first'):.2f}× / "
                f"{again / median(version, low, 'again'):.2f}× |"
            )


if __name__ == "__main__":
    main()
