"""Ingest stage: read, hash and decode every seed of one shard."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from newscorpus import schemas
from newscorpus.decode import decode, format_of
from newscorpus.discover import doc_id_of
from newscorpus.files import write_parquet
from newscorpus.hashing import sha256_file, shard_of
from newscorpus.stages.common import log_counts, progress, with_keys

VERSION = "1"


def _read_one(path: str, doc_id: str, max_doc_bytes: int) -> dict:
    row: dict = {"doc_id": doc_id, "format": format_of(doc_id)}
    try:
        st = os.stat(path)
        row["mtime_day"] = dt.datetime.fromtimestamp(st.st_mtime, dt.UTC).date()
        digest, data, size = sha256_file(path, limit=max_doc_bytes)
    except OSError as exc:
        return {**row, "status": "error", "status_detail": f"cannot read: {exc.strerror}"}
    row.update(source_sha256=digest, size_bytes=size)
    if row["format"] is None:
        suffix = Path(doc_id).suffix.lower() or "(none)"
        return {**row, "format": suffix.lstrip(".") or None, "status": "unsupported",
                "status_detail": f"extension {suffix} is not .txt, .html or .htm"}
    if data is None:
        return {**row, "status": "too_large",
                "status_detail": f"{size} bytes is over max_doc_bytes={max_doc_bytes}"}
    decoded = decode(data)
    return {**row, "status": decoded.status, "status_detail": decoded.detail,
            "raw_text": decoded.text, "encoding": decoded.encoding}


def run(
    inputs: Sequence[str],
    special: Sequence[Sequence[str]],
    seeds_dir: str,
    shard: int,
    shards: int,
    settings: dict,
    output: str,
) -> pl.DataFrame:
    """Read every input of the shard; ``special`` rows are entries that must not be opened."""
    rows = []
    for path in progress(inputs, len(inputs), f"ingest shard {shard}"):
        doc_id = doc_id_of(path, seeds_dir)
        if shard_of(doc_id, shards) != shard:
            raise ValueError(f"{doc_id!r} does not belong to shard {shard}")
        rows.append(_read_one(path, doc_id, settings["max_doc_bytes"]))
    for doc_id, status, detail in special:
        rows.append({"doc_id": doc_id, "status": status, "status_detail": detail})
    read_schema = {k: v for k, v in schemas.INGESTED.items() if k not in ("shard", "key")}
    frame = pl.DataFrame(rows, schema=read_schema).with_columns(shard=pl.lit(shard, pl.Int32))
    frame = with_keys(frame, "ingest", VERSION, settings, ["source_sha256", "format"])
    frame = frame.sort("doc_id")
    frame = schemas.conform(frame, schemas.INGESTED)
    write_parquet(frame, output)
    counts = frame["status"].value_counts().sort("status").rows()
    log_counts(f"ingest shard {shard}", documents=frame.height, **dict(counts))
    return frame
