"""Helpers shared by the stage runners: keys, logging of counts, progress."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

import polars as pl

from newscorpus import __version__
from newscorpus.stages.reuse import StageCache
from newscorpus.util.files import write_parquet
from newscorpus.util.hashing import settings_hash

log = logging.getLogger("newscorpus")
T = TypeVar("T")


def with_keys(
    frame: pl.DataFrame, stage: str, stage_version: str, settings: dict, columns: list[str]
) -> pl.DataFrame:
    """Add this stage's reuse key: a hash of exactly what the stage reads and what shapes it.

    The key covers the stage's name, the package and stage versions, the stage's settings and the
    values of ``columns`` (the stage's inputs), so an upgrade or a new setting never serves stale
    rows, while a change upstream that leaves this stage's inputs equal recomputes nothing here.
    """
    prefix = "\x1f".join((stage, __version__, stage_version, settings_hash(settings)))
    values = [frame[c].cast(pl.String).to_list() for c in columns]
    keys = (
        [
            hashlib.sha256(
                "\x1f".join([prefix, *("\x00" if v is None else v for v in row)]).encode(
                    "utf-8", "surrogatepass"
                )
            ).hexdigest()
            for row in zip(*values, strict=True)
        ]
        if columns
        else [prefix] * frame.height
    )
    return frame.with_columns(pl.Series("key", keys, dtype=pl.String))


def progress(
    items: Iterable[T], total: int, what: str, every_s: float | None = None
) -> Iterator[T]:
    """Yield ``items`` and log documents done, documents/s and time left at most every 10 s
    (or every ``$NEWSCORPUS_PROGRESS_S``: the terminal display of ``newscorpus run`` sets it).

    ``newscorpus.runner.progress`` reads these lines: keep their shape.
    """
    if every_s is None:
        every_s = float(os.environ.get("NEWSCORPUS_PROGRESS_S") or 10.0)
    start = last = time.monotonic()
    done = 0
    if total:
        log.info("%s: 0/%d documents", what, total)
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= every_s:
            rate = done / (now - start)
            left = (total - done) / rate if rate else float("inf")
            log.info("%s: %d/%d documents, %.1f docs/s, %.0f s left", what, done, total, rate, left)
            last = now
    if total:
        elapsed = time.monotonic() - start
        log.info("%s: %d documents in %.1f s", what, done, elapsed)


def log_counts(stage: str, **counts: int) -> None:
    log.info("%s: %s", stage, ", ".join(f"{name}={value}" for name, value in counts.items()))


def finish(
    stage: str,
    shard: int,
    cache: StageCache,
    tables: dict[str, tuple[pl.DataFrame, str]],
    failed: pl.Expr,
    wanted: int,
    computed: int,
    **counts: int,
) -> None:
    """Write a stage's outputs, keep its rows for reuse and log what it did.

    ``tables`` maps each cache table to ``(frame, output path)``; documents matching ``failed``
    in the first (doc-level) table are not kept for reuse: a failure may pass (memory, a killed
    worker), so the next run tries them again.
    """
    frames = {name: frame for name, (frame, _) in tables.items()}
    for frame, path in tables.values():
        write_parquet(frame, path)
    failed_ids = frames[cache.first].filter(failed).select("doc_id")
    cache.store({name: f.join(failed_ids, on="doc_id", how="anti") for name, f in frames.items()})
    log_counts(
        f"{stage} shard {shard}",
        documents_in=wanted,
        reused=wanted - computed,
        computed=computed,
        failed=failed_ids.height,
        **counts,
    )
