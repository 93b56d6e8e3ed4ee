"""Language identification on ../shared/bench/langid/sentences: ours vs bare langdetect.

Documents (fixed, printed below): per language file, the first 40 sentences as one-sentence
documents, and the next 120 sentences (41-160) joined three at a time into 40 three-sentence
documents. Bare = langdetect 1.0.9, seed 0, best language (zh-cn/zh-tw counted as zh).
Usage: .venv/bin/python scripts/eval_langid.py [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newscorpus.config import section  # noqa: E402
from newscorpus.language.detect import (  # noqa: E402
    detect_language,
    ranked_languages,
)

BENCH = REPO.parent / "shared" / "bench" / "langid" / "sentences"
LANGUAGES = (
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "ru",
    "uk",
    "pl",
    "cs",
    "tr",
    "ar",
    "zh",
    "ja",
)
PER_LANGUAGE = 40


def documents(code: str) -> dict[str, list[str]]:
    # split("\n"), not splitlines(): U+0085 inside a sentence is no line break
    lines = [line for line in (BENCH / f"{code}.txt").read_text("utf-8").split("\n") if line]
    one = lines[:PER_LANGUAGE]
    rest = lines[PER_LANGUAGE : PER_LANGUAGE * 4]
    three = [" ".join(rest[i : i + 3]) for i in range(0, len(rest), 3)]
    return {"one_sentence": one, "three_sentence": three}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if not BENCH.is_dir():
        print(f"skipped: {BENCH} not found")
        return 0
    print(
        f"documents: per language, sentences 1-{PER_LANGUAGE} (one-sentence) and "
        f"{PER_LANGUAGE + 1}-{PER_LANGUAGE * 4} joined by three (three-sentence)"
    )
    figures: dict = {}
    print(
        f"{'lang':5} {'1-sent ours':>12} {'1-sent bare':>12} {'3-sent ours':>12} "
        f"{'3-sent bare':>12}"
    )
    totals = {kind: {"ours": 0, "bare": 0, "n": 0} for kind in ("one_sentence", "three_sentence")}
    for code in LANGUAGES:
        row = {}
        for kind, docs in documents(code).items():
            ours = sum(detect_language(doc, {}).language == code for doc in docs)
            bare = 0
            for doc in docs:
                ranked = ranked_languages(doc, section("language")["seed"])
                bare += bool(ranked) and ranked[0][0].split("-")[0] == code
            row[kind] = {"ours": ours, "bare": bare, "n": len(docs)}
            for key in ("ours", "bare", "n"):
                totals[kind][key] += row[kind][key]
        figures[code] = row
        one, three = row["one_sentence"], row["three_sentence"]
        print(
            f"{code:5} {one['ours']:>9}/{one['n']} {one['bare']:>9}/{one['n']} "
            f"{three['ours']:>9}/{three['n']} {three['bare']:>9}/{three['n']}"
        )
    one, three = totals["one_sentence"], totals["three_sentence"]
    print(
        f"{'total':5} {one['ours']:>8}/{one['n']} {one['bare']:>8}/{one['n']} "
        f"{three['ours']:>8}/{three['n']} {three['bare']:>8}/{three['n']}"
    )
    figures["total"] = totals
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
