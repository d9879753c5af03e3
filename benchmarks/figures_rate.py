"""What "What you told us" costs at scale, on demand: the section's pages from N generated
records with no answers, then with A generated answers, against reading the same records
(`load_project`, which every build already pays: the baseline, measured in the same run).

    python benchmarks/figures_rate.py [--records 3600] [--answers 10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

import yourreview.feedback.figures as figures
from yourreview.feedback.answerfigures import AnswerRow
from yourreview.figurepages import told_us_pages
from yourreview.formpages import relative_href
from yourreview.forms import Forms
from yourreview.project import Paths, load_project


def answers(forms: Forms, people: int, seed: int = 1) -> list[AnswerRow]:
    rng = random.Random(seed)
    live = [f for f in forms.approved if f.questions and f.purpose != "cicc-comment"]
    rows = []
    for i in range(people):
        form = rng.choice(live)
        channel = "paper" if rng.random() < 0.3 else "online"
        received = date(2024, 4, 1) + timedelta(days=rng.randrange(730))
        for q in form.questions:
            value: str | tuple[str, ...]
            if q.is_text:
                value = rng.choice(["She listened to me.", "I felt safe.", "ok"])
            elif q.kind == "any-choices":
                value = tuple(v for v in q.values if rng.random() < 0.4)
            else:
                value = rng.choice(q.values)
            rows.append(AnswerRow(f"r{i}", form.id, form.version, q.id, value, channel, received))
    return rows


def median_seconds(run: object, repeat: int = 3) -> float:
    assert callable(run)
    times = []
    for _ in range(repeat):
        figures._SUPPRESSED.clear()  # as a fresh build would
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=3600)
    parser.add_argument("--answers", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths.under(generate(Path(tmp) / "council", args.records))
        base = median_seconds(lambda: load_project(paths))
        project = load_project(paths)
        href = relative_href(True)
        rows = answers(project.forms, args.answers)
        today = date.today()
        none = median_seconds(lambda: told_us_pages(project, href, today))
        full = median_seconds(lambda: told_us_pages(project, href, today, rows))
    print(f"{len(project.minutes.records)} records, {args.answers} people, {len(rows)} answers")
    print(f"baseline (reading the records):          {base:.2f} s")
    print(f"What you told us, no answers:            {none:.2f} s ({none / base:.1f}x)")
    print(f"What you told us, with the answers:      {full:.2f} s ({full / base:.1f}x)")


if __name__ == "__main__":
    main()
