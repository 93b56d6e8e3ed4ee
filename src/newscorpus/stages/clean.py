"""Clean stage: boilerplate out, the clean text and an audit row for every removal in."""

from __future__ import annotations

import polars as pl

from newscorpus import cleaning
from newscorpus.stages.common import finish, log, progress, with_keys
from newscorpus.stages.reuse import StageCache
from newscorpus.tables import schemas
from newscorpus.util.hashing import package_data_fingerprint

# The marker lists are rules kept in data: editing them must recompute, as a code change does.
VERSION = f"1.{cleaning.VERSION}.{package_data_fingerprint('markers.yaml')}"
TABLES = {"docs": schemas.CLEANED, "removed": schemas.REMOVED_ROWS}


def _clean_one(
    doc_id: str, raw: str, fmt: str, key: str, settings: dict
) -> tuple[dict, list[dict]]:
    try:
        result = cleaning.clean(raw, fmt, settings)
    except Exception as exc:  # one bad document must not stop the shard
        log.exception("cleaning failed for %r", doc_id)
        return {
            "doc_id": doc_id,
            "key": key,
            "status": "error",
            "status_detail": f"cleaning failed: {type(exc).__name__}: {exc}"[:500],
        }, []
    status, detail = (
        ("ok", "") if result.text.strip() else ("no_text", "nothing left after cleaning")
    )
    doc = {
        "doc_id": doc_id,
        "key": key,
        "status": status,
        "status_detail": detail,
        "title": result.title,
        "text": result.text if status == "ok" else "",
        "author": result.author,
        "sitename": result.sitename,
        "url": result.url,
        "meta_date": result.meta_date,
        "header_date": result.header_date,
        # A repair splits a glued word: its characters stay in the text.
        "removed_chars": sum(seg.end - seg.start for seg in result.removed if seg.kind != "repair"),
    }
    removed = [
        {
            "doc_id": doc_id,
            "key": key,
            "seq": seq,
            "kind": seg.kind,
            "rule": seg.rule,
            "start": seg.start,
            "end": seg.end,
            "text": seg.text,
        }
        for seq, seg in enumerate(result.removed)
    ]
    return doc, removed


def run(
    ingested: str, settings: dict, cache_dir: str, shard: int, out_docs: str, out_removed: str
) -> None:
    frame = pl.read_parquet(
        ingested, columns=["doc_id", "format", "status", "raw_text", "source_sha256"]
    )
    ok = with_keys(
        frame.filter(pl.col("status") == "ok"),
        "clean",
        VERSION,
        settings,
        ["source_sha256", "format"],
    )
    cache = StageCache(cache_dir, "clean", shard, TABLES)
    cached, todo = cache.lookup(ok.select("doc_id", "key"))
    todo = ok.join(todo.select("doc_id"), on="doc_id", how="semi")
    docs, removed = [], []
    for doc_id, raw, fmt, key in progress(
        todo.select("doc_id", "raw_text", "format", "key").iter_rows(),
        todo.height,
        f"clean shard {shard}",
    ):
        doc, rows = _clean_one(doc_id, raw, fmt, key, settings)
        docs.append(doc)
        removed.extend(rows)
    new_docs = pl.DataFrame(docs, schema=schemas.CLEANED)
    new_removed = pl.DataFrame(removed, schema=schemas.REMOVED_ROWS)
    out = {
        "docs": pl.concat([cached["docs"], new_docs]).sort("doc_id"),
        "removed": pl.concat([cached["removed"], new_removed]).sort("doc_id", "seq"),
    }
    finish(
        "clean",
        shard,
        cache,
        {"docs": (out["docs"], out_docs), "removed": (out["removed"], out_removed)},
        failed=pl.col("status") == "error",
        wanted=ok.height,
        computed=todo.height,
        removed_segments=out["removed"].height,
    )
