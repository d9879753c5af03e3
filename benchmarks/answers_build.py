"""The public build with answers against the same build with none (issue #9): N records
(default 3,600), then M answers (default 10,000) imported into the store with `yourreview
import`, each build in its own process, the two builds alternated. One table; the baseline is
the same council's public build with no answers, measured in the same run.

    python benchmarks/answers_build.py [--records 3600] [--answers 10000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, generate_received
from run import CACHE_DIR, Cell, yourreview

from yourreview.errors import YourReviewError


def drop_records_with_errors(council: Path) -> int:
    """The public build refuses a council with errors (its figures would be wrong), and the
    generator's shifted dates give some very young children a PN code for over-4s: leave those
    records out, in both councils alike. Returns how many were left out."""
    from yourreview.errors import Severity
    from yourreview.project import Paths, load_project

    try:
        load_project(Paths.under(council))
        return 0
    except YourReviewError as exc:
        bad = {p.file for p in exc.problems if p.severity is Severity.ERROR}
    for name in bad:
        (council / name).unlink()
    load_project(Paths.under(council))  # now it loads, or this says why not
    return len(bad)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=3600)
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1, help="builds of each, alternated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yr-answers-build-") as tmp:
        work = Path(tmp)
        none = generate(work / "none", args.records)
        records = args.records - drop_records_with_errors(none)
        shutil.copytree(none, work / "with", ignore=shutil.ignore_patterns(CACHE_DIR))
        answered = work / "with"
        jsonl = generate_received(answered, args.answers)
        imported = yourreview(answered, "import", str(jsonl))
        quotes = (answered / "feedback" / "quotes.yml").read_text(encoding="utf-8")
        pending = quotes.count("status: pending")
        # One warm-up each (the record cache, compiled modules), then the timed builds.
        for council in (none, answered):
            yourreview(council, "build", "--site-dir", str(work / "warm"))
        timed: dict[str, list[Cell]] = {"none": [], "with": []}
        for _ in range(args.rounds):
            for name, council in (("none", none), ("with", answered)):
                site = work / f"site-{name}"
                timed[name].append(yourreview(council, "build", "--site-dir", str(site)))
        print(
            f"{records:,} records; {args.answers:,} answers imported in "
            f"{imported.seconds:.1f} s ({pending:,} quotes waiting)"
        )
        print("| public build | seconds | peak MB |")
        print("| --- | --- | --- |")
        for name in ("none", "with"):
            for cell in timed[name]:
                print(f"| {name} answers | {cell.seconds:.1f} | {cell.mb:.0f} |")
        best = {n: min(c.seconds for c in cells) for n, cells in timed.items()}
        print(f"ratio (with / none, best of {args.rounds}): {best['with'] / best['none']:.2f}x")


if __name__ == "__main__":
    main()
