"""The preview after a saved record, black box, several saves at each N: seconds from the save
until the record's letter serves the new sentence, with the system telling the preview of the
save (the default) and, in the same run as the baseline, with the preview looking for saved
files twice a second (`--poll`, the old way). Prints the load average beside each row, since
the machine is shared.

    python benchmarks/preview_rate.py [--records 1000 3600] [--saves 5] [--no-poll]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate
from run import preview_change


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, nargs="*", default=[1000, 3600])
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--no-poll", action="store_true", help="skip the polling rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yourreview-preview-") as tmp:
        for n in args.records:
            council = generate(Path(tmp) / f"council-{n}", n)
            ways = [("told (inotify)", ())] + [("polling", ("--poll",))] * (not args.no_poll)
            for way, extra in ways:
                load = os.getloadavg()[0]
                cell = preview_change(council, saves=args.saves, args=extra)
                after = os.getloadavg()[0]
                print(
                    f"N={n:,} {way}: median {cell.seconds:.2f} s; each: {cell.note}; "
                    f"load average {load:.1f} → {after:.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
