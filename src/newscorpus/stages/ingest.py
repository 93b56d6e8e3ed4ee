"""Ingest stage: read, hash and decode every document of one batch (never cached: the files
of a batch are the ones that changed)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import polars as pl

from newscorpus.ingest.decode import decode, format_of
from newscorpus.ingest.discover import inside
from newscorpus.ingest.manifest import mtime_day
from newscorpus.ingest.manifest import read as read_manifest
from newscorpus.stages.common import log_counts, progress
from newscorpus.tables import schemas
from newscorpus.util.files import write_parquet
from newscorpus.util.hashing import sha256_stream


class _Refused(Exception):
    """A file that discovery listed but that must not be read now (it changed since)."""

    def __init__(self, status: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def _read_bounded(
    path: str, real_root: str, allow_outside_root: bool, limit: int
) -> tuple[str, bytes | None, int, int]:
    """``(sha256, bytes or None when over limit, size, mtime_ns)`` of a regular file.

    Discovery checked the entry, but it may have been swapped since (a symlink re-pointed, a FIFO
    put in its place), so the checks are repeated on what is actually opened: the resolved path
    must lie inside the root, and a non-blocking open plus ``fstat`` refuses anything but a
    regular file without ever blocking on a FIFO. Memory is bounded by ``limit``.
    """
    target = os.path.realpath(path)
    if not allow_outside_root and not inside(real_root, target):
        raise _Refused("outside_root", "symlink target outside seeds folder")
    fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Refused("unsupported", "not a regular file")
        digest, data, size = sha256_stream(handle, limit)
    return digest, data, size, st.st_mtime_ns


def _read_one(path: str, doc_id: str, real_root: str, settings: dict) -> dict:
    row: dict = {"doc_id": doc_id, "format": format_of(doc_id)}
    max_doc_bytes = settings["max_doc_bytes"]
    try:
        digest, data, size, mtime_ns = _read_bounded(
            path, real_root, settings["allow_symlinks_outside_root"], max_doc_bytes
        )
    except _Refused as refused:
        return {**row, "status": refused.status, "status_detail": refused.detail}
    except OSError as exc:
        return {**row, "status": "error", "status_detail": f"cannot read: {exc.strerror}"}
    row.update(
        source_sha256=digest,
        size_bytes=size,
        mtime_day=mtime_day(mtime_ns),
    )
    if row["format"] is None:
        suffix = Path(doc_id).suffix.lower() or "(none)"
        return {
            **row,
            "format": suffix.lstrip(".") or None,
            "status": "unsupported",
            "status_detail": f"extension {suffix} is not .txt, .html or .htm",
        }
    if data is None:
        return {
            **row,
            "status": "too_large",
            "status_detail": f"{size} bytes is over max_doc_bytes={max_doc_bytes}",
        }
    decoded = decode(data)
    return {
        **row,
        "status": decoded.status,
        "status_detail": decoded.detail,
        "raw_text": decoded.text,
        "encoding": decoded.encoding,
    }


def run(manifest: str, seeds_dir: str, batch: str, settings: dict, output: str) -> pl.DataFrame:
    """Give every entry of the batch's manifest one row, reading the regular files.

    Entries discovery marked (outside the root, not a regular file, ...) are never opened; their
    status and detail become the row.
    """
    real_root = os.path.realpath(seeds_dir)
    entries = read_manifest(manifest)
    rows = []
    for entry in progress(entries, len(entries), f"ingest batch {batch}"):
        if entry.status is not None:
            rows.append(
                {"doc_id": entry.doc_id, "status": entry.status, "status_detail": entry.detail}
            )
            continue
        path = os.path.join(seeds_dir, entry.doc_id)
        rows.append(_read_one(path, entry.doc_id, real_root, settings))
    frame = pl.DataFrame(rows, schema=schemas.INGESTED).sort("doc_id")
    write_parquet(frame, output)
    counts = frame["status"].value_counts().sort("status").rows()
    log_counts(f"ingest batch {batch}", documents=frame.height, **dict(counts))
    return frame
