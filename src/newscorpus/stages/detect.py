"""Detect stage: language and publication date of every clean document."""

from __future__ import annotations

import polars as pl

from newscorpus.dates import published
from newscorpus.language import detect
from newscorpus.stages.common import finish, log, progress, with_keys
from newscorpus.stages.reuse import StageCache
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


def run(
    ingested: str, cleaned: str, settings: dict, cache_dir: str, shard: int, output: str
) -> None:
    clean = pl.read_parquet(cleaned).filter(pl.col("status") == "ok")
    source = pl.read_parquet(
        ingested, columns=["doc_id", "format", "raw_text", "mtime_day", "source_sha256"]
    )
    ok = clean.drop("key").join(source, on="doc_id")
    # The date check reads the file's modification day, so it belongs in the key.
    ok = with_keys(
        ok,
        "detect",
        VERSION,
        settings,
        ["text", "header_date", "meta_date", "source_sha256", "format", "mtime_day"],
    )
    cache = StageCache(cache_dir, "detect", shard, TABLES)
    cached, todo = cache.lookup(ok.select("doc_id", "key"))
    todo = ok.join(todo.select("doc_id"), on="doc_id", how="semi")
    rows = [
        _detect_one(row, settings)
        for row in progress(todo.iter_rows(named=True), todo.height, f"detect shard {shard}")
    ]
    out = pl.concat([cached["docs"], pl.DataFrame(rows, schema=schemas.DETECTED)]).sort("doc_id")
    finish(
        "detect",
        shard,
        cache,
        {"docs": (out, output)},
        failed=pl.col("error").is_not_null(),
        wanted=ok.height,
        computed=todo.height,
    )
