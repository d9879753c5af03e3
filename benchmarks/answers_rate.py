"""Answers: import speed at 100,000 rows, and the receiver under 50 concurrent clients, each
beside a baseline measured in the same run, so the ratios mean something on a noisy machine.

    python benchmarks/answers_rate.py [--rows 100000] [--answers 3000] [--clients 50]

Import baseline: csv.reader over the same file plus one executemany of the raw rows into SQLite
(reading and storing, nothing checked). Receiver baseline: the same Waitress server and clients
with a WSGI app that only reads the body and answers 303 (the server's own cost).
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import logging
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from answers_support import csv_bytes, example_forms, ms_row, serving  # noqa: E402
from yourreview.feedback.importer import run_import  # noqa: E402
from yourreview.feedback.receiver import make_app  # noqa: E402
from yourreview.project import Paths  # noqa: E402

FIELDS = {
    "form_id": "after-review",
    "form_version": "2",
    "token": "abcdefghijklmnop",
    "how-was-it": "4",
    "listened": "5",
    "had-your-say": "yes",
    "better": "More time to talk on my own before the meeting",
}


def body(n: int) -> bytes:
    """Each answer its own (the same token and answers twice would be one answer)."""
    return urlencode({**FIELDS, "better": f"{FIELDS['better']} ({n})"}).encode()


def import_rate(rows: int, work: Path) -> None:
    data = csv_bytes([ms_row(n, f"Answer number {n}") for n in range(rows)])
    path = work / "big.csv"
    path.write_bytes(data)
    forms = example_forms()

    start = time.perf_counter()
    text = data.decode("utf-8-sig")
    cells = list(csv.reader(io.StringIO(text, newline="")))
    conn = sqlite3.connect(work / "baseline.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"CREATE TABLE raw ({', '.join(f'c{i}' for i in range(len(cells[0])))})")
    marks = ", ".join("?" * len(cells[0]))
    with conn:
        conn.executemany(f"INSERT INTO raw VALUES ({marks})", cells[1:])
    conn.close()
    baseline = time.perf_counter() - start

    root = work / "council"
    shutil.copytree(ROOT / "site_config", root / "site_config")
    start = time.perf_counter()
    first = run_import(root, forms, [path])
    ours = time.perf_counter() - start
    start = time.perf_counter()
    again = run_import(root, forms, [path])
    repeat = time.perf_counter() - start
    assert first.total.new == rows and again.total.had == rows
    rate, base_rate, again_rate = rows / ours, rows / baseline, rows / repeat
    print(f"import, {rows:,} rows (CSV, Microsoft Forms columns):")
    print(f"  first import: {ours:.2f} s, {rate:,.0f} rows a second")
    print(f"  same file again (all already had): {repeat:.2f} s, {again_rate:,.0f} rows a second")
    print(f"  baseline csv.reader + executemany: {baseline:.2f} s, {base_rate:,.0f} rows a second")
    print(f"  ratio: {ours / baseline:.1f}x the baseline's time")


def trivial(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("303 See Other", [("Location", "/thanks/"), ("Content-Length", "0")])
    return [b""]


def load(app: Any, answers: int, clients: int) -> tuple[float, list[float]]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    def client(first: int) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        times = []
        for n in range(first, first + each):
            data = body(n)
            begin = time.perf_counter()
            conn.request("POST", "/", data, headers)
            response = conn.getresponse()
            response.read()
            assert response.status == 303, response.status
            times.append(time.perf_counter() - begin)
        conn.close()
        return times

    each = answers // clients
    with serving(app, threads=8) as port:
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            starts = [i * each for i in range(clients)]
            latencies = [t for ts in pool.map(client, starts) for t in ts]
        elapsed = time.perf_counter() - start
    return elapsed, latencies


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def receiver_rate(answers: int, clients: int, work: Path) -> None:
    root = work / "receiver"
    shutil.copytree(ROOT / "site_config", root / "site_config")
    app = make_app(Paths.under(root), rate_limit=0, busy_seconds=30)
    base_s, base_lat = load(trivial, answers, clients)
    ours_s, ours_lat = load(app, answers, clients)
    n = len(ours_lat)
    conn = sqlite3.connect(root / "answers.sqlite3")
    kept = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    conn.close()
    assert kept == n, (kept, n)
    ours_rate, base_rate = n / ours_s, n / base_s
    ours_p99, base_p99 = p99(ours_lat) * 1000, p99(base_lat) * 1000
    median = statistics.median(ours_lat) * 1000
    print(f"receiver, {n:,} answers, {clients} concurrent clients, 127.0.0.1, Waitress 8 threads:")
    print(
        f"  ours: {ours_rate:,.0f} answers a second, p99 {ours_p99:.1f} ms, median {median:.1f} ms"
    )
    print(f"  baseline (Waitress, trivial app): {base_rate:,.0f} a second, p99 {base_p99:.1f} ms")
    print(f"  ratio: {base_rate / ours_rate:.1f}x fewer a second, p99 {ours_p99 / base_p99:.1f}x")


def main() -> None:
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" is the load
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        import_rate(args.rows, Path(tmp))
        receiver_rate(args.answers, args.clients, Path(tmp))


if __name__ == "__main__":
    main()
