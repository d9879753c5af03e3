"""`yourreview check` from an empty cache and again, against PyYAML's C loader parsing the same
records, in one run; with `--against REV`, also the package as another commit has it (from
git), turn about.

    python benchmarks/check_cold.py 1000 3600 --against main

Each check is a fresh process (run.py's helpers: `generate`, `csafe_parse`, `timed`), cold
after deleting `.yourreview-cache/`, then warm. Each cell is the median of `--rounds` rounds of
wall time, with the CPU time of the command and its workers, since a machine shared with other
jobs gives one process group its share of the cores however many processes it runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from run import CACHE_DIR, ENV, OURS, csafe_parse

HERE = Path(__file__).resolve().parent


def check(council: Path, src: str, one_core: bool) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, workers included) of one `check`."""
    env = {**ENV, "PYTHONPATH": os.pathsep.join([src, *OURS])}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "-m", "yourreview.cli", "--project", str(council), "check"]
    if one_core:  # the process may use one core, so `check` starts no workers
        command = ["taskset", "-c", "0", *command]
    code = subprocess.call(command, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code not in (0, 1):  # 1: generated dates make some reviews late, as in life
        raise SystemExit(f"check failed with {code} ({src})")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--against", help="another commit, its src/ from git, turn about")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ours = str(HERE.parent / "src")
    sources = {"this branch": (ours, False)}
    if shutil.which("taskset"):
        sources["this branch, 1 core"] = (ours, True)
    with tempfile.TemporaryDirectory() as work:
        if args.against:
            archive = subprocess.run(
                ["git", "-C", str(HERE.parent), "archive", args.against, "src"],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", work], input=archive, check=True)
            sources = {args.against: (str(Path(work) / "src"), False), **sources}
        # Compiled once before timing, as installed for a council (.pyc kept).
        folders = sorted({src for src, _ in sources.values()})
        subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True)
        for n in args.sizes:
            council = generate(Path(work) / f"council-{n}", n)
            cells: dict[tuple[str, str], list[tuple[float, float]]] = {}
            parse = []
            for _ in range(args.rounds):
                parse.append(csafe_parse(council).seconds)
                for name, (src, one_core) in sources.items():
                    shutil.rmtree(council / CACHE_DIR, ignore_errors=True)
                    cells.setdefault((name, "cold"), []).append(check(council, src, one_core))
                    cells.setdefault((name, "warm"), []).append(check(council, src, one_core))
            floor = statistics.median(parse)
            load = os.getloadavg()
            print(f"\nN = {n}: CSafeLoader {floor:.2f} s (load average {load[0]:.1f})")
            for (name, kind), runs in cells.items():
                wall = statistics.median(w for w, _ in runs)
                cpu = statistics.median(c for _, c in runs)
                print(
                    f"  {name:>20} {kind}: {wall:7.2f} s wall ({wall / floor:4.1f}× CSafeLoader),"
                    f" {cpu:7.2f} s CPU"
                )
            shutil.rmtree(council)


if __name__ == "__main__":
    main()
