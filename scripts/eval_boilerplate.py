"""Score main-text extraction on the boilerplate gold set: our cleaning beside trafilatura's.

Scoring follows trafilatura's own evaluation (tests/eval_common.py, see the bench README): per
page, each ``with`` segment found in the whitespace-normalised output is a true positive, else a
false negative; each ``without`` segment found is a false positive, else a true negative; a
crash or empty output counts every ``with`` as missed and every ``without`` as avoided.

Also per cleaning rule: on how many pages it fires, on how many it removed a gold ``with``
segment, and how many such segments in all. ``--split dev|held`` scores one half of the fixed
hash split (see evalkit.py); the default scores all pages and prints both halves too.

Usage: .venv/bin/python scripts/eval_boilerplate.py [--json PATH] [--bench DIR] [--split S]
       [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
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
    removed_overlap,
)


def load_pages(bench: Path) -> list[dict]:
    with open(bench / "expected.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(outputs: dict[str, str | None], pages: list[dict]) -> dict:
    """Counts and figures over all pages; ``outputs`` maps file -> text (None for a crash)."""
    tp = fp = fn = tn = 0
    errors: list[dict] = []
    for page in pages:
        text = normalise(outputs.get(page["file"]) or "")
        for segment in page["with"]:
            if text and normalise(segment) in text:
                tp += 1
            else:
                fn += 1
                errors.append({"file": page["file"], "type": "missed", "segment": segment})
        for segment in page["without"]:
            if text and normalise(segment) in text:
                fp += 1
                errors.append({"file": page["file"], "type": "leaked", "segment": segment})
            else:
                tn += 1
    total = tp + fp + fn + tn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "accuracy": round((tp + tn) / total, 4) if total else 0.0,
        "f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0,
        "errors": errors,
    }


def tally_rules(pages: list[dict], outputs: dict, removed: dict) -> RuleTally:
    """Which rule removed which gold ``with`` segment that the output lacks."""
    tally = RuleTally()
    for page in pages:
        segments = removed.get(page["file"]) or []
        by_rule: dict[str, list[str]] = {}
        for segment in segments:
            by_rule.setdefault(segment.rule, []).append(segment.text)
        text = normalise(outputs.get(page["file"]) or "")
        lost = [s for s in page["with"] if normalise(s) not in text]
        counts = {
            rule: sum(removed_overlap(s, texts) for s in lost) for rule, texts in by_rule.items()
        }
        avoided = [s for s in page["without"] if normalise(s) not in text]
        good = {
            rule: sum(any(normalise(s) in normalise(t) for t in texts) for s in avoided)
            for rule, texts in by_rule.items()
        }
        tally.add_page(page["file"], counts, set(by_rule), good)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=None)
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument(
        "--show-errors",
        action="store_true",
        help="list every missed and leaked segment of our cleaning",
    )
    args = parser.parse_args(argv)
    bench = bench_dir("boilerplate", args.bench)

    if not (bench / "expected.jsonl").is_file():
        print(f"eval_boilerplate: no gold set at {bench} (expected.jsonl missing); skipped")
        return 0

    pages = [page for page in load_pages(bench) if in_split(page["file"], args.split)]
    extracted = extract_pages(bench, pages)
    outputs, seconds, removed = extracted.texts, extracted.seconds, extracted.removed
    ours_name = extracted.ours

    print(f"boilerplate gold set: {len(pages)} pages ({args.split}), {bench}")
    print(
        f"{'extractor':<28} {'split':<5} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} "
        f"{'tp':>4} {'fp':>4} {'fn':>4} {'tn':>4} {'ms/page':>8}"
    )
    results: dict[str, dict] = {}
    halves = [args.split] if args.split != "all" else ["all", "dev", "held"]
    for name, texts in outputs.items():
        for half in halves:
            chosen = [page for page in pages if in_split(page["file"], half)]
            figures = score(texts, chosen)
            results[f"{name} [{half}]"] = figures
            print(
                f"{name:<28} {half:<5} {figures['precision']:>6.3f} {figures['recall']:>6.3f} "
                f"{figures['f1']:>6.3f} {figures['accuracy']:>6.3f} {figures['tp']:>4} "
                f"{figures['fp']:>4} {figures['fn']:>4} {figures['tn']:>4} "
                f"{1000 * seconds[name] / max(1, len(pages)):>8.1f}"
            )
    base = results[f"{BASELINE} [{halves[0]}]"]["f1"]
    mine = results[f"{ours_name} [{halves[0]}]"]["f1"]
    print(f"F1 gain over bare trafilatura ({halves[0]}): {mine - base:+.3f}")
    tally = tally_rules(pages, outputs[ours_name], removed)
    tally.print("with", "without")
    if args.show_errors:
        for error in results[f"{ours_name} [{halves[0]}]"]["errors"]:
            print(f"  {error['type']:<6} {error['file']}: {error['segment'][:90]!r}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "pages": len(pages),
            "split": args.split,
            "bench": str(bench),
            "results": {
                name: {k: v for k, v in figures.items() if k != "errors"}
                for name, figures in results.items()
            },
            "ms_per_page": {
                name: round(1000 * value / max(1, len(pages)), 1) for name, value in seconds.items()
            },
            "rules": tally.rows(),
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
