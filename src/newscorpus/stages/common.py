"""The loop every cached stage shares: read, key, reuse, compute, write, count.

A stage supplies only what it reads (a frame with one row per document and the columns it
needs) and what it computes (rows per output table for the documents not found in the reuse
cache); :func:`run_stage` does the rest the same way for all of them, so the reuse rule is one
thing to get right and a new stage is a page of code.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import polars as pl

from newscorpus import __version__
from newscorpus.stages.reuse import ReuseStore
from newscorpus.util.files import write_parquet
from newscorpus.util.hashing import code_fingerprint, settings_hash

log = logging.getLogger("newscorpus")
T = TypeVar("T")

# Code every stage's rows pass through: the loop, the cache and the table schemas.
SHARED_SOURCES = ("stages/common.py", "stages/reuse.py", "tables/schemas.py", "util")


@dataclass(frozen=True)
class Stage:
    """What makes a stage: its outputs, what its key covers, and how it computes.

    ``tables`` maps output names to schemas; the first holds one row per document (its ``failed``
    rows are not kept for reuse: a failure may pass, so the next run tries again). The reuse key
    of a document covers the stage's name and version, the package version, the fingerprint of
    ``sources`` (package folders or files whose code shapes the output), the stage's settings
    and the values of ``key_columns``: exactly what the stage reads.
    ``compute(todo, settings)`` returns rows (dicts) per table for the documents of ``todo``.
    """

    name: str
    version: str
    sources: tuple[str, ...]
    tables: dict[str, dict]
    sort_keys: dict[str, list[str]]
    key_columns: tuple[str, ...]
    failed: Callable[[], pl.Expr]
    compute: Callable[[pl.DataFrame, dict], dict[str, list[dict]]]
    counts: Callable[[dict[str, pl.DataFrame]], dict[str, int]] = field(default=lambda out: {})

    def code(self) -> str:
        return code_fingerprint(*SHARED_SOURCES, *self.sources)


def with_keys(
    frame: pl.DataFrame,
    stage: str,
    stage_version: str,
    settings: dict,
    columns: list[str] | tuple[str, ...],
    code: str = "",
) -> pl.DataFrame:
    """Add the reuse key: a hash of exactly what the stage reads and what shapes it.

    The key covers the stage's name, the package and stage versions, the fingerprint of the
    stage's code, its settings and the values of ``columns`` (the stage's inputs), so an upgrade,
    an edited rule or a new setting never serves stale rows, while a change upstream that leaves
    this stage's inputs equal recomputes nothing here.
    """
    prefix = "\x1f".join((stage, __version__, stage_version, code, settings_hash(settings)))
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


def run_stage(
    stage: Stage,
    frame: pl.DataFrame,
    settings: dict,
    cache_dir: str,
    batch: str,
    outputs: dict[str, str],
    reuse: bool = True,
) -> dict[str, pl.DataFrame]:
    """Key ``frame``'s documents, reuse what the cache has, compute the rest, write ``outputs``.

    ``reuse=False`` (config ``force``) computes every document afresh; its rows still become
    the cache for later runs.
    """
    code = stage.code()
    wanted = with_keys(frame, stage.name, stage.version, settings, stage.key_columns, code)
    cache = ReuseStore(cache_dir, stage.name, code, batch, stage.tables)
    if reuse:
        cached, todo_keys = cache.lookup(wanted.select("doc_id", "key"))
    else:
        cached = {name: pl.DataFrame(schema=s) for name, s in stage.tables.items()}
        todo_keys = wanted.select("doc_id", "key")
    todo = wanted.join(todo_keys.select("doc_id"), on="doc_id", how="semi").sort("doc_id")
    rows = stage.compute(todo, settings)
    computed = {
        name: pl.DataFrame(rows.get(name, []), schema=schema)
        for name, schema in stage.tables.items()
    }
    out = {
        name: pl.concat([cached[name], computed[name]]).sort(stage.sort_keys[name])
        for name in stage.tables
    }
    for name, frame_out in out.items():
        write_parquet(frame_out, outputs[name])
    failed_ids = computed[cache.first].filter(stage.failed()).select("doc_id")
    cache.store({n: f.join(failed_ids, on="doc_id", how="anti") for n, f in computed.items()})
    log_counts(
        f"{stage.name} batch {batch}",
        documents_in=wanted.height,
        reused=wanted.height - todo.height,
        computed=todo.height,
        failed=failed_ids.height,
        **stage.counts(out),
    )
    return out


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
