"""Benchmarks, run on demand (`make bench`), never as timed tests.

Machines here are shared and noisy, so every figure is printed beside a baseline measured in
the same run: plain MkDocs + Material building the same number of pages of the same size,
outside the nav, with no plugin of ours.

    python benchmarks/run.py [--records 3600] [--small 14]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, generate_plain

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(
    command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """Seconds and peak memory (MB) of one child process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        # wait4 gives this child's own peak memory, not the largest of all children so far.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in ok:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def mkdocs_build(project: Path, site: Path, audience: str | None) -> tuple[float, float]:
    env = dict(ENV)
    if audience:
        env["YOURREVIEW_AUDIENCE"] = audience
    return timed(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        env,
    )


def measure(records: int, work: Path) -> None:
    council = generate(work / f"council-{records}", records)
    sample = next((council / "minutes").rglob("*.yml"))
    letter_words = len(sample.read_text(encoding="utf-8").split())
    plain = generate_plain(
        work / f"plain-{records}",
        records,
        "# A letter\n\n" + ("Some words in a letter. " * (letter_words // 2)),
    )

    mkdocs_build(plain, work / f"warm-{records}", None)  # warm the disk cache and .pyc files
    base_s, base_mb = mkdocs_build(plain, work / f"plain-site-{records}", None)
    # check exits 1 when it finds errors: generated dates make some reviews late, as in life.
    check_s, _ = timed(
        [sys.executable, "-m", "yourreview.cli", "--project", str(council), "check"], ENV, (0, 1)
    )
    pub_s, pub_mb = mkdocs_build(council, work / f"public-{records}", "public")
    int_s, int_mb = mkdocs_build(council, work / f"internal-{records}", "internal")
    print(f"\n{records} records")
    print(f"  baseline: plain MkDocs, {records} pages  {base_s:7.2f} s  (1.00)")
    print(f"  yourreview check                        {check_s:7.2f} s  ({check_s / base_s:.2f})")
    print(f"  public build (with leak check)          {pub_s:7.2f} s  ({pub_s / base_s:.2f})")
    print(
        f"  internal build ({records} letters)".ljust(42)
        + f"{int_s:7.2f} s  ({int_s / base_s:.2f})"
    )
    print(
        f"  peak memory: baseline {base_mb:.0f} MB, public {pub_mb:.0f} MB "
        f"({pub_mb / base_mb:.2f}), internal {int_mb:.0f} MB ({int_mb / base_mb:.2f})"
    )


def each_size(measure_one: Callable[[int, Path], None], sizes: list[int], doc: str | None) -> None:
    """Run `measure_one` for each `--records` size (default `sizes`) in one temporary folder."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--records", type=int, nargs="*", default=sizes)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.records:
            measure_one(n, Path(tmp))


def main() -> None:
    each_size(measure, [14, 3600], __doc__)


if __name__ == "__main__":
    main()
