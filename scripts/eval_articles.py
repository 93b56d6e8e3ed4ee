"""Score article bodies on the ScrapingHub pages: our cleaning beside bare trafilatura.

Scoring follows the benchmark's evaluate.py as the bench README describes it: white-space tokens,
a document is the multiset of its 4-token shingles (a text of fewer tokens is one shingle); per
page true positives are the shingles output and gold share (multiset intersection), false
positives the output's others, false negatives the gold's others; summed over pages.

Also: pages where our recall is below trafilatura's by more than 0.05, and per cleaning rule the
pages it fires on, the pages where it removed gold shingles the output lacks, and how many
(a removed piece shorter than a shingle counts its words when the gold holds it more often
than the output).
``--split dev|held`` scores one half of the fixed hash split (evalkit.py).

Usage: .venv/bin/python scripts/eval_articles.py [--json PATH] [--bench DIR] [--split S]
       [--show-pages]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "scripts"))

from evalkit import (  # noqa: E402
    BASELINE,
    SPLITS,
    RuleTally,
    bench_dir,
    extract_pages,
    in_split,
    normalise,
    shingles,
)

MAX_RECALL_LOSS = 0.05


def load_pages(bench: Path) -> list[dict]:
    with open(bench / "truth.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def page_counts(output: str | None, gold: str) -> tuple[int, int, int]:
    produced, wanted = shingles(output or ""), shingles(gold)
    tp = sum((produced & wanted).values())
    return tp, sum(produced.values()) - tp, sum(wanted.values()) - tp


def score(outputs: dict[str, str | None], pages: list[dict]) -> dict:
    tp = fp = fn = 0
    for page in pages:
        a, b, c = page_counts(outputs.get(page["file"]), page["article_body"])
        tp, fp, fn = tp + a, fp + b, fn + c
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pages": len(pages),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def page_recall(output: str | None, gold: str) -> float:
    tp, _, fn = page_counts(output, gold)
    return tp / (tp + fn) if tp + fn else 1.0


def _phrase_count(text: str, phrase: str) -> int:
    """Occurrences of ``phrase`` as whole words of ``text``."""
    if not phrase:
        return 0
    return len(re.findall(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text))


def tally_rules(pages: list[dict], outputs: dict, removed: dict) -> RuleTally:
    """Gold shingles a rule's removed text holds that the output does not."""
    tally = RuleTally()
    for page in pages:
        gold = shingles(page["article_body"])
        output = outputs.get(page["file"]) or ""
        missing = gold - shingles(output)
        by_rule: dict[str, Counter] = {}
        short_lost: Counter = Counter()  # removed pieces under 4 tokens that the gold holds
        gold_text, output_text = normalise(page["article_body"]), normalise(output)
        for segment in removed.get(page["file"]) or []:
            by_rule.setdefault(segment.rule, Counter()).update(shingles(segment.text))
            piece = normalise(segment.text)
            if len(piece.split()) < 4 and _phrase_count(gold_text, piece) > _phrase_count(
                output_text, piece
            ):
                short_lost[segment.rule] += len(piece.split())
        counts = {
            rule: sum((found & missing).values()) + short_lost[rule]
            for rule, found in by_rule.items()
        }
        good = {rule: sum((found - gold).values()) for rule, found in by_rule.items()}
        tally.add_page(page["file"], counts, set(by_rule), good)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=None)
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument("--show-pages", action="store_true", help="per-page recall and F1")
    args = parser.parse_args(argv)
    bench = bench_dir("articles", args.bench)
    if not (bench / "truth.jsonl").is_file():
        print(f"eval_articles: no gold set at {bench} (truth.jsonl missing); skipped")
        return 0

    pages = [page for page in load_pages(bench) if in_split(page["file"], args.split)]
    extracted = extract_pages(bench, pages)
    outputs, seconds, removed = extracted.texts, extracted.seconds, extracted.removed
    ours_name = extracted.ours

    print(f"articles gold set: {len(pages)} pages ({args.split}), {bench}")
    print(f"{'extractor':<28} {'split':<5} {'P':>6} {'R':>6} {'F1':>6} {'pages':>5} {'ms/page':>8}")
    halves = [args.split] if args.split != "all" else ["all", "dev", "held"]
    results: dict[str, dict] = {}
    for name, texts in outputs.items():
        for half in halves:
            figures = score(texts, [page for page in pages if in_split(page["file"], half)])
            results[f"{name} [{half}]"] = figures
            print(
                f"{name:<28} {half:<5} {figures['precision']:>6.3f} {figures['recall']:>6.3f} "
                f"{figures['f1']:>6.3f} {figures['pages']:>5} "
                f"{1000 * seconds[name] / max(1, len(pages)):>8.1f}"
            )
    base = outputs[BASELINE]
    mine = outputs[ours_name]
    worse, better = [], []
    for page in pages:
        ours_recall = page_recall(mine[page["file"]], page["article_body"])
        base_recall = page_recall(base[page["file"]], page["article_body"])
        if ours_recall < base_recall - MAX_RECALL_LOSS:
            worse.append((page["file"], base_recall, ours_recall))
        elif ours_recall > base_recall + MAX_RECALL_LOSS:
            better.append((page["file"], base_recall, ours_recall))
    gain = results[f"{ours_name} [{halves[0]}]"]["f1"] - results[f"{BASELINE} [{halves[0]}]"]["f1"]
    print(f"F1 gain over bare trafilatura ({halves[0]}): {gain:+.3f}")
    print(
        f"pages with recall more than {MAX_RECALL_LOSS} below trafilatura's: {len(worse)}"
        f" (above: {len(better)})"
    )
    for file, base_recall, ours_recall in worse:
        print(f"  worse {file[:60]} trafilatura R {base_recall:.3f}, ours {ours_recall:.3f}")
    tally = tally_rules(pages, mine, removed)
    tally.print("shingles", "other")
    if args.show_pages:
        for page in pages:
            file = page["file"]
            print(
                f"  {file[6:22]} {in_split(file, 'dev') and 'dev' or 'held':<4} "
                f"traf R {page_recall(base[file], page['article_body']):.3f} "
                f"ours R {page_recall(mine[file], page['article_body']):.3f} "
                f"traf F1 {score(base, [page])['f1']:.3f} ours F1 {score(mine, [page])['f1']:.3f}"
            )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "pages": len(pages),
            "split": args.split,
            "bench": str(bench),
            "results": results,
            "ms_per_page": {
                name: round(1000 * value / max(1, len(pages)), 1) for name, value in seconds.items()
            },
            "pages_worse_than_trafilatura": [file for file, _, _ in worse],
            "rules": tally.rows(),
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
