"""Loading the published tables with Polars."""

from __future__ import annotations

import polars as pl

from newscorpus.tables.location import storage_options, table_exists, table_uri

__all__ = ["history", "load", "read_published", "table_uri"]


def load(
    table: str,
    results_dir: str | None = None,
    version: int | None = None,
    tables_uri: str | None = None,
) -> pl.LazyFrame:
    """A published table as a LazyFrame; ``version`` reads an earlier Delta version.

    Its rows come in no set order (an edit's rewrite orders them as deltalake does): sort by the
    key columns where order matters.

    ``tables_uri`` reads tables published elsewhere (config ``tables_uri``, e.g. ``s3://...``;
    credentials come from the usual AWS_* environment variables).
    """
    return _scan(table_uri(table, results_dir, tables_uri), version)


def _scan(uri: str, version: int | None = None) -> pl.LazyFrame:
    return pl.scan_delta(uri, version=version, storage_options=storage_options(uri))


def read_published(
    uri: str,
    columns: list[str] | None = None,
    doc_ids: list[str] | None = None,
    missing: pl.DataType = pl.String,
) -> pl.DataFrame | None:
    """``columns`` (all when None) of the Delta table at ``uri``, the rows of ``doc_ids`` only
    when given; None when no table is published there (see :class:`Published`)."""
    table = Published.open(uri)
    return None if table is None else table.read(columns, doc_ids, missing)


class Published:
    """One version of a published table, for a job that reads it more than once: the Delta log
    is read when it is opened (20-30 ms on a small table), not on every read, and every read sees
    the same version.

    The pipeline's own stages read published rows through this: a Polars scan, which neither
    loads pyarrow's dataset and compute modules (a quarter of a second of a small job's start)
    nor reads columns or files the filter leaves out.
    """

    def __init__(self, scan: pl.LazyFrame) -> None:
        self._scan = scan
        self.names = scan.collect_schema().names()

    @classmethod
    def open(cls, uri: str) -> Published | None:
        """The table's latest version; None when no table is published at ``uri``."""
        return cls(_scan(uri)) if table_exists(uri) else None

    def read(
        self,
        columns: list[str] | None = None,
        doc_ids: list[str] | None = None,
        missing: pl.DataType = pl.String,
    ) -> pl.DataFrame:
        """``columns`` (all when None), of the rows of ``doc_ids`` only when given. A column the
        table lacks (published by a version before that column) comes back as nulls of type
        ``missing``."""
        wanted = self.names if columns is None else columns
        scan = self._scan
        if doc_ids is not None:
            scan = scan.filter(pl.col("doc_id").is_in(doc_ids))
        frame = scan.select(c for c in wanted if c in self.names).collect()
        return frame.with_columns(
            pl.lit(None, missing).alias(c) for c in wanted if c not in self.names
        ).select(wanted)


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
