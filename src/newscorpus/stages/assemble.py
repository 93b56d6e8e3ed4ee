"""Assemble stage: one batch's rows of every published table, and of the catalog.

``documents`` joins what every stage said about a document into one row with one status. Every
other published table is the rows a stage wrote under the same name (``sentences``,
``entities``, ``removed``, and whatever table a new stage adds to ``DOCUMENT_TABLES``),
conformed to its schema; ``places`` is the distinct places the batch's entities resolved to
(publish makes the corpus's places table of them). The catalog rows record what the listing
said of each document and the fingerprint of the code and settings that made its rows: the next
run's change set is computed against them.
"""

from __future__ import annotations

import polars as pl

from newscorpus.ingest.manifest import read as read_manifest
from newscorpus.stages.common import log_counts
from newscorpus.tables import DOCUMENT_TABLES, schemas
from newscorpus.util.files import write_parquet

CATALOG = "catalog"


def _first_error(*columns: str) -> pl.Expr:
    return pl.coalesce([pl.col(c) for c in columns])


def documents(
    ingested: str,
    cleaned: str,
    detected: str,
    annotated: str,
    pipeline_version: str,
    config_hash: str,
) -> pl.DataFrame:
    ingest = pl.read_parquet(ingested).drop("raw_text", "mtime_day")
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
    return docs.with_columns(
        text=pl.when(pl.col("status") == "ok").then(pl.col("text")).otherwise(pl.lit("")),
        n_sentences=pl.col("n_sentences").fill_null(0),
        n_entities=pl.col("n_entities").fill_null(0),
        removed_chars=pl.col("removed_chars").fill_null(0),
        pipeline_version=pl.lit(pipeline_version),
        config_hash=pl.lit(config_hash),
    )


def catalog(manifest: str, ingested: str, fingerprint: str) -> pl.DataFrame:
    entries = read_manifest(manifest)
    listing = pl.DataFrame(
        [(e.doc_id, e.size, e.mtime_ns, e.status, e.detail) for e in entries],
        schema={
            "doc_id": pl.String,
            "size": pl.Int64,
            "mtime_ns": pl.Int64,
            "listing_status": pl.String,
            "listing_detail": pl.String,
        },
        orient="row",
    )
    sha = pl.read_parquet(ingested, columns=["doc_id", "source_sha256"])
    frame = listing.join(sha, on="doc_id", how="left").with_columns(fingerprint=pl.lit(fingerprint))
    return schemas.conform(frame, schemas.CATALOG).sort("doc_id")


def build(
    inputs: dict[str, str], batch: str, pipeline_version: str, config_hash: str, fingerprint: str
) -> dict[str, pl.DataFrame]:
    """Every published table's rows of one batch (and the catalog's), sorted."""
    tables = {
        "documents": documents(
            inputs["ingested"],
            inputs["cleaned"],
            inputs["detected"],
            inputs["annotated"],
            pipeline_version,
            config_hash,
        )
    }
    for name in DOCUMENT_TABLES:
        if name != "documents":
            tables[name] = pl.read_parquet(inputs[name])
    # The places the batch's entities resolved to: publish derives the places table from them.
    tables["places"] = batch_places(tables["entities"])
    out = {
        name: schemas.conform(frame, schemas.PUBLISHED[name]).sort(schemas.SORT_KEYS[name])
        for name, frame in tables.items()
    }
    out[CATALOG] = catalog(inputs["manifest"], inputs["ingested"], fingerprint)
    return out


def batch_places(entities: pl.DataFrame) -> pl.DataFrame:
    """The distinct places this batch's entities resolved to, one row per place_id."""
    columns = {f"place_{name}": name for name in list(schemas.PLACES)[1:]}
    present = [c for c in columns if c in entities.columns]
    if "place_id" not in entities.columns or len(present) < len(columns):
        return schemas.empty(schemas.PLACES)
    return (
        entities.filter(pl.col("place_id").is_not_null())
        .select("place_id", *present)
        .rename(columns)
        .unique("place_id", keep="first")
        .sort("place_id")
    )


def run(
    inputs: dict[str, str],
    outputs: dict[str, str],
    batch: str,
    pipeline_version: str,
    config_hash: str,
    fingerprint: str,
) -> None:
    tables = build(inputs, batch, pipeline_version, config_hash, fingerprint)
    for name, frame in tables.items():
        write_parquet(frame, outputs[name])
    log_counts(f"assemble batch {batch}", **{n: f.height for n, f in tables.items()})
