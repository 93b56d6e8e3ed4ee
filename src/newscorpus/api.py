"""Loading the published tables with Polars."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from newscorpus import TABLES


def table_uri(table: str, results_dir: str = "results") -> str:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    if "://" in results_dir:
        return f"{results_dir.rstrip('/')}/tables/{table}"
    return str(Path(results_dir) / "tables" / table)


def load(table: str, results_dir: str = "results", version: int | None = None) -> pl.LazyFrame:
    """A published table as a LazyFrame; ``version`` reads an earlier Delta version."""
    return pl.scan_delta(table_uri(table, results_dir), version=version)


def history(table: str, results_dir: str = "results") -> pl.DataFrame:
    """The table's commits, newest first, with newscorpus' commit metadata as columns."""
    from deltalake import DeltaTable

    rows = DeltaTable(table_uri(table, results_dir)).history()
    keep = ("version", "timestamp", "operation")
    return pl.DataFrame(
        [
            {
                **{k: r.get(k) for k in keep},
                **{
                    k.removeprefix("newscorpus."): str(v)
                    for k, v in r.items()
                    if k.startswith("newscorpus.") and k != "newscorpus.shard_digests"
                },
            }
            for r in rows
        ],
        infer_schema_length=None,
    )
