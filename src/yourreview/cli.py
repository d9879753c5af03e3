"""The `yourreview` command: check records, build the site, preview it, start a new record.

A user's mistake is a clear message and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .checks import check_project
from .deadlines import deadlines, to_csv, to_json, to_text
from .errors import Problem, Severity, YourReviewError, count_line, display_path
from .newrecord import new_record
from .project import Paths, load_project
from .records import load_minutes, read_record

DEFAULT_SITE = {"public": "site", "internal": "site-internal"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except YourReviewError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="yourreview",
        description="Letters to children in care, and the site that goes with them.",
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=Path.cwd(),
        help="the council's folder, with mkdocs.yml (default: here)",
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check review records and settings; list every problem")
    check.add_argument("paths", nargs="*", type=Path, help="records to check (default: all)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--json", action="store_true", help="print every problem as JSON")
    check.set_defaults(run=run_check)

    build = sub.add_parser("build", help="build the site with MkDocs")
    build.add_argument(
        "--audience",
        choices=("public", "internal"),
        default="public",
        help="public (no personal data; the default) or internal (with letters)",
    )
    build.add_argument(
        "--site-dir",
        type=Path,
        help="where to write it (default: site/, or site-internal/ for internal)",
    )
    build.set_defaults(run=run_build)

    preview = sub.add_parser(
        "preview", help="serve the internal site on this computer, rebuilding when you save a file"
    )
    preview.add_argument("--port", type=int, default=8000)
    preview.set_defaults(run=run_preview)

    deadlines = sub.add_parser("deadlines", help="list reviews and letters due or late")
    deadlines.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=date.today(),
        metavar="YYYY-MM-DD",
        help="the day to count from (default: today)",
    )
    output = deadlines.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print every row as JSON")
    output.add_argument("--csv", action="store_true", help="print every row as CSV")
    deadlines.set_defaults(run=run_deadlines)

    letters = sub.add_parser("letters", help="write letters as PDF files, to print and post")
    letters.add_argument("paths", nargs="*", type=Path, help="records (default: every one)")
    letters.add_argument(
        "--pdf",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder to write <reference>.pdf files into",
    )
    letters.set_defaults(run=run_letters)

    report = sub.add_parser(
        "report", help="write the annual report's tables for a reporting year (April to March)"
    )
    report.add_argument("--year", required=True, metavar="YYYY-YY", help="e.g. 2025-26")
    report.add_argument(
        "--format",
        choices=("md", "csv", "xlsx"),
        default="md",
        help="md (the default), csv or xlsx",
    )
    report.add_argument(
        "--exact",
        action="store_true",
        help="hide nothing, for the council's own use (the file says so); never publish it",
    )
    report.add_argument(
        "-o", "--output", type=Path, help="file to write (default: print it; xlsx needs a file)"
    )
    report.set_defaults(run=run_report)

    new = sub.add_parser("new", help="write a new review record to fill in")
    new.add_argument(
        "--from",
        dest="previous",
        type=Path,
        help="the child's previous record: carries their details forward",
    )
    new.add_argument("-o", "--output", type=Path, help="file to write (default: print it)")
    new.set_defaults(run=run_new)
    return parser


def run_check(args: argparse.Namespace) -> int:
    root: Path = args.project
    problems: list[Problem] = []
    records = 0
    try:
        if args.paths:
            # Just these files: the record's own checks. The whole project adds the language,
            # readability and deadline checks, which need every record and setting.
            minutes = load_minutes(root / "minutes", root, args.paths)
            problems += minutes.warnings
            records = len(minutes.records)
        else:
            project = load_project(Paths.under(root))
            problems += check_project(project)[0]
            records = len(project.minutes.records)
    except YourReviewError as exc:
        problems += exc.problems
    report(problems, args.json, records)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    return 1 if errors or (args.strict and problems) else 0


def run_letters(args: argparse.Namespace) -> int:
    root: Path = args.project
    project = load_project(Paths.under(root))
    records = list(project.minutes.records)
    if args.paths:
        wanted = {display_path(p, root) for p in args.paths}
        records = [r for r in records if r.source in wanted]
        unknown = wanted - {r.source for r in records}
        if unknown:
            print("Not a record in minutes/: " + ", ".join(sorted(unknown)), file=sys.stderr)
            return 1
    from .pdf import write_letter_pdfs  # WeasyPrint is slow to import; only this command needs it

    start = time.perf_counter()
    written = write_letter_pdfs(project, args.pdf, records)
    seconds = time.perf_counter() - start
    print(
        f"Wrote {len(written)} letters to {args.pdf} in {seconds:.1f} s. "
        "They hold personal data: keep them off shared drives and delete them once posted."
    )
    if project.key.is_demo:
        print("The QR codes use the published demo key: set YOURREVIEW_TOKEN_KEY before posting.")
    return 0


def run_deadlines(args: argparse.Namespace) -> int:
    project = load_project(Paths.under(args.project))
    rows = deadlines(project.minutes, project.rules, project.calendar, args.as_of)
    if args.json:
        print(to_json(rows))
    elif args.csv:
        sys.stdout.write(to_csv(rows))
    else:
        print(to_text(rows, args.as_of, project.rules.due_soon_working_days))
    return 0


def run_report(args: argparse.Namespace) -> int:
    from .feedback.figures import ReportingYear
    from .figurepages import answers_for_figures
    from .report import make_report, to_csv, to_markdown, write_xlsx

    try:
        year = ReportingYear.parse(args.year)
    except ValueError as exc:
        print(f"--year: {exc}", file=sys.stderr)
        return 1
    if args.format == "xlsx" and args.output is None:
        print("--format xlsx needs a file to write: add -o report.xlsx", file=sys.stderr)
        return 1
    if args.output is not None and args.output.exists():
        print(
            f"{args.output} already exists: choose another name, so nothing is overwritten.",
            file=sys.stderr,
        )
        return 1
    project = load_project(Paths.under(args.project))
    if not any(year.first_day <= r.review_date <= year.last_day for r in project.minutes.records):
        print(f"No review in minutes/ was held in {year.words} ({year.label}).", file=sys.stderr)
        return 1
    made = make_report(project, year, args.exact, date.today(), answers_for_figures(project))
    if args.format == "xlsx":
        write_xlsx(made, args.output)
    else:
        text = to_markdown(made) if args.format == "md" else to_csv(made)
        if args.output is None:
            sys.stdout.write(text)
            return 0
        args.output.write_text(text, encoding="utf-8", newline="")
    kind = "EXACT figures (not for publication)" if args.exact else "figures as published"
    print(f"Wrote {year.label} {kind} to {args.output}.")
    return 0


def report(problems: list[Problem], as_json: bool, records: int) -> None:
    problems = sorted(problems)
    if as_json:
        print(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
        return
    current = None
    for problem in problems:
        if problem.file != current:
            current = problem.file
            print(f"\n{current}")
        print(f"  {problem}")
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if problems:
        print()
    plural = "" if records == 1 else "s"
    print(f"{records} record{plural} checked: {count_line(errors, len(problems) - len(errors))}.")


def mkdocs(args: Sequence[str], audience: str, root: Path) -> int:
    env = dict(os.environ, YOURREVIEW_AUDIENCE=audience, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", *args, "-f", str(root / "mkdocs.yml")]
    return subprocess.call(command, env=env)


def run_build(args: argparse.Namespace) -> int:
    root: Path = args.project
    load_project(Paths.under(root))  # fail fast with every problem listed, before MkDocs starts
    site = args.site_dir or root / DEFAULT_SITE[args.audience]
    return mkdocs(["build", "--clean", "-d", str(site.resolve())], args.audience, root)


def run_preview(args: argparse.Namespace) -> int:
    root: Path = args.project
    print("Internal preview, with letters: for this computer only (127.0.0.1).")
    return mkdocs(["serve", "--livereload", "-a", f"127.0.0.1:{args.port}"], "internal", root)


def run_new(args: argparse.Namespace) -> int:
    root: Path = args.project
    previous = None
    if args.previous:
        previous, _ = read_record(args.previous, display_path(args.previous, root))
    text = new_record(previous)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    if args.output.exists():
        print(
            f"{args.output} already exists: choose another name, so nothing is overwritten.",
            file=sys.stderr,
        )
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"Wrote {args.output}. Fill it in, then run `yourreview check {args.output}`.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
