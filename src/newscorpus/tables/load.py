"""Loading the published tables with Polars."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from newscorpus.tables import TABLES


def table_uri(table: str, results_dir: str = "results", tables_uri: str | None = None) -> str:
    """Where a table lives: ``{tables_uri}/{table}`` when set, else ``{results_dir}/tables/...``."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    if tables_uri:
        return f"{tables_uri.rstrip('/')}/{table}"
    if "://" in results_dir:
        return f"{results_dir.rstrip('/')}/tables/{table}"
    return str(Path(results_dir) / "tables" / table)


def load(
    table: str,
    results_dir: str = "results",
    version: int | None = None,
    tables_uri: str | None = None,
) -> pl.LazyFrame:
    """A published table as a LazyFrame; ``version`` reads an earlier Delta version.

    ``tables_uri`` reads tables published elsewhere (config ``tables_uri``, e.g. ``s3://...``;
    credentials come from the usual AWS_* environment variables).
    """
    return pl.scan_delta(table_uri(table, results_dir, tables_uri), version=version)


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
                    if k.startswith("newscorpus.")
                },
            }
            for r in rows
        ],
        infer_schema_length=None,
    )
