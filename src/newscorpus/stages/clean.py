"""Clean stage: boilerplate out, the clean text and an audit row for every removal in."""

from __future__ import annotations

import polars as pl

from newscorpus import cleaning
from newscorpus.stages.common import Stage, log, progress, run_stage
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
    except Exception as exc:  # one bad document must not stop the batch
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


def _compute(todo: pl.DataFrame, settings: dict) -> dict[str, list[dict]]:
    docs, removed = [], []
    for doc_id, raw, fmt, key in progress(
        todo.select("doc_id", "raw_text", "format", "key").iter_rows(),
        todo.height,
        "clean",
    ):
        doc, rows = _clean_one(doc_id, raw, fmt, key, settings)
        docs.append(doc)
        removed.extend(rows)
    return {"docs": docs, "removed": removed}


# Cleaning reads the decoded text and the format, so they are the key: a change to decoding
# that changes the text recomputes cleaning even when the source file is the same.
STAGE = Stage(
    name="clean",
    version=VERSION,
    sources=("stages/clean.py", "cleaning", "data/markers.yaml"),
    tables=TABLES,
    sort_keys={"docs": ["doc_id"], "removed": ["doc_id", "seq"]},
    key_columns=("raw_text", "format"),
    failed=lambda: pl.col("status") == "error",
    compute=_compute,
    counts=lambda out: {"removed_segments": out["removed"].height},
)


def run(
    ingested: str,
    settings: dict,
    cache_dir: str,
    batch: str,
    out_docs: str,
    out_removed: str,
    reuse: bool = True,
) -> None:
    frame = pl.read_parquet(ingested, columns=["doc_id", "format", "status", "raw_text"])
    run_stage(
        STAGE,
        frame.filter(pl.col("status") == "ok"),
        settings,
        cache_dir,
        batch,
        {"docs": out_docs, "removed": out_removed},
        reuse,
    )
