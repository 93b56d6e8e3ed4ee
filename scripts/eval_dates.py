"""Publication dates on ../shared/bench/dates/eval.jsonl: ours vs bare htmldate.

Bare = htmldate.find_date(html, original_date=True, extensive_search=True); ours =
newscorpus.dates.detect_published(fmt="html", mtime_day=None, no header or trafilatura date).
Exact day match with the gold date counts as correct.
With --expected, also the 55 cases of expected.jsonl (htmldate's unit tests): bare = find_date with
the case's own mode (original_date=True/False/htmldate's default); ours is counted on the cases
asking for the publication date (mode original or default; ``updated`` cases ask for the latest
change, which detect_published does not look for).
Usage: .venv/bin/python scripts/eval_dates.py [--expected] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newscorpus.dates.published import detect_published  # noqa: E402

BENCH = REPO.parent / "shared" / "bench" / "dates"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--expected", action="store_true", help="also check expected.jsonl")
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
            misses.append(
                {"file": case["file"], "expected": case["expected"], "ours": ours, "bare": bare}
            )
    print(f"{'':6} {'correct':>10}")
    print(f"{'ours':6} {ours_ok:>6}/{len(cases)}")
    print(f"{'bare':6} {bare_ok:>6}/{len(cases)}")
    for miss in misses:
        print(
            f"  miss {miss['file']}: expected {miss['expected']}, ours {miss['ours']}, "
            f"bare {miss['bare']}"
        )
    figures = {"n": len(cases), "ours": ours_ok, "bare": bare_ok, "misses": misses}
    if args.expected:
        figures["expected"] = check_expected()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


def check_expected() -> dict:
    from htmldate import find_date

    lines = (BENCH / "expected.jsonl").read_text("utf-8").splitlines()
    cases = [json.loads(line) for line in lines]
    bare_ok = ours_ok = ours_n = 0
    misses = []
    for case in cases:
        raw = (BENCH / case["file"]).read_bytes().decode("utf-8", errors="replace")
        mode = {} if case["mode"] == "default" else {"original_date": case["mode"] == "original"}
        bare = find_date(raw, outputformat="%Y-%m-%d", **mode)
        bare_ok += bare == case["expected"]
        if case["mode"] == "updated":
            continue
        result = detect_published(
            "", fmt="html", raw=raw, header_date=None, meta_date=None, mtime_day=None, settings={}
        )
        ours = result.published.isoformat() if result.published else None
        ours_n += 1
        ours_ok += ours == case["expected"]
        if ours != case["expected"] or bare != case["expected"]:
            misses.append(
                {
                    "file": case["file"],
                    "mode": case["mode"],
                    "expected": case["expected"],
                    "ours": ours,
                    "bare": bare,
                }
            )
    print(
        f"expected.jsonl: bare (own mode) {bare_ok}/{len(cases)}, "
        f"ours (publication-date cases) {ours_ok}/{ours_n}"
    )
    for miss in misses:
        print(
            f"  miss {miss['file']} ({miss['mode']}): expected {miss['expected']}, "
            f"ours {miss['ours']}, bare {miss['bare']}"
        )
    return {"n": len(cases), "bare": bare_ok, "ours_n": ours_n, "ours": ours_ok, "misses": misses}


if __name__ == "__main__":
    raise SystemExit(main())
