"""Direct quotes and speakers on ../shared/bench/quotes (30 BBC articles): ours vs a baseline.

Both run on the same spaCy sentences and entities (the annotate stage's model, senter + ner, and
its canonical names). Baseline: every span between a pair of quote marks (straight or curly,
double or single, guillemets, on one line), attributed to the PERSON entity nearest to it in the
sentence where it starts.

Detection: a gold quote is found when one predicted quote covers at least 80 % of it and
nothing outside its marks (trailing punctuation and spaces ignored); one prediction finds at
most one gold quote. Attribution: of the gold quotes found, those whose predicted canonical
speaker equals the gold one (case and accents folded; the last word when the forms differ;
both null counts as equal). Figures are given for all articles and for the two halves split by
sha256 of the article id (even first byte: "dev", used while building the rules; odd: "check").
Also: milliseconds per document of the quote step beside spaCy's, on --timing-docs BBC texts.
Usage: .venv/bin/python scripts/eval_quotes.py [--bench DIR] [--json PATH] [--timing-docs N]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newscorpus.config import defaults, section  # noqa: E402
from newscorpus.quotes import extract_quotes, load_lexicon  # noqa: E402
from newscorpus.stages.annotate import Annotated, annotate, entity_rows  # noqa: E402
from newscorpus.util.text import fold as fold_text  # noqa: E402

MODEL = defaults()["spacy_models"]["en"]
COVER = 0.8
_TRAILING = " \t\n.,;:!?"
_BASELINE_PAIRS = re.compile(
    r"\"([^\"\n]+)\"|\u201c([^\u201d\n]+)\u201d|\u2018([^\u2019\n]+)\u2019|\u00ab([^\u00bb\n]+)\u00bb"
    r"|(?<!\w)'([^'\n]+?)'(?!\w)"
)


def default_bench() -> Path:
    env = os.environ.get("NEWSCORPUS_BENCH")
    if env:
        return Path(env)
    local = REPO.parent / "shared" / "bench"
    return local if local.is_dir() else Path("/work/shared/bench")


def half(article_id: str) -> str:
    return "dev" if hashlib.sha256(article_id.encode()).digest()[0] % 2 == 0 else "check"


def fold(name: str | None) -> str | None:
    if name is None:
        return None
    return " ".join(re.sub(r"[^\w\s-]", " ", fold_text(name)).split())


def same_speaker(predicted: str | None, gold: str | None) -> bool:
    p, g = fold(predicted), fold(gold)
    if p is None or g is None or not p or not g:
        return not p and not g
    return p == g or p.split()[-1] == g.split()[-1]


def gold_spans(text: str, quotes: list[dict]) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for quote in quotes:
        at = text.find(quote["quote"], cursor)
        if at < 0:
            at = text.find(quote["quote"])
        if at < 0:
            raise ValueError(f"gold quote not in the article: {quote['quote'][:60]!r}")
        spans.append((at, at + len(quote["quote"])))
        cursor = at + 1
    return spans


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def match(text: str, gold: list[tuple[int, int]], predicted: list[tuple[int, int]]) -> dict:
    """gold index -> predicted index, greedy in text order, one to one."""
    used: set[int] = set()
    found = {}
    for g, (gs, ge) in enumerate(gold):
        gs, ge = _stripped(text, gs, ge)
        for p, (ps, pe) in enumerate(predicted):
            if p in used:
                continue
            ps, pe = _stripped(text, ps, pe)
            if ps < gs or pe > ge or ge <= gs:
                continue
            if (pe - ps) / (ge - gs) >= COVER:
                found[g] = p
                used.add(p)
                break
    return found


def _distance(entity: dict, start: int, end: int) -> int:
    return start - entity["end"] if entity["end"] <= start else entity["start"] - end


def baseline(
    text: str, found: Annotated, entities: list[dict]
) -> list[tuple[int, int, str | None]]:
    starts = [s for s, _ in found.sentences]
    out = []
    for m in _BASELINE_PAIRS.finditer(text):
        group = next(g for g in range(1, 6) if m.group(g) is not None)
        start, end = m.start(group), m.end(group)
        index = max(sum(1 for s in starts if s <= start) - 1, 0)
        sentence = found.sentences[index] if found.sentences else (0, len(text))
        people = [
            e
            for e in entities
            if e["label"] == "PERSON"
            and sentence[0] <= e["start"] < sentence[1]
            and not (start <= e["start"] < end)
        ]
        nearest = min(people, key=lambda e: _distance(e, start, end), default=None)
        out.append((start, end, nearest["canonical"] if nearest else None))
    return out


def score(rows: list[dict]) -> dict:
    gold = sum(r["gold"] for r in rows)
    predicted = sum(r["predicted"] for r in rows)
    found = sum(r["found"] for r in rows)
    correct = sum(r["correct"] for r in rows)
    precision = found / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold": gold,
        "predicted": predicted,
        "found": found,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "attribution": round(correct / found, 4) if found else 0.0,
        "end_to_end": round(correct / gold, 4) if gold else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=default_bench())
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--timing-docs", type=int, default=300)
    parser.add_argument(
        "--errors", choices=("dev", "check", "all"), help="print the misses and errors of a half"
    )
    args = parser.parse_args()
    gold_file = args.bench / "quotes" / "gold.jsonl"
    bbc = args.bench / "news" / "bbc.csv"
    if not gold_file.is_file() or not bbc.is_file():
        print(f"skipped: {gold_file} or {bbc} not found")
        return 0
    from newscorpus.entities import spacy_models

    texts = {row["id"]: row["text"] for row in csv.DictReader(bbc.open(encoding="utf-8"))}
    articles = [json.loads(line) for line in gold_file.open(encoding="utf-8") if line.strip()]
    pipeline = spacy_models.load_pipeline(MODEL, ("senter", "ner"))
    lexicon = load_lexicon("en")
    settings = section("entities")
    batch_size = settings["batch_size"]
    ids = [a["id"] for a in articles]
    annotated = list(annotate([texts[i] for i in ids], pipeline, batch_size))
    rows: dict[str, list[dict]] = {"ours": [], "baseline": []}
    for article, found in zip(articles, annotated, strict=True):
        text = texts[article["id"]]
        entities = entity_rows(article["id"], "", text, found, None, settings)
        gold = gold_spans(text, article["quotes"])
        ours = [
            (q.start, q.end, q.speaker_canonical, q.speaker)
            for q in extract_quotes(text, found.sentences, entities, lexicon)
        ]
        base = [(s, e, c, None) for s, e, c in baseline(text, found, entities)]
        for name, predicted in (("ours", ours), ("baseline", base)):
            pairs = match(text, gold, [(s, e) for s, e, _, _ in predicted])
            correct = [
                g
                for g, p in pairs.items()
                if same_speaker(predicted[p][2], article["quotes"][g]["speaker_canonical"])
            ]
            rows[name].append(
                {
                    "id": article["id"],
                    "half": half(article["id"]),
                    "gold": len(gold),
                    "predicted": len(predicted),
                    "found": len(pairs),
                    "correct": len(correct),
                }
            )
            if args.errors and name == "ours" and args.errors in ("all", half(article["id"])):
                for g, quote in enumerate(article["quotes"]):
                    if g not in pairs:
                        print(f"MISS {article['id']}: {quote['quote'][:70]!r}")
                    elif g not in correct:
                        p = predicted[pairs[g]]
                        print(
                            f"WRONG {article['id']}: {quote['quote'][:50]!r} gold "
                            f"{quote['speaker_canonical']!r} got {p[2]!r} ({p[3]!r})"
                        )
                for p, item in enumerate(predicted):
                    if p not in pairs.values():
                        print(
                            f"EXTRA {article['id']}: {text[item[0] : item[1]][:70]!r} ({item[2]!r})"
                        )
    figures: dict = {"articles": len(articles)}
    print(f"{len(articles)} articles, {sum(len(a['quotes']) for a in articles)} gold quotes")
    print(
        f"{'':10} {'set':6} {'gold':>5} {'pred':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6} "
        f"{'attrib':>7} {'e2e':>6}"
    )
    for name in ("ours", "baseline"):
        figures[name] = {}
        for subset in ("all", "dev", "check"):
            chosen = [r for r in rows[name] if subset == "all" or r["half"] == subset]
            s = score(chosen)
            figures[name][subset] = s
            print(
                f"{name:10} {subset:6} {s['gold']:>5} {s['predicted']:>5} {s['found']:>5} "
                f"{s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                f"{s['attribution']:>7.3f} {s['end_to_end']:>6.3f}"
            )
    print("attrib: correct speakers among the gold quotes found; e2e: among all gold quotes")

    if args.timing_docs > 0:
        sample = [text for _, text in sorted(texts.items())][: args.timing_docs]
        begin = time.perf_counter()
        found_all = list(annotate(sample, pipeline, batch_size))
        spacy_s = time.perf_counter() - begin
        all_entities = [
            entity_rows(str(i), "", t, f, None, settings)
            for i, (t, f) in enumerate(zip(sample, found_all, strict=True))
        ]
        begin = time.perf_counter()
        n_quotes = 0
        for text, found, entities in zip(sample, found_all, all_entities, strict=True):
            n_quotes += len(extract_quotes(text, found.sentences, entities, lexicon))
        quotes_s = time.perf_counter() - begin
        n = len(sample)
        figures["timing"] = {
            "documents": n,
            "spacy_ms_per_doc": round(spacy_s * 1000 / n, 2),
            "quotes_ms_per_doc": round(quotes_s * 1000 / n, 3),
            "quotes_share_of_spacy": round(quotes_s / spacy_s, 4),
            "quotes_found": n_quotes,
        }
        print(
            f"timing on {n} BBC texts (one core, machine shared, noisy): spaCy senter+ner "
            f"{spacy_s * 1000 / n:.1f} ms/doc, quotes {quotes_s * 1000 / n:.2f} ms/doc "
            f"({quotes_s / spacy_s:.1%} of spaCy), {n_quotes} quotes"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
