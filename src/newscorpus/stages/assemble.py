"""Assemble stage: one shard's rows of the four published tables, and their digests.

The digests let ``publish`` find the shards whose rows changed by reading a few bytes per shard,
so a rerun after one edit reads and rewrites one shard, not the corpus.
"""

from __future__ import annotations

import hashlib

import polars as pl

from newscorpus.stages.common import log_counts
from newscorpus.tables import schemas
from newscorpus.util.files import write_json, write_parquet


def table_digest(frame: pl.DataFrame) -> str:
    """A content digest of a table's rows (sorted): equal rows give equal digests."""
    digest = hashlib.sha256()
    digest.update(",".join(f"{name}:{dtype}" for name, dtype in frame.schema.items()).encode())
    if frame.height:
        # Row hashes as decimal text: Series.to_numpy would import numpy (0.15 s) for this alone.
        hashes = frame.hash_rows(seed=0, seed_1=1, seed_2=2, seed_3=3)
        digest.update(hashes.cast(pl.String).str.join(",").item().encode())
    return digest.hexdigest()


def _first_error(*columns: str) -> pl.Expr:
    return pl.coalesce([pl.col(c) for c in columns])


def build(
    ingested: str,
    cleaned: str,
    removed: str,
    detected: str,
    annotated: str,
    sentences: str,
    entities: str,
    shard: int,
    pipeline_version: str,
    config_hash: str,
) -> dict[str, pl.DataFrame]:
    ingest = pl.read_parquet(ingested).drop("raw_text", "key", "mtime_day")
    clean = (
        pl.read_parquet(cleaned)
        .drop("key")
        .rename({"status": "clean_status", "status_detail": "clean_detail"})
    )
    detect = pl.read_parquet(detected).drop("key").rename({"error": "detect_error"})
    annotate = pl.read_parquet(annotated).drop("key").rename({"error": "annotate_error"})
    docs = (
        ingest.join(clean, on="doc_id", how="left")
        .join(detect, on="doc_id", how="left")
        .join(annotate, on="doc_id", how="left")
    )
    stage_error = _first_error("detect_error", "annotate_error")
    docs = docs.with_columns(
        status=pl.when(pl.col("status") != "ok")
        .then(pl.col("status"))
        .when(pl.col("clean_status") != "ok")
        .then(pl.col("clean_status"))
        .when(stage_error.is_not_null())
        .then(pl.lit("error"))
        .otherwise(pl.lit("ok")),
        status_detail=pl.when(pl.col("status") != "ok")
        .then(pl.col("status_detail"))
        .when(pl.col("clean_status") != "ok")
        .then(pl.col("clean_detail"))
        .when(stage_error.is_not_null())
        .then(stage_error)
        .otherwise(pl.lit("")),
    )
    docs = docs.with_columns(
        text=pl.when(pl.col("status") == "ok").then(pl.col("text")).otherwise(pl.lit("")),
        n_sentences=pl.col("n_sentences").fill_null(0),
        n_entities=pl.col("n_entities").fill_null(0),
        removed_chars=pl.col("removed_chars").fill_null(0),
        pipeline_version=pl.lit(pipeline_version),
        config_hash=pl.lit(config_hash),
    )
    with_shard = pl.lit(shard, pl.Int32).alias("shard")
    tables = {
        "documents": docs,
        "sentences": pl.read_parquet(sentences).with_columns(with_shard),
        "entities": pl.read_parquet(entities).with_columns(with_shard),
        "removed": pl.read_parquet(removed).with_columns(with_shard),
    }
    tables["places"] = shard_places(tables["entities"])
    return {
        name: schemas.conform(frame, schemas.PUBLISHED[name]).sort(schemas.SORT_KEYS[name])
        for name, frame in tables.items()
    }


def shard_places(entities: pl.DataFrame) -> pl.DataFrame:
    """The distinct places this shard's entities resolved to (publish unites the shards')."""
    columns = {f"place_{name}": name for name in list(schemas.PLACES)[1:]}
    present = [c for c in columns if c in entities.columns]
    if "place_id" not in entities.columns or len(present) < len(columns):
        return schemas.empty(schemas.PLACES)
    return (
        entities.filter(pl.col("place_id").is_not_null())
        .select("place_id", *present)
        .rename(columns)
        .unique("place_id", keep="first")
    )


def run(
    inputs: dict[str, str],
    outputs: dict[str, str],
    shard: int,
    pipeline_version: str,
    config_hash: str,
) -> None:
    tables = build(
        **inputs, shard=shard, pipeline_version=pipeline_version, config_hash=config_hash
    )
    for name, frame in tables.items():
        write_parquet(frame, outputs[name])
    write_json(
        {
            "shard": shard,
            "rows": {n: f.height for n, f in tables.items()},
            "digests": {n: table_digest(f) for n, f in tables.items()},
        },
        outputs["digest"],
    )
    log_counts(f"assemble shard {shard}", **{n: f.height for n, f in tables.items()})
