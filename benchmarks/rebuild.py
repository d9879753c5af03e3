"""The internal build from an empty cache against the same build after one record changed
(twice, each time another record), as `run.py` measures them: `run.py`'s own helpers, each
build in a fresh process. Run on demand: `.venv/bin/python benchmarks/rebuild.py 3600`."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import run
from generate import generate

MARKERS = ("You told me something new this time.", "You told me about your new bike.")


def main(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="yourreview-rebuild-"))
    try:
        council = generate(work / f"council-{n}", n)
        run.yourreview(council, "check", ok=(0, 1))
        shutil.rmtree(council / run.CACHE_DIR, ignore_errors=True)
        site = ["build", "--audience", "internal", "--site-dir", str(work / "site")]
        cold = run.yourreview(council, *site)
        found: dict[str, float | int | None] = {"n": n, "cold": cold.seconds, "cold_mb": cold.mb}
        print(f"cold: {cold.seconds:.1f} s, {cold.mb:.0f} MB", flush=True)
        for i, marker in enumerate(MARKERS):
            run.change_record(council, 1 + i, marker)
            one = run.yourreview(council, *site)
            found[f"changed_{i + 1}"] = one.seconds
            ratio = cold.seconds / one.seconds
            print(f"one record changed: {one.seconds:.1f} s ({ratio:.1f}x faster)", flush=True)
        print(json.dumps(found))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
