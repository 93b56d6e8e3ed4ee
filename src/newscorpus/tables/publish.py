"""Publish: the only writer of the Delta tables.

Each table is partitioned by ``shard``. A run compares each shard's digest (from the assemble
stage) with the digests recorded in the table's last newscorpus commit and rewrites only the
shards that differ, in one commit per table (``overwrite`` with a ``shard IN (...)`` predicate).
Nothing differs: nothing is committed. A run killed between two table commits is repaired by the
next one, because every table carries its own digests.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path

import polars as pl
import pyarrow as pa

from newscorpus.tables import SHARD_TABLES, schemas
from newscorpus.tables.location import is_local, storage_options, table_uri
from newscorpus.tables.places import publish_places

log = logging.getLogger(__name__)

META_PREFIX = "newscorpus."
DIGESTS_KEY = META_PREFIX + "shard_digests"
_RECENT_COMMITS = 20


def recorded_digests(uri: str) -> dict[int, str] | None:
    """Shard digests of the newest commit written by newscorpus; None when there is none."""
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    try:
        table = DeltaTable(uri, storage_options=storage_options(uri))
    except TableNotFoundError:
        return None
    # The newest commit is almost always ours; reading the whole log would grow with every run.
    for limit in (_RECENT_COMMITS, None):
        for commit in table.history(limit):
            raw = commit.get(DIGESTS_KEY)
            if raw is not None:
                return {int(shard): digest for shard, digest in json.loads(raw).items()}
    return {}


def _arrow_schema(table: str) -> pa.Schema:
    return schemas.empty(schemas.PUBLISHED[table]).to_arrow().schema


def _batches(files: list[str], table: str, target: pa.Schema) -> Iterator[pa.RecordBatch]:
    for file in files:
        frame = schemas.conform(pl.read_parquet(file), schemas.PUBLISHED[table])
        yield from frame.to_arrow().cast(target).to_batches()


def publish_table(
    uri: str,
    table: str,
    shard_files: Mapping[int, str],
    digests: Mapping[int, str],
    metadata: Mapping[str, str],
) -> dict:
    """Bring one Delta table in line with the shard files; return what was done."""
    from deltalake import CommitProperties, DeltaTable, write_deltalake

    old = recorded_digests(uri)
    if old is None:
        changed = sorted(shard_files)
    else:
        changed = sorted(s for s in set(old) | set(digests) if old.get(s) != digests.get(s))
    if old is not None and not changed:
        return {"table": table, "committed": False, "changed_shards": []}
    files = [shard_files[s] for s in changed if s in shard_files]
    target = _arrow_schema(table)
    reader = pa.RecordBatchReader.from_batches(target, _batches(files, table, target))
    rows = sum(pl.scan_parquet(f).select(pl.len()).collect().item() for f in files)
    custom = {
        **metadata,
        DIGESTS_KEY: json.dumps({str(s): d for s, d in sorted(digests.items())}),
        META_PREFIX + "changed_shards": json.dumps(changed),
        META_PREFIX + "rows_written": str(rows),
    }
    kwargs = {
        "partition_by": ["shard"],
        "commit_properties": CommitProperties(custom_metadata=custom),
        "storage_options": storage_options(uri),
    }
    if old is None:
        write_deltalake(uri, reader, mode="overwrite", **kwargs)
    else:
        predicate = f"shard IN ({', '.join(str(int(s)) for s in changed)})"
        write_deltalake(uri, reader, mode="overwrite", predicate=predicate, **kwargs)
    version = DeltaTable(uri, storage_options=storage_options(uri)).version()
    log.info("%s: committed version %d (%d shards, %d rows)", table, version, len(changed), rows)
    return {
        "table": table,
        "committed": True,
        "version": version,
        "changed_shards": changed,
        "rows_written": rows,
    }


def publish(
    tables_uri: str | Path,
    shard_outputs: Mapping[int, Mapping[str, str]],
    pipeline_version: str,
    config_hash: str,
) -> dict:
    """Publish every table from the per-shard files ``{shard: {table: path, "digest": path}}``.

    ``tables_uri`` is a local folder or a URI deltalake writes to (``file://``, ``s3://``, ...),
    as :func:`newscorpus.tables.location.tables_root` gives it; each table goes to
    :func:`~newscorpus.tables.location.table_uri`.
    """
    tables_uri = str(tables_uri).rstrip("/")
    if is_local(tables_uri):
        Path(tables_uri).mkdir(parents=True, exist_ok=True)
    digests = {
        shard: json.loads(Path(files["digest"]).read_text())["digests"]
        for shard, files in shard_outputs.items()
    }
    metadata = {
        META_PREFIX + "pipeline_version": pipeline_version,
        META_PREFIX + "config_hash": config_hash,
    }
    # places (derived from every shard's entities) before the shard tables, documents last: a
    # reader who sees a new documents version sees the rows and places it describes.
    places_uri = table_uri("places", tables_uri=tables_uri)
    place_files = [
        files["places"] for _, files in sorted(shard_outputs.items()) if "places" in files
    ]
    done = [publish_places(places_uri, place_files, metadata, storage_options(places_uri))]
    for table in sorted(SHARD_TABLES, key=lambda t: t == "documents"):
        done.append(
            publish_table(
                table_uri(table, tables_uri=tables_uri),
                table,
                {shard: files[table] for shard, files in shard_outputs.items()},
                {shard: d[table] for shard, d in digests.items()},
                metadata,
            )
        )
    return {"pipeline_version": pipeline_version, "config_hash": config_hash, "tables": done}
