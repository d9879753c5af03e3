"""Make a fictional council of N reviews and M answers, for benchmarks: the example council,
scaled up.

Each record is one of the example records with a new reference, child, name and dates, so the
letters are realistic in length and every style, PN code and kind of next step appears. Children
have histories: each has up to three reviews about six months apart, numbered 1, 2, 3 in date
order (a large council: ~1,400 children, ~3,600 reviews a year). The answers are what children
and carers sent back through the forms, as JSON Lines and as CSV files under feedback/raw/, for
`yourreview import` to read: one answer per review for about 40% of reviews.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVIEWS_PER_CHILD = 3
ANSWER_RATE = 0.4
DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
NAMES = [
    "Ada",
    "Alfie",
    "Bo",
    "Cara",
    "Dara",
    "Eli",
    "Esme",
    "Fern",
    "Gus",
    "Hana",
    "Ira",
    "Jem",
    "Kit",
    "Lark",
    "Milo",
    "Nell",
    "Orla",
    "Pip",
    "Quin",
    "Rae",
    "Sol",
    "Tam",
    "Uma",
    "Vic",
    "Wren",
    "Xan",
    "Yara",
    "Zed",
]


def generate(dest: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    for part in ("mkdocs.yml", "docs", "site_config", "templates"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest / part)
    examples = sorted((ROOT / "minutes").rglob("*.yml"))
    # A child's first review moves back a year before their time in care began: an example
    # who came into care within a year of birth would then have come into care before birth.
    texts = [t for p in examples if _care_began_after_one(t := p.read_text(encoding="utf-8"))]
    children = -(-count // REVIEWS_PER_CHILD)
    shifts = [timedelta(days=-rng.randrange(0, 3 * 365)) for _ in range(children)]
    for i in range(count):
        child, k = i % children, i // children  # review k+1 of this child
        # One example per child (its age and style); review k is six months before review k+1.
        text = texts[child % len(texts)]
        # A child's birthday and coming into care are the same in every review, and as far
        # before the first review as the example's are before its review: the same age at the
        # first review (so its PN code fits) and born before coming into care.
        first = timedelta(days=182 * (REVIEWS_PER_CHILD - 1))
        back = {"  date_of_birth:": first, "  in_care_since:": first}
        lines = []
        for line in text.splitlines(keepends=True):
            move = shifts[child] - next(
                (d for start, d in back.items() if line.startswith(start)),
                timedelta(days=182 * (REVIEWS_PER_CHILD - 1 - k)),
            )
            lines.append(
                DATE.sub(lambda m, move=move: (date.fromisoformat(m[0]) + move).isoformat(), line)
            )
        text = fit_code("".join(lines))
        text = re.sub(r"ref: AT-\d{4}-\d+", f"ref: BM-{i:06d}", text)
        text = re.sub(r"id: AT-C-\d+", f"id: BM-C-{child:06d}", text)
        text = re.sub(r"(?m)^  number: \d+$", f"  number: {k + 1}", text, count=1)
        name = f"{NAMES[child % len(NAMES)]}{child}"
        text = re.sub(r"(?m)^  name: (\w+)$", f"  name: {name}", text, count=1)
        folder = dest / "minutes" / str(2024 + i % 3)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"review-{i:06d}.yml").write_text(text, encoding="utf-8")
    return dest


def _care_began_after_one(text: str) -> bool:
    found = dict(re.findall(r"(?m)^  (date_of_birth|in_care_since): (\S+)$", text))
    if len(found) < 2:
        return True
    born, care = (date.fromisoformat(found[k]) for k in ("date_of_birth", "in_care_since"))
    return (care - born).days > 182 * REVIEWS_PER_CHILD


def fit_code(text: str) -> str:
    """The PN code a child of this age can have: a child grows older between reviews, and PN0
    is only for children under 4."""
    born = re.search(r"(?m)^  date_of_birth: (\S+)$", text)
    held = re.search(r"(?m)^  date: (\S+)$", text)
    if not born or not held:
        return text
    birth, review = date.fromisoformat(born[1]), date.fromisoformat(held[1])
    age = review.year - birth.year - ((review.month, review.day) < (birth.month, birth.day))
    if age < 4:
        return re.sub(r"(?m)^  code: PN\d$", "  code: PN0", text, count=1)
    return re.sub(r"(?m)^  code: PN0$", "  code: PN1", text, count=1)


def generate_answers(council: Path, seed: int = 11) -> int:
    """Answers for ~40% of reviews in feedback/raw/answers.jsonl, in the receiver's JSON Lines
    as `run.py`'s import row reads them (made as `generate_received` makes them). Returns how
    many answers were written."""
    from yourreview.project import Paths, load_project

    count = round(ANSWER_RATE * len(load_project(Paths.under(council)).minutes.records))
    generate_received(council, count, seed, council / "feedback" / "raw" / "answers.jsonl")
    return count


def generate_received(council: Path, count: int, seed: int = 13, path: Path | None = None) -> Path:
    """`count` answers in the receiver's JSON Lines (`yourreview receive --export`), for
    `yourreview import`: every approved review form, dated across the two reporting years the
    public site shows, each joined by token to a review, about half of them written in, a third
    of those shared (so the import redacts them into feedback/quotes.yml) and some naming the
    child's carer. Returns the file."""
    from yourreview.project import Paths, load_project

    rng = random.Random(seed)
    project = load_project(Paths.under(council))
    forms = [f for f in project.forms.approved if f.purpose != "cicc-comment"]
    records = project.minutes.records
    start, days = date(2024, 4, 1), 2 * 365
    path = path or council / "feedback" / "received" / "bench.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            form = forms[i % len(forms)]
            record = records[rng.randrange(len(records))]
            answers: dict[str, object] = {}
            for q in form.questions:
                if q.is_text:
                    if rng.random() < 0.5:
                        carer = record.people[0].name if record.people else "my carer"
                        said = rng.choice(TEXTS)
                        answers[q.id] = f"{said} {carer} helped." if rng.random() < 0.2 else said
                elif q.kind == "consent":
                    answers[q.id] = "yes" if rng.random() < 0.33 else "no"
                elif q.kind == "any-choices":
                    answers[q.id] = [v for v in q.values if rng.random() < 0.4] or [q.values[0]]
                elif q.values:
                    answers[q.id] = rng.choice(q.values)
            line = {
                "form_id": form.id,
                "form_version": form.version,
                "response_id": f"r-bench-{i:06d}",
                "token": project.token(record),
                "submitted": (start + timedelta(days=rng.randrange(days))).isoformat(),
                "answers": answers,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


TEXTS = [
    "It was good that I could say what I wanted.",
    "I did not like that it was at school.",
    "My IRO listened to me.",
    "It was too long.",
    "I want the next one at home.",
]


def generate_plain(dest: Path, count: int, page_text: str) -> Path:
    """The baseline: plain MkDocs + Material with `count` hand-written pages outside the nav."""
    docs = dest / "docs"
    (docs / "pages").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Baseline\n", encoding="utf-8")
    for i in range(count):
        (docs / "pages" / f"p{i:06d}.md").write_text(page_text, encoding="utf-8")
    # The council's theme, features, plugins (search) and Markdown extensions, without ours.
    (dest / "mkdocs.yml").write_text(
        "site_name: Baseline\nstrict: true\n"
        "theme:\n  name: material\n  language: en\n  font: false\n"
        "  features:\n    - navigation.sections\n  palette:\n    primary: indigo\n"
        "plugins:\n  - search\n"
        "markdown_extensions:\n  - toc:\n      permalink: false\n  - admonition\n  - attr_list\n"
        "not_in_nav: |\n  /pages/\n",
        encoding="utf-8",
    )
    return dest
