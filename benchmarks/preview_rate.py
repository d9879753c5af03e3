"""How long a saved record takes to show in `yourreview preview` (on demand, never a test).

Starts a real preview on a free port, saves a change to one record and times until its letter
serves the change; the baseline is plain MkDocs building as many pages, in the same run.

    python benchmarks/preview_rate.py [--records 14 600]
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, generate_plain
from run import ENV, each_size, mkdocs_build


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError:
        return ""


def until(check: object, limit: float = 1800.0) -> float:
    start = time.perf_counter()
    while not check():  # type: ignore[operator]
        if time.perf_counter() - start > limit:
            raise SystemExit("gave up waiting")
        time.sleep(0.05)
    return time.perf_counter() - start


def measure(records: int, work: Path) -> None:
    council = generate(work / f"council-{records}", records)
    plain = generate_plain(work / f"plain-{records}", records, "# A letter\n\n" + "Words. " * 200)
    base_s, _ = mkdocs_build(plain, work / f"plain-site-{records}", None)

    record = sorted((council / "minutes").rglob("*.yml"))[0]
    text = record.read_text(encoding="utf-8")
    ref = re.search(r"ref: (\S+)", text)
    assert ref
    command = [sys.executable, "-m", "yourreview.cli", "--project", str(council), "preview"]
    process = subprocess.Popen(
        [*command, "--port", "0"], stdout=subprocess.PIPE, text=True, env=ENV
    )
    try:
        assert process.stdout is not None
        base = ""
        while not base:
            found = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline())
            base = found.group(0) if found else ""
        letter = f"{base}/letters/{ref[1]}/"
        first_s = until(lambda: "Dear " in fetch(letter))
        changed = re.sub(r"(?m)^(going_well:\n  - )", r"\1A new sentence about bikes. ", text)
        assert changed != text
        record.write_text(changed, encoding="utf-8")
        save_s = until(lambda: "A new sentence about bikes." in fetch(letter))
    finally:
        process.terminate()
        process.wait(timeout=60)
    print(f"\n{records} records")
    print(f"  baseline: plain MkDocs, {records} pages   {base_s:7.2f} s  (1.00)")
    print(f"  preview: first letter served           {first_s:7.2f} s  ({first_s / base_s:.2f})")
    print(f"  preview: a saved change in its letter  {save_s:7.2f} s  ({save_s / base_s:.2f})")


def main() -> None:
    each_size(measure, [14, 600], __doc__)


if __name__ == "__main__":
    main()
