"""Publication dates on ../shared/bench/dates/eval.jsonl: ours vs bare htmldate.

Bare = htmldate.find_date(html, original_date=True, extensive_search=True); ours =
newscorpus.dates.detect_published(fmt="html", mtime_day=None, no header or trafilatura date).
Exact day match with the gold date counts as correct.
Usage: .venv/bin/python scripts/eval_dates.py [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newscorpus.dates import detect_published  # noqa: E402

BENCH = REPO.parent / "shared" / "bench" / "dates"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if not (BENCH / "eval.jsonl").is_file():
        print(f"skipped: {BENCH / 'eval.jsonl'} not found")
        return 0
    from htmldate import find_date

    cases = [json.loads(line) for line in (BENCH / "eval.jsonl").read_text("utf-8").splitlines()]
    ours_ok = bare_ok = 0
    misses = []
    for case in cases:
        raw = (BENCH / case["file"]).read_bytes().decode("utf-8", errors="replace")
        bare = find_date(raw, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")
        result = detect_published(
            "", fmt="html", raw=raw, header_date=None, meta_date=None, mtime_day=None, settings={}
        )
        ours = result.published.isoformat() if result.published else None
        bare_ok += bare == case["expected"]
        ours_ok += ours == case["expected"]
        if ours != case["expected"]:
            misses.append({"file": case["file"], "expected": case["expected"], "ours": ours,
                           "bare": bare})
    print(f"{'':6} {'correct':>10}")
    print(f"{'ours':6} {ours_ok:>6}/{len(cases)}")
    print(f"{'bare':6} {bare_ok:>6}/{len(cases)}")
    for miss in misses:
        print(f"  miss {miss['file']}: expected {miss['expected']}, ours {miss['ours']}, "
              f"bare {miss['bare']}")
    if args.json:
        figures = {"n": len(cases), "ours": ours_ok, "bare": bare_ok, "misses": misses}
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
