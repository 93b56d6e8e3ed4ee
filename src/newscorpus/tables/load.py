"""Loading the published tables with Polars."""

from __future__ import annotations

import polars as pl

from newscorpus.tables.location import storage_options, table_uri

__all__ = ["history", "load", "table_uri"]


def load(
    table: str,
    results_dir: str | None = None,
    version: int | None = None,
    tables_uri: str | None = None,
) -> pl.LazyFrame:
    """A published table as a LazyFrame; ``version`` reads an earlier Delta version.

    ``tables_uri`` reads tables published elsewhere (config ``tables_uri``, e.g. ``s3://...``;
    credentials come from the usual AWS_* environment variables).
    """
    uri = table_uri(table, results_dir, tables_uri)
    return pl.scan_delta(uri, version=version, storage_options=storage_options(uri))


def history(
    table: str, results_dir: str | None = None, tables_uri: str | None = None
) -> pl.DataFrame:
    """The table's commits, newest first, with newscorpus' commit metadata as columns.

    ``timestamp`` is the commit time as a UTC datetime (Delta records epoch milliseconds).
    """
    from deltalake import DeltaTable

    uri = table_uri(table, results_dir, tables_uri)
    rows = DeltaTable(uri, storage_options=storage_options(uri)).history()
    keep = ("version", "timestamp", "operation")
    frame = pl.DataFrame(
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
    return frame.with_columns(
        pl.from_epoch(pl.col("timestamp").cast(pl.Int64), time_unit="ms").dt.replace_time_zone(
            "UTC"
        )
    )
