"""Score main-text extraction on the boilerplate gold set: our cleaning beside trafilatura's.

Scoring follows trafilatura's own evaluation (tests/eval_common.py, see the bench README): per
page, each ``with`` segment found in the whitespace-normalised output is a true positive, else a
false negative; each ``without`` segment found is a false positive, else a true negative; a
crash or empty output counts every ``with`` as missed and every ``without`` as avoided.

Usage: .venv/bin/python scripts/eval_boilerplate.py [--json PATH] [--bench DIR] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = REPO_ROOT.parent / "shared" / "bench" / "boilerplate"
sys.path.insert(0, str(REPO_ROOT / "src"))

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


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


def run_extractor(
    name: str, extract: Callable[[bytes], str | None], pages: list[dict], bench: Path
) -> tuple[dict, float]:
    outputs: dict[str, str | None] = {}
    started = time.perf_counter()
    for page in pages:
        data = (bench / page["file"]).read_bytes()
        try:
            outputs[page["file"]] = extract(data)
        except Exception as exc:  # a crash scores like an empty output, as upstream does
            print(f"{name}: {page['file']} raised {type(exc).__name__}: {exc}", file=sys.stderr)
            outputs[page["file"]] = None
    return score(outputs, pages), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument(
        "--show-errors",
        action="store_true",
        help="list every missed and leaked segment of our cleaning",
    )
    args = parser.parse_args(argv)

    if not (args.bench / "expected.jsonl").is_file():
        print(f"eval_boilerplate: no gold set at {args.bench} (expected.jsonl missing); skipped")
        return 0

    import logging

    import trafilatura

    # trafilatura and htmldate warn about every odd page; the scores are what matter here.
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.ERROR)

    from newscorpus import cleaning
    from newscorpus.ingest.decode import decode

    def ours(data: bytes) -> str:
        decoded = decode(data)  # the pipeline's own decoding, as the ingest stage does it
        return cleaning.clean(decoded.text, "html", {"extra_markers": {}}).text

    def standard(data: bytes) -> str | None:
        return trafilatura.extract(
            data, include_comments=False, include_tables=True, include_formatting=False
        )

    pages = load_pages(args.bench)
    results = {}
    seconds = {}
    for name, extract in (
        ("trafilatura standard", standard),
        (f"newscorpus cleaning v{cleaning.VERSION}", ours),
    ):
        results[name], seconds[name] = run_extractor(name, extract, pages, args.bench)

    print(f"boilerplate gold set: {len(pages)} pages, {args.bench}")
    print(
        f"{'extractor':<28} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} "
        f"{'tp':>4} {'fp':>4} {'fn':>4} {'tn':>4} {'time':>7}"
    )
    for name, figures in results.items():
        print(
            f"{name:<28} {figures['precision']:>6.3f} {figures['recall']:>6.3f} "
            f"{figures['f1']:>6.3f} {figures['accuracy']:>6.3f} {figures['tp']:>4} "
            f"{figures['fp']:>4} {figures['fn']:>4} {figures['tn']:>4} "
            f"{seconds[name]:>6.1f}s"
        )
    if args.show_errors:
        for error in list(results.values())[-1]["errors"]:
            print(f"  {error['type']:<6} {error['file']}: {error['segment'][:90]!r}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "pages": len(pages),
            "bench": str(args.bench),
            "results": {
                name: {k: v for k, v in figures.items() if k != "errors"}
                | {"seconds": round(seconds[name], 2)}
                for name, figures in results.items()
            },
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
