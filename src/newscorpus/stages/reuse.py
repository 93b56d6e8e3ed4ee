"""Document-level reuse inside a shard, keyed by content.

Snakemake deletes a job's outputs before it runs, so the rows a stage can reuse live in a cache
beside the outputs (``{results_dir}/cache/{stage}/{shard}.{table}.parquet``), keyed by the
stage key of :func:`newscorpus.hashing.stage_key`. The cache holds no doc_id: two files with the
same content share their rows, and a renamed file is not recomputed.

A stage caches several tables (documents and their rows) in separate files, and a run can be
killed between two of them. A manifest with the sha256 of every file is written last; a lookup
whose files do not match it is a miss, so a half-written cache is recomputed, never mixed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import polars as pl

from newscorpus.util.files import write_json, write_parquet

log = logging.getLogger(__name__)


class StageCache:
    def __init__(
        self, cache_dir: str | Path, stage: str, shard: int | str, tables: dict[str, dict]
    ):
        self.paths = {name: Path(cache_dir) / stage / f"{shard}.{name}.parquet" for name in tables}
        self.manifest = Path(cache_dir) / stage / f"{shard}.manifest.json"
        self.tables = tables
        self.first = next(iter(tables))  # the doc-level table: a key is a hit when it is there

    def _read(self, name: str, expected_sha256: str | None) -> pl.DataFrame | None:
        path = self.paths[name]
        if not path.exists() or expected_sha256 is None:
            return None
        try:
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != expected_sha256:
                log.info("ignoring cache %s: it does not match its manifest", path)
                return None
            frame = pl.read_parquet(data)
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
        try:
            manifest = json.loads(self.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        caches = {name: self._read(name, manifest.get(name)) for name in self.tables}
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
        self.manifest.unlink(missing_ok=True)  # from here until the end the old files are void
        digests = {}
        for name, frame in outputs.items():
            rows = frame.join(owners, on=["key", "doc_id"], how="semi").drop("doc_id")
            write_parquet(rows, self.paths[name])
            digests[name] = hashlib.sha256(self.paths[name].read_bytes()).hexdigest()
        write_json(digests, self.manifest)
