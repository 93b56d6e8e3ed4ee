"""Rows a stage already computed, found again by content key.

Snakemake deletes a job's outputs before it runs and a batch's files are temporary, so the rows
a stage can reuse live beside them, in segments: every batch job keeps the rows it computed in
``{cache_dir}/{stage}/{code}/{batch}.{table}.parquet`` (``code``: the fingerprint of the stage's
source, so a code change starts an empty folder instead of mixing rows of two versions). The
rows hold no doc_id: two files with the same content share their rows, and a renamed or copied
file is not recomputed.

A stage keeps several tables, and a job can be killed between two of them. Each file is written
atomically and a ``{batch}.done`` marker last; a segment without its marker is never read, so a
half-written segment is recomputed, never mixed. Jobs write only their own batch's segment:
parallel jobs never write the same file.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import polars as pl

from newscorpus.util.files import write_parquet, write_text

log = logging.getLogger(__name__)

_DONE = ".done"


class ReuseStore:
    def __init__(
        self, cache_dir: str | Path, stage: str, code: str, batch: str, tables: dict[str, dict]
    ):
        self.folder = Path(cache_dir) / stage / code
        self.batch = batch
        self.tables = tables
        self.first = next(iter(tables))  # the doc-level table: a key is a hit when it is there

    def _path(self, segment: str, table: str) -> Path:
        return self.folder / f"{segment}.{table}.parquet"

    def segments(self) -> list[str]:
        """Finished segments, in name order (the order never depends on the file system)."""
        if not self.folder.is_dir():
            return []
        return sorted(p.name.removesuffix(_DONE) for p in self.folder.glob(f"*{_DONE}"))

    def _scan(self, segments: list[str], table: str) -> pl.LazyFrame:
        frames = []
        for segment in segments:
            expected = {k: v for k, v in self.tables[table].items() if k != "doc_id"}
            frame = pl.scan_parquet(self._path(segment, table))
            frames.append(frame.select(list(expected)).with_columns(segment=pl.lit(segment)))
        return pl.concat(frames)

    def lookup(self, wanted: pl.DataFrame) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
        """Split ``wanted`` (doc_id, key) into reused rows per table and the rows still to do."""
        empty = {name: pl.DataFrame(schema=s) for name, s in self.tables.items()}
        segments = self.segments()
        if not segments or wanted.height == 0:
            return empty, wanted
        keys = wanted["key"].unique()
        try:
            # One segment per key (the first by name): the rows of every table come from it.
            owners = (
                self._scan(segments, self.first)
                .select("key", "segment")
                .filter(pl.col("key").is_in(keys.implode()))
                .group_by("key")
                .agg(pl.col("segment").min())
                .collect()
            )
            hits = wanted.join(owners, on="key", how="inner")
            cached = {}
            for name in self.tables:
                rows = (
                    self._scan(segments, name)
                    .filter(pl.col("key").is_in(owners["key"].implode()))
                    .join(owners.lazy(), on=["key", "segment"], how="semi")
                    .drop("segment")
                    .collect()
                )
                cached[name] = (
                    hits.select("doc_id", "key")
                    .join(rows, on="key", how="inner")
                    .select(list(self.tables[name]))
                    .cast(self.tables[name])
                )
        except Exception as exc:  # a damaged cache is only a lost speed-up
            log.warning("ignoring the reuse cache in %s: %s", self.folder, exc)
            return empty, wanted
        todo = wanted.join(hits.select("doc_id"), on="doc_id", how="anti")
        return cached, todo

    def store(self, computed: dict[str, pl.DataFrame]) -> None:
        """Keep rows this job computed as its batch's segment: one copy per key."""
        docs = computed[self.first]
        done = self.folder / f"{self.batch}{_DONE}"
        done.unlink(missing_ok=True)  # from here until the marker the old segment is void
        if docs.height == 0:
            for name in self.tables:
                self._path(self.batch, name).unlink(missing_ok=True)
            return
        owners = docs.group_by("key").agg(pl.col("doc_id").min())
        for name, frame in computed.items():
            rows = frame.join(owners, on=["key", "doc_id"], how="semi").drop("doc_id")
            write_parquet(rows, self._path(self.batch, name))
        write_text("", done)


def compact(cache_dir: str | Path, current: dict[str, str]) -> dict[str, int]:
    """Merge each stage's segments into one and drop folders of other code versions.

    ``current`` maps stage -> code fingerprint in use. Returns segments merged per stage. Call
    only with the results lock held (no job writes segments meanwhile).
    """
    merged = {}
    for stage_folder in sorted(p for p in Path(cache_dir).glob("*") if p.is_dir()):
        stage = stage_folder.name
        for code_folder in sorted(p for p in stage_folder.iterdir() if p.is_dir()):
            if current.get(stage) != code_folder.name:
                shutil.rmtree(code_folder)
                continue
            segments = sorted(p.name.removesuffix(_DONE) for p in code_folder.glob(f"*{_DONE}"))
            if len(segments) < 2:
                continue
            tables = sorted(
                {p.name.split(".")[1] for p in code_folder.glob(f"{segments[0]}.*.parquet")}
            )
            first = "docs" if "docs" in tables else tables[0]
            scans = {
                t: pl.concat(
                    [
                        pl.scan_parquet(code_folder / f"{s}.{t}.parquet").with_columns(
                            segment=pl.lit(s)
                        )
                        for s in segments
                    ]
                )
                for t in tables
            }
            owners = scans[first].group_by("key").agg(pl.col("segment").min()).collect()
            name = "compacted-" + segments[-1]
            for t, scan in scans.items():
                rows = scan.join(owners.lazy(), on=["key", "segment"], how="semi")
                write_parquet(rows.drop("segment").collect(), code_folder / f"{name}.{t}.parquet")
            write_text("", code_folder / f"{name}{_DONE}")
            for s in segments:
                if s != name:
                    (code_folder / f"{s}{_DONE}").unlink(missing_ok=True)
                    for t in tables:
                        (code_folder / f"{s}.{t}.parquet").unlink(missing_ok=True)
            merged[stage] = len(segments)
    return merged
