"""Document-level reuse inside a shard, keyed by content.

Snakemake deletes a job's outputs before it runs, so the rows a stage can reuse live in a cache
beside the outputs (``{results_dir}/cache/{stage}/{shard}.{table}.parquet``), keyed by the
stage key of :func:`newscorpus.hashing.stage_key`. The cache holds no doc_id: two files with the
same content share their rows, and a renamed file is not recomputed.
"""

from __future__ import annotations

import logging
from pathlib import Path

import polars as pl

from newscorpus.files import write_parquet

log = logging.getLogger(__name__)


class StageCache:
    def __init__(
        self, cache_dir: str | Path, stage: str, shard: int | str, tables: dict[str, dict]
    ):
        self.paths = {name: Path(cache_dir) / stage / f"{shard}.{name}.parquet" for name in tables}
        self.tables = tables
        self.first = next(iter(tables))  # the doc-level table: a key is a hit when it is there

    def _read(self, name: str) -> pl.DataFrame | None:
        path = self.paths[name]
        if not path.exists():
            return None
        try:
            frame = pl.read_parquet(path)
        except Exception as exc:  # an unreadable cache is only a lost speed-up
            log.warning("ignoring unreadable cache %s: %s", path, exc)
            return None
        expected = {k: v for k, v in self.tables[name].items() if k != "doc_id"}
        if dict(frame.schema) != expected:
            log.info("ignoring cache %s written with another schema", path)
            return None
        return frame

    def lookup(self, wanted: pl.DataFrame) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
        """Split ``wanted`` (doc_id, key) into cached rows per table and the rows still to do."""
        caches = {name: self._read(name) for name in self.tables}
        if any(frame is None for frame in caches.values()):
            return {name: pl.DataFrame(schema=s) for name, s in self.tables.items()}, wanted
        hits = wanted.join(caches[self.first].select("key").unique(), on="key", how="semi")
        cached = {
            name: hits.select("doc_id", "key")
            .join(frame, on="key", how="inner")
            .select(list(self.tables[name]))
            for name, frame in caches.items()
        }
        todo = wanted.join(hits.select("doc_id"), on="doc_id", how="anti")
        return cached, todo

    def store(self, outputs: dict[str, pl.DataFrame]) -> None:
        """Keep this run's rows as the next run's cache: one copy per key, nothing stale."""
        docs = outputs[self.first]
        owners = docs.group_by("key").agg(pl.col("doc_id").min())
        for name, frame in outputs.items():
            rows = frame.join(owners, on=["key", "doc_id"], how="semi").drop("doc_id")
            write_parquet(rows, self.paths[name])
