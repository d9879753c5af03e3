"""Make a fictional council of N reviews, for benchmarks: the example council, scaled up.

Each record is one of the example records with a new reference, child, name and dates, so the
letters are realistic in length and every style and PN code appears.
"""

from __future__ import annotations

import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
    texts = [p.read_text(encoding="utf-8") for p in examples]
    for i in range(count):
        text = texts[i % len(texts)]
        shift = timedelta(days=-rng.randrange(0, 3 * 365))
        text = re.sub(
            r"\b(20\d\d-\d\d-\d\d)\b",
            lambda m, shift=shift: (date.fromisoformat(m[1]) + shift).isoformat(),
            text,
        )
        text = re.sub(r"ref: AT-\d{4}-\d{4}", f"ref: BM-{i:06d}", text)
        text = re.sub(r"id: AT-C-\d{4}", f"id: BM-C-{i:06d}", text)
        name = f"{NAMES[i % len(NAMES)]}{i}"
        text = re.sub(r"(?m)^  name: (\w+)$", f"  name: {name}", text, count=1)
        folder = dest / "minutes" / str(2024 + i % 3)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"review-{i:06d}.yml").write_text(text, encoding="utf-8")
    return dest


def generate_plain(dest: Path, count: int, page_text: str) -> Path:
    """The baseline: plain MkDocs + Material with `count` static pages outside the nav."""
    docs = dest / "docs"
    (docs / "pages").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Baseline\n", encoding="utf-8")
    for i in range(count):
        (docs / "pages" / f"p{i:06d}.md").write_text(page_text, encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        "site_name: Baseline\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\nnot_in_nav: |\n  /pages/\n",
        encoding="utf-8",
    )
    return dest
