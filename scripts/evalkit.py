"""Shared pieces of the extraction evals: bench location, held-out split, per-rule attribution.

The split is fixed before any rule is written: a page belongs to the ``dev`` half when the first
byte of sha256("newscorpus-split:" + file name) is even, else to ``held``. Rules are developed
looking at ``dev`` pages only; both halves are reported so a rule that helps only the pages it was
written on shows as a gap between them.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
_SPACE = re.compile(r"\s+")
SPLITS = ("all", "dev", "held")


def bench_dir(name: str, given: Path | None) -> Path:
    """``given``, else $NEWSCORPUS_BENCH/name, else <repo>/../shared/bench/name, else /work/..."""
    if given is not None:
        return given
    candidates = []
    if os.environ.get("NEWSCORPUS_BENCH"):
        candidates.append(Path(os.environ["NEWSCORPUS_BENCH"]) / name)
    candidates += [REPO_ROOT.parent / "shared" / "bench" / name, Path("/work/shared/bench") / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def split_of(file: str) -> str:
    digest = hashlib.sha256(("newscorpus-split:" + Path(file).name).encode("utf-8")).digest()
    return "dev" if digest[0] % 2 == 0 else "held"


def in_split(file: str, split: str) -> bool:
    return split == "all" or split_of(file) == split


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def shingles(text: str, size: int = 4) -> Counter:
    """Multiset of ``size``-token shingles (white-space tokens); a short text is one shingle."""
    tokens = text.split()
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


class RuleTally:
    """Per cleaning rule: pages it fires on, pages where it removed gold text, gold units removed.

    A rule is named by the ``rule`` of its removed segments with any text after the family
    (``marker:Related`` counts as ``marker:Related``; repairs as ``repair:...``) kept whole,
    so a hurting phrase shows by name.
    """

    def __init__(self) -> None:
        self.fired: Counter = Counter()
        self.hurt_pages: Counter = Counter()
        self.gold_removed: Counter = Counter()
        self.boilerplate_removed: Counter = Counter()
        self.examples: dict[str, list[str]] = {}

    def add_page(
        self,
        file: str,
        removed_by_rule: dict[str, int],
        rules_fired: set[str],
        boilerplate_by_rule: dict[str, int] | None = None,
    ) -> None:
        for rule in rules_fired:
            self.fired[rule] += 1
        for rule, count in (boilerplate_by_rule or {}).items():
            self.boilerplate_removed[rule] += count
        for rule, count in removed_by_rule.items():
            if count:
                self.hurt_pages[rule] += 1
                self.gold_removed[rule] += count
                self.examples.setdefault(rule, []).append(file)

    def rows(self) -> list[dict]:
        rows = []
        for rule, fired in self.fired.most_common():
            hurt = self.hurt_pages[rule]
            rows.append(
                {
                    "rule": rule,
                    "pages_fired": fired,
                    "pages_hurt": hurt,
                    "hurt_share": round(hurt / fired, 4) if fired else 0.0,
                    "gold_removed": self.gold_removed[rule],
                    "boilerplate_removed": self.boilerplate_removed[rule],
                }
            )
        return rows

    def print(self, unit: str, good: str, limit: int = 40) -> None:
        rows = self.rows()
        print(
            f"  per rule: pages fired, pages where it removed gold text (hurt), their share, "
            f"gold {unit} removed, {good} removed"
        )
        print(f"  {'rule':<44} {'fired':>6} {'hurt':>5} {'share':>6} {unit:>9} {good:>9}")
        rows.sort(key=lambda row: (-row["pages_hurt"], -row["pages_fired"], row["rule"]))
        for row in rows[:limit]:
            flag = " <" if row["hurt_share"] > 0.01 else ""
            print(
                f"  {row['rule'][:44]:<44} {row['pages_fired']:>6} {row['pages_hurt']:>5} "
                f"{row['hurt_share']:>6.3f} {row['gold_removed']:>9} "
                f"{row['boilerplate_removed']:>9}{flag}"
            )
        if len(rows) > limit:
            print(f"  ... {len(rows) - limit} more rules, none of them removed gold text")


def removed_overlap(segment: str, removed_texts: list[str]) -> bool:
    """A gold segment lost its text (in part) to these removed texts."""
    gold = normalise(segment)
    gold_shingles = set(shingles(gold))
    for text in removed_texts:
        piece = normalise(text)
        if not piece:
            continue
        if gold in piece or (len(piece.split()) >= 3 and piece in gold):
            return True
        if gold_shingles & set(shingles(piece)):
            return True
    return False


BASELINE = "trafilatura standard"


@dataclass
class Extracted:
    """Every extractor's text per page file (None: it failed), its seconds, and what our
    cleaning removed from each page (for the per-rule tally)."""

    ours: str
    texts: dict[str, dict[str, str | None]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    removed: dict[str, list] = field(default_factory=dict)


def extract_pages(bench: Path, pages: list[dict]) -> Extracted:
    """Bare trafilatura (standard settings) and our cleaning over the same HTML pages, each
    decoded the way the pipeline's ingest stage decodes a file."""
    import logging

    import trafilatura

    from newscorpus import cleaning
    from newscorpus.ingest.decode import decode

    # trafilatura and htmldate warn about every odd page; the scores are what matter here.
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.ERROR)
    done = Extracted(ours=f"newscorpus cleaning v{cleaning.VERSION}")

    def standard(data: bytes, _file: str) -> str | None:
        return trafilatura.extract(
            data, include_comments=False, include_tables=True, include_formatting=False
        )

    def ours(data: bytes, file: str) -> str:
        result = cleaning.clean(decode(data).text, "html", {"extra_markers": {}})
        done.removed[file] = result.removed
        return result.text

    for name, extract in ((BASELINE, standard), (done.ours, ours)):
        texts: dict[str, str | None] = {}
        started = time.perf_counter()
        for page in pages:
            data = (bench / page["file"]).read_bytes()
            try:
                texts[page["file"]] = extract(data, page["file"])
            except Exception as exc:  # a crash scores as an empty output, as upstream does
                print(f"{name}: {page['file']} raised {type(exc).__name__}: {exc}", file=sys.stderr)
                texts[page["file"]] = None
        done.seconds[name] = time.perf_counter() - started
        done.texts[name] = texts
    return done
