"""Stories stage: one job per run over every shard's clean text and publication date.

It reads the clean text of every document (a whole-corpus stage: a new document is compared with
the corpus, not with its shard), renews the stories index kept under ``{results_dir}/stories/
index`` (signatures for new and changed documents only) and writes each document's story and the
linked pairs, which ``assemble`` joins into each shard's ``documents`` and ``duplicates`` rows.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from newscorpus import stories
from newscorpus.stages.common import log_counts
from newscorpus.tables import schemas
from newscorpus.util.files import write_parquet


def corpus(cleaned: list[str], detected: list[str]) -> pl.DataFrame:
    """``doc_id, title, text, published`` of every document with clean text."""
    texts = pl.concat(
        [
            pl.scan_parquet(path).filter(pl.col("status") == "ok").select("doc_id", "title", "text")
            for path in cleaned
        ]
    )
    dates = pl.concat([pl.scan_parquet(path).select("doc_id", "published") for path in detected])
    return texts.join(dates, on="doc_id", how="left").collect()


def run(
    cleaned: list[str],
    detected: list[str],
    index_dir: str | Path,
    settings: dict,
    out_stories: str,
    out_duplicates: str,
) -> None:
    result = stories.update(corpus(cleaned, detected), index_dir, settings)
    write_parquet(schemas.conform(result.stories, schemas.STORY_ROWS), out_stories)
    write_parquet(schemas.conform(result.duplicates, schemas.DUPLICATE_ROWS), out_duplicates)
    log_counts("stories", **result.counts)
