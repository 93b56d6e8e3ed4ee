"""Detect stage: language and publication date of every clean document."""

from __future__ import annotations

import polars as pl

from newscorpus.dates import published
from newscorpus.language import detect
from newscorpus.stages.common import Stage, log, progress, run_stage
from newscorpus.tables import schemas

VERSION = f"1.{detect.VERSION}.{published.VERSION}"
TABLES = {"docs": schemas.DETECTED}


def _detect_one(row: dict, settings: dict) -> dict:
    out = {"doc_id": row["doc_id"], "key": row["key"]}
    try:
        lang = detect.detect_language(row["text"], settings["language"])
        date = published.detect_published(
            row["text"],
            fmt=row["format"],
            raw=row["raw_text"],
            header_date=row["header_date"],
            meta_date=row["meta_date"],
            mtime_day=row["mtime_day"],
            settings=settings["dates"],
        )
    except Exception as exc:
        log.exception("detection failed for %r", row["doc_id"])
        return {**out, "error": f"detection failed: {type(exc).__name__}: {exc}"[:500]}
    return {
        **out,
        "language": lang.language,
        "language_score": lang.score,
        "language_reason": lang.reason,
        "published": date.published,
        "date_source": date.source,
    }


def _compute(todo: pl.DataFrame, settings: dict) -> dict[str, list[dict]]:
    rows = [
        _detect_one(row, settings)
        for row in progress(todo.iter_rows(named=True), todo.height, "detect")
    ]
    return {"docs": rows}


# Detection reads the clean text, both dates found while cleaning, the decoded source (HTML
# metadata), its format and the file's modification day: all of them are the key.
STAGE = Stage(
    name="detect",
    version=VERSION,
    sources=("stages/detect.py", "language", "dates"),
    tables=TABLES,
    sort_keys={"docs": ["doc_id"]},
    key_columns=("text", "header_date", "meta_date", "raw_text", "format", "mtime_day"),
    failed=lambda: pl.col("error").is_not_null(),
    compute=_compute,
)


def run(
    ingested: str,
    cleaned: str,
    settings: dict,
    cache_dir: str,
    batch: str,
    output: str,
    reuse: bool = True,
) -> None:
    clean = pl.read_parquet(
        cleaned, columns=["doc_id", "status", "text", "header_date", "meta_date"]
    ).filter(pl.col("status") == "ok")
    source = pl.read_parquet(ingested, columns=["doc_id", "format", "raw_text", "mtime_day"])
    frame = clean.drop("status").join(source, on="doc_id")
    run_stage(STAGE, frame, settings, cache_dir, batch, {"docs": output}, reuse)
