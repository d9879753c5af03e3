"""The `yourreview` command: check records, build the site, preview it, start a new record.

A user's mistake is a clear message and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import secrets
import sqlite3
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .cache import keep_in_memory
from .checks import check_project
from .deadlines import deadlines, to_csv, to_json, to_text
from .errors import Problem, Severity, YourReviewError, count_line, display_path, plural
from .feedback.quotes import Update, quote_redactor, update_quotes
from .fieldtypes import suggest_date
from .forked import cores
from .kinds import KINDS, QUOTE_STATUSES, write_schemas
from .newrecord import new_record
from .project import ANSWERS_PATH, Paths, Project, handed_over, load_project
from .records import find_files, read_record

DEFAULT_SITE = {"public": "site", "internal": "site-internal"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if needs_project(args) and not (args.project / "mkdocs.yml").is_file():
        print(
            f"There is no mkdocs.yml in {args.project}: run yourreview in your council's folder "
            "(the one with mkdocs.yml), or name that folder with --project DIR.",
            file=sys.stderr,
        )
        return 1
    try:
        code: int = args.run(args)
        sys.stdout.flush()
        return code
    except YourReviewError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `yourreview deadlines | head`: the reader has all it wanted. Point stdout at nothing
        # so Python's own flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def needs_project(args: argparse.Namespace) -> bool:
    """Every command reads a council's folder but two: `new` writes a record anywhere (a paper
    form needs the council's forms), and `schema KIND` prints what is the same for everyone."""
    if args.run is run_new:
        return bool(args.paper)
    return not (args.run is run_schema and args.kind)


def iso_date(text: str) -> date:
    """A date typed on the command line, with the ISO form to write when it is not one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        guess = suggest_date(text)
        hint = f"write {guess}" if guess else "write it as YYYY-MM-DD, e.g. 2027-01-10"
        raise argparse.ArgumentTypeError(f'"{text}" is not a date we can read: {hint}') from None


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
    check.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day an unsent letter goes out, for next steps already due (default: today)",
    )
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
    build.add_argument(
        "--strict",
        action="store_true",
        help="fail on any warning, e.g. a word the glossary marks as an error, or a record "
        "that could not be read",
    )
    build.set_defaults(run=run_build)

    preview = sub.add_parser(
        "preview", help="serve the internal site on this computer, rebuilding when you save a file"
    )
    preview.add_argument(
        "--port", type=int, default=8000, help="the port to serve on (0: any free one)"
    )
    preview.add_argument(
        "--poll",
        action="store_true",
        help="look for saved files twice a second instead of being told by the system "
        "(for folders on a network drive, which does not tell)",
    )
    preview.set_defaults(run=run_preview)

    deadlines = sub.add_parser("deadlines", help="list reviews and letters due or late")
    deadlines.add_argument(
        "--as-of",
        type=iso_date,
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
    new.add_argument(
        "--paper",
        metavar="FORM-ID",
        help="write a paper form to type in (under feedback/paper/) instead of a review record",
    )
    new.set_defaults(run=run_new)

    schema = sub.add_parser(
        "schema", help="JSON Schema for each kind of file, so an editor can help as you type"
    )
    schema.add_argument(
        "kind",
        nargs="?",
        choices=sorted(KINDS),
        help="print this kind's schema (default: write every one into schemas/)",
    )
    schema.set_defaults(run=run_schema)
    add_answer_commands(sub)
    return parser


def add_answer_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = sub.add_parser(
        "import", help="bring answers into the answers store: exports and typed-in paper forms"
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files or folders")
    imp.add_argument(
        "--form",
        metavar="ID[@VERSION]",
        help="the form the export belongs to (default: worked out from its columns)",
    )
    imp.add_argument("--encoding", help="the CSV's encoding when it is not UTF-8, e.g. cp1252")
    imp.add_argument("--json", action="store_true", help="print the counts as one JSON object")
    imp.set_defaults(run=run_import)

    quotes = sub.add_parser(
        "quotes", help="list the quotes waiting for a person's approval (feedback/quotes.yml)"
    )
    quotes.add_argument("--json", action="store_true", help="print them as one JSON object")
    quotes.set_defaults(run=run_quotes)

    rec = sub.add_parser("receive", help="serve the answers endpoint (forms.endpoint)")
    rec.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    rec.add_argument("--port", type=int, default=8080, help="port to listen on (8080)")
    rec.add_argument(
        "--rate-limit",
        type=int,
        default=20,
        metavar="N",
        help="answers one address may send a minute (20)",
    )
    rec.add_argument(
        "--behind-proxy",
        action="store_true",
        help="trust X-Forwarded-For from a web server on 127.0.0.1 (for the rate limit only)",
    )
    rec.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="write the answers it has received as JSON Lines (for `yourreview import`), then stop",
    )
    rec.set_defaults(run=run_receive)


def run_import(args: argparse.Namespace) -> int:
    from .feedback.importer import run_import as import_files

    root: Path = args.project
    project = load_project(Paths.under(root))
    forms = project.forms
    try:
        result = import_files(root, forms, args.files, args.form, args.encoding)
    except sqlite3.Error as exc:  # locked by a long write elsewhere, disk full, read-only
        print(
            f"The answers store could not be written ({exc}): nothing was imported. "
            "Try again in a minute; if it goes on, check the disk has space.",
            file=sys.stderr,
        )
        return 1
    update = _update_quotes(project)
    if args.json:
        out = result.as_dict() | {"quotes_added": update.added}
        out["problems"] = [p.as_dict() for p in (*result.problems, *update.problems)]
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for problem in [*result.problems, *update.problems]:
            print(problem, file=sys.stderr)
        for f in result.files:
            again = " (imported before: nothing new)" if f.seen_before and not f.tally.new else ""
            print(f"{f.name}: {f.tally.line()}{again}")
            for line, reason in f.set_aside:
                print(f"  set aside {f.name}:{line}: {reason}")
        print(f"In all: {result.total.line()}.")
        if result.total.set_aside:
            print("Rows set aside are listed in feedback/set-aside/ and on the Feedback page.")
        if update.added:
            print(
                f"{plural(update.added, 'new quote')} in feedback/quotes.yml wait for approval: "
                "see `yourreview quotes`."
            )
    problems = [*result.problems, *update.problems]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    return 1 if errors else 0


def _update_quotes(project: Project) -> Update:
    """New quote candidates from the store into feedback/quotes.yml: the answers are already
    committed, so a quotes file that does not read is reported, never a reason to lose them."""
    redact = quote_redactor(project.minutes, project.council)
    try:
        return update_quotes(project.paths.root, project.forms, redact)
    except YourReviewError as exc:
        return Update(0, (), tuple(exc.problems))


def run_quotes(args: argparse.Namespace) -> int:
    """Add what the store holds that is new (answers received online too), then list what waits
    for a person, and how many quotes have each status."""
    project = load_project(Paths.under(args.project))
    update = _update_quotes(project)
    for problem in update.problems:
        print(problem, file=sys.stderr)
    if update.problems:
        return 1
    counts = {s: sum(1 for q in update.quotes if q.status == s) for s in QUOTE_STATUSES}
    waiting = [q for q in update.quotes if q.status == "pending"]
    if args.json:
        listed = [
            {"id": q.id, "form": q.form_id, "year": q.year, "quote": q.text, "removed": q.removed}
            for q in waiting
        ]
        print(json.dumps({"added": update.added, "counts": counts, "pending": listed}, indent=2))
        return 0
    if update.added:
        print(f"Added {plural(update.added, 'new quote')} from the answers store.")
    for q in waiting:
        removed = f" (took out: {', '.join(q.removed)})" if q.removed else ""
        print(f"{q.id} {q.year} {q.form_id}: {q.text}{removed}")
    print(", ".join(f"{n} {status}" for status, n in counts.items()) + ".")
    if waiting:
        print(
            "To publish a quote, set its `status: approved` in feedback/quotes.yml "
            "(or `rejected`), then build the site."
        )
    return 0


def run_receive(args: argparse.Namespace) -> int:
    from .feedback.receiver import export_jsonl, serve

    root: Path = args.project
    if args.export:
        n = export_jsonl(root, args.export)
        print(f"Wrote {n} answers to {args.export}. Import them with `yourreview import`.")
        return 0
    try:
        return serve(Paths.under(root), args.host, args.port, args.rate_limit, args.behind_proxy)
    except OSError as exc:  # the port is taken, or needs privileges
        print(f"Cannot listen on {args.host}:{args.port} ({exc.strerror}).", file=sys.stderr)
        print("Choose another --port, or stop what is using it.", file=sys.stderr)
        return 1


def run_check(args: argparse.Namespace) -> int:
    root: Path = args.project
    problems: list[Problem] = []
    records = 0
    try:
        if args.paths:
            files, missing = records_named(args.paths, root)
            problems += missing
            named = {display_path(f, root) for f in files}
            paths = Paths.under(root)
            # Every file named is read as a record (those in minutes/ are read once), so one
            # outside minutes/ is checked with this project's settings and against its other
            # records. A settings file named gets the findings about it.
            extra = [f for f in files if not _under(f, paths.site_config)]
            project = as_of(load_project(paths, partial=True, extra=extra), args.as_of)
            problems += check_project(project, named, cores())[0]
            records = len(extra)
        else:
            project = as_of(load_project(Paths.under(root), partial=True), args.as_of)
            problems += check_project(project, workers=cores())[0]
            records = len(project.minutes.records) + len(project.minutes.unread)
    except YourReviewError as exc:
        problems += exc.problems
    report(problems, args.json, records)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    return 1 if errors or (args.strict and problems) else 0


def as_of(project: Project, day: date | None) -> Project:
    """The project as it will be on `day`: when an unsent letter goes out."""
    return dataclasses.replace(project, today=day) if day else project


def records_named(paths: Sequence[Path], root: Path) -> tuple[list[Path], list[Problem]]:
    """The files named, and every record inside the folders named (recursively)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if not path.exists() and not path.is_absolute() and (root / path).exists():
            path = root / path  # written from the project's folder, as with --project
        if path.is_dir():
            found = find_files(path)
            files += found
            if not found:
                problems.append(
                    Problem(
                        display_path(path, root),
                        0,
                        0,
                        "",
                        "holds no records",
                        "records are .yml files; name a file or a folder that holds some",
                    )
                )
        elif path.is_file():
            files.append(path)
        else:
            problems.append(
                Problem(
                    display_path(path, root),
                    0,
                    0,
                    "",
                    "there is no such file or folder",
                    "check the name, e.g. minutes/2026/sam-4.yml",
                )
            )
    return files, problems


def _under(path: Path, folder: Path) -> bool:
    return folder.resolve() in path.resolve().parents


def say_unread(project: Project) -> int:
    """Tell which records did not read (so are left out); 1 if any did not, else 0."""
    unread = project.minutes.unread
    if not unread:
        return 0
    print(
        f"Left out, because {plural(len(unread), 'record')} could not be read "
        "(run `yourreview check` to see what to change):",
        file=sys.stderr,
    )
    for record in unread:
        errors = [p for p in record.problems if p.severity is Severity.ERROR]
        print(f"  {record.source} ({plural(len(errors), 'error')})", file=sys.stderr)
    return 1


def run_letters(args: argparse.Namespace) -> int:
    root: Path = args.project
    project = load_project(Paths.under(root), partial=True)
    records = list(project.minutes.records)
    if args.paths:
        wanted = {display_path(p, root) for p in args.paths}
        records = [r for r in records if r.source in wanted]
        unread = {u.source for u in project.minutes.unread}
        unknown = wanted - {r.source for r in records} - unread
        if unknown:
            print("Not a record in minutes/: " + ", ".join(sorted(unknown)), file=sys.stderr)
            return 1
    from .pdf import write_letter_pdfs  # WeasyPrint is slow to import; only this command needs it

    start = time.perf_counter()
    written = write_letter_pdfs(project, args.pdf, records)
    seconds = time.perf_counter() - start
    print(
        f"Wrote {plural(len(written), 'letter')} to {args.pdf} in {seconds:.1f} s. "
        "They hold personal data: keep them off shared drives and delete them once posted."
    )
    if project.key.is_demo:
        print("The QR codes use the published demo key: set YOURREVIEW_TOKEN_KEY before posting.")
    return say_unread(project)


def run_deadlines(args: argparse.Namespace) -> int:
    project = load_project(Paths.under(args.project), partial=True)
    rows = deadlines(project.minutes, project.rules, project.calendar, args.as_of)
    if args.json:
        print(to_json(rows))
    elif args.csv:
        sys.stdout.write(to_csv(rows))
    else:
        print(to_text(rows, args.as_of, project.rules.due_soon_working_days))
    sys.stdout.flush()  # the rows first, then (on stderr) the records left out
    return say_unread(project)


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
    """MkDocs' own command line, in this process: what `build` read to fail fast is still in
    memory for the plugin, so the records are read once, not twice (in another process, they
    were read again from the cache). The messages and exit codes are MkDocs' own, as before."""
    from .plugin import run_mkdocs  # MkDocs and Material: only the commands that build need them

    env = {"YOURREVIEW_AUDIENCE": audience, "NO_MKDOCS_2_WARNING": "1"}
    return run_mkdocs([*args, "-f", str(root / "mkdocs.yml")], env)


def run_build(args: argparse.Namespace) -> int:
    root: Path = args.project
    # Fail fast with every problem listed, before MkDocs starts. The internal site carries on
    # for every record that reads (the plugin lists the others); the public one refuses.
    keep_in_memory(["records"])  # the plugin reads the same records again, in this process
    internal = args.audience == "internal"
    project = load_project(Paths.under(root), partial=internal, defer=not internal)
    site = args.site_dir or root / DEFAULT_SITE[args.audience]
    # The internal site is a working copy: it is written whatever the warnings, unless asked.
    # The public one keeps mkdocs.yml's `strict:`.
    strict = ["--strict"] if args.strict else ["--no-strict"] if args.audience == "internal" else []
    with handed_over(project):  # the public build's plugin reads this one, not the files again
        return mkdocs(["build", "--clean", *strict, "-d", str(site.resolve())], args.audience, root)


def run_preview(args: argparse.Namespace) -> int:
    from .feedback.receiver import make_app
    from .preview import serve  # Waitress: only this command needs it

    print("Internal preview, with letters: for this computer only (127.0.0.1).")
    paths = Paths.under(args.project)
    # The receiver beside the site, on one origin: a form opened from a letter in the preview
    # is answered here, and the answer shows on that letter's page after the next build.
    try:
        mounts = [(ANSWERS_PATH, make_app(paths, thanks_base="/"))]
    except YourReviewError as exc:
        print("Forms cannot be answered in this preview until this is fixed:\n" + exc.report())
        mounts = []
    return serve(paths, args.port, mount=mounts, poll=args.poll)


def run_new(args: argparse.Namespace) -> int:
    root: Path = args.project
    if args.paper:
        return run_new_paper(args)
    previous = None
    if args.previous:
        previous, _ = read_record(args.previous, display_path(args.previous, root))
    # The editor finds the schema from the file's own first line, relative to the file; printed,
    # the record is taken to go where the README puts records, minutes/<year>/.
    schema = root.resolve() / KINDS["record"].schema_file
    year = root.resolve() / "minutes" / str(date.today().year)
    here = args.output.resolve().parent if args.output else year
    text = new_record(previous, schema=Path(os.path.relpath(schema, here)).as_posix())
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


def run_schema(args: argparse.Namespace) -> int:
    if args.kind:
        sys.stdout.write(KINDS[args.kind].json_schema())
        return 0
    for path in write_schemas(args.project):
        print(f"Wrote {display_path(path, args.project)}")
    return 0


def run_new_paper(args: argparse.Namespace) -> int:
    from .feedback.paper import new_paper
    from .forms import load_forms

    root: Path = args.project
    questions = Paths.under(root).site_config / "questions.yml"
    forms = load_forms(questions, display_path(questions, root))
    try:
        form = forms.by_id(args.paper)
    except KeyError:
        known = ", ".join(f.id for f in forms.approved)
        print(f'There is no form "{args.paper}". Forms: {known}.', file=sys.stderr)
        return 1
    paper_id = f"p-{secrets.token_hex(4)}"
    text = new_paper(form, paper_id)
    output: Path = args.output or root / "feedback" / "paper" / f"{form.id}-{paper_id}.yml"
    if output.exists():
        print(f"{output} already exists: choose another name.", file=sys.stderr)
        return 1
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"Wrote {output}. Type in the answers, then run `yourreview import {output}`.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
