"""Publish: the only writer of the Delta tables and of the catalog.

A run publishes one change set (:mod:`newscorpus.ingest.changes`): the rows of its batches'
documents and the doc_ids it removed. Each table gets one commit that deletes the rows of those
doc_ids and appends their new rows (``overwrite`` with a ``doc_id IN (...)`` predicate: files
holding none of them are neither read into the commit nor rewritten), so a day's run adds the
day's bytes, not a copy of the corpus. The first publish (no catalog yet, or after an upgrade)
writes every table whole. The ``places`` table is derived instead (the places the whole
published ``entities`` table names, :mod:`newscorpus.tables.places`), committed when it changed.
The catalog, the run's own record of what is published, is committed last; every commit carries
the change set's id, so a run killed between two commits is finished by the next one, which
skips the tables that already carry it.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import polars as pl
import pyarrow as pa

from newscorpus.tables import DOCUMENT_TABLES, schemas
from newscorpus.tables.load import read_published
from newscorpus.tables.location import is_local, storage_options, table_uri
from newscorpus.tables.parquet import writer_properties
from newscorpus.tables.places import publish_places
from newscorpus.util.files import write_json

log = logging.getLogger(__name__)

META_PREFIX = "newscorpus."
CHANGESET_KEY = META_PREFIX + "changeset"
CATALOG = "catalog"
_RECENT_COMMITS = 20
_ROWS_PER_BATCH = 500


def _open(uri: str):
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    try:
        return DeltaTable(uri, storage_options=storage_options(uri))
    except TableNotFoundError:
        return None


def recorded_changeset(table) -> str | None:
    """The change set of the newest commit newscorpus wrote to ``table`` (None: none)."""
    # The newest commit is almost always ours; reading the whole log would grow with every run.
    for limit in (_RECENT_COMMITS, None):
        for commit in table.history(limit):
            if CHANGESET_KEY in commit:
                return commit[CHANGESET_KEY]
    return None


def holds_changeset(table, changeset: str) -> bool:
    """Whether a commit of ``table`` carries ``changeset`` (its newest commits looked at first)."""
    for limit in (_RECENT_COMMITS, None):
        if any(commit.get(CHANGESET_KEY) == changeset for commit in table.history(limit)):
            return True
    return False


def pending_path(state_uri: str | Path) -> Path:
    """Where publish records the doc_ids of a change set it has begun to commit."""
    return Path(state_uri).parent / "pending.json"


def read_pending(path: str | Path) -> set[str]:
    try:
        return set(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def doc_id_predicate(doc_ids: Sequence[str]) -> str:
    """SQL predicate matching ``doc_ids`` (quotes doubled; any other character is literal)."""
    return f"doc_id IN ({', '.join(_literal(d) for d in sorted(doc_ids))})"


def _batches(
    files: list[str],
    schema: dict,
    target: pa.Schema,
    transform: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
    extra: pl.DataFrame | None = None,
) -> Iterator[pa.RecordBatch]:
    frames = (pl.read_parquet(file) for file in files)
    for frame in itertools.chain(frames, [extra] if extra is not None else []):
        if transform is not None:
            frame = transform(frame)
        frame = schemas.conform(frame, schema)
        # Small record batches: the writer checks the file size between batches.
        yield from frame.to_arrow().cast(target).to_batches(max_chunksize=_ROWS_PER_BATCH)


def publish_table(
    uri: str,
    table: str,
    files: list[str],
    replace: Sequence[str] | None,
    metadata: Mapping[str, str],
    schema: dict | None = None,
    file_bytes: int | None = None,
    transform: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
    extra: Callable[[], pl.DataFrame] | None = None,
) -> dict:
    """Replace the rows of the ``replace`` doc_ids in one table by the rows of ``files``.

    ``replace=None`` writes the table whole (first publish). A table whose newest commit already
    carries this change set is left alone (a killed run committed it). ``file_bytes`` caps the
    data files written (deltalake's estimate before compression): deleting one document's rows
    rewrites the file that holds them, so small files keep an edit's rewrite small.
    """
    from deltalake import CommitProperties, write_deltalake

    schema = schema or schemas.PUBLISHED[table]
    changeset = metadata[CHANGESET_KEY]
    existing = _open(uri)
    if existing is not None and recorded_changeset(existing) == changeset:
        log.info("%s: change set %s already committed", table, changeset)
        return {"table": table, "committed": False, "already": True}
    target = schemas.empty(schema).to_arrow().schema
    extra_rows = extra() if extra is not None else None
    reader = pa.RecordBatchReader.from_batches(
        target, _batches(files, schema, target, transform, extra_rows)
    )
    rows = sum(pl.scan_parquet(f).select(pl.len()).collect().item() for f in files)
    rows += extra_rows.height if extra_rows is not None else 0
    custom = {**metadata, META_PREFIX + "rows_written": str(rows)}
    kwargs = {
        "commit_properties": CommitProperties(custom_metadata=custom),
        "storage_options": storage_options(uri),
        "target_file_size": file_bytes,
        "writer_properties": writer_properties(schema),
    }
    if existing is None or replace is None:
        # A table of the layout before batches (partitioned by shard, with a shard column) is
        # replaced whole, unpartitioned; its old versions stay readable.
        write_deltalake(
            uri, reader, mode="overwrite", schema_mode="overwrite", partition_by=[], **kwargs
        )
    else:
        write_deltalake(
            uri, reader, mode="overwrite", predicate=doc_id_predicate(replace), **kwargs
        )
    version = _open(uri).version()
    log.info("%s: committed version %d (%d rows)", table, version, rows)
    return {"table": table, "committed": True, "version": version, "rows_written": rows}


def publish(
    tables_uri: str | Path,
    state_uri: str | Path,
    changes_file: str | Path,
    batch_outputs: Mapping[str, Mapping[str, str]],
    pipeline_version: str,
    config_hash: str,
    file_bytes: int | None = None,
    stories: Mapping[str, str] | None = None,
) -> dict:
    """Publish one change set: ``batch_outputs`` maps each batch to ``{table: path}`` for every
    table in :data:`TABLES` plus ``catalog``.

    ``tables_uri`` is a local folder or a URI deltalake writes to (``file://``, ``s3://``, ...);
    each table goes to ``{tables_uri}/{table}``; the catalog to ``state_uri`` (local state).
    ``stories`` holds the change set's stories job files (``stories``, ``duplicates``,
    ``stories_replace``): the ``duplicates`` rows, and the story columns of ``documents``, which
    also rewrites the rows of the documents outside the batches whose story changed.
    """
    tables_uri = str(tables_uri).rstrip("/")
    state_uri = str(state_uri)
    for folder in (tables_uri, os.path.dirname(state_uri)):
        if is_local(folder):
            Path(folder).mkdir(parents=True, exist_ok=True)
    changes = json.loads(Path(changes_file).read_text(encoding="utf-8"))
    batch_files = [batch_outputs[b] for b in sorted(batch_outputs)]
    doc_ids = [
        d
        for files in batch_files
        for d in pl.read_parquet(files[CATALOG], columns=["doc_id"])["doc_id"].to_list()
    ]
    catalog = _open(state_uri)
    whole = catalog is None or recorded_changeset(catalog) is None
    if not whole:
        published = pl.read_delta(state_uri, columns=["doc_id"])["doc_id"]
        # Every published document is replaced (a new setting, a new version): write whole.
        whole = published.is_in(pl.Series(doc_ids + changes["removed"]).implode()).all()
    replace = None if whole else sorted(set(doc_ids) | set(changes["removed"]))
    # Until the catalog is committed, the next run must know which documents this one may have
    # committed to some tables: one it adds here and that is gone by then is in no catalog, so
    # only this record has its doc_id removed from the tables (see changes.plan).
    pending = pending_path(state_uri)
    write_json(sorted(read_pending(pending) | set(doc_ids) | set(changes["removed"])), pending)
    metadata = {
        META_PREFIX + "pipeline_version": pipeline_version,
        META_PREFIX + "config_hash": config_hash,
        CHANGESET_KEY: changes["id"],
        META_PREFIX + "documents_computed": str(len(doc_ids)),
        META_PREFIX + "documents_removed": str(len(changes["removed"])),
    }
    done = []
    # documents last among the tables: a reader who sees a new documents version sees the rows
    # (and places) it describes. places, derived from the whole published entities table, right
    # before it. The catalog after them all: until it is committed, the next run redoes the
    # same change set.
    tables = (*DOCUMENT_TABLES, *schemas.CHANGESET_TABLES)
    for table in sorted(tables, key=lambda t: t == "documents"):
        if table == "documents":
            done.append(
                publish_places(
                    table_uri("places", tables_uri=tables_uri),
                    table_uri("entities", tables_uri=tables_uri),
                    [f["places"] for f in batch_files],
                    metadata,
                )
            )
        uri = table_uri(table, tables_uri=tables_uri)
        if table in schemas.CHANGESET_TABLES:
            files = [stories[table]] if stories else []
        else:
            files = [f[table] for f in batch_files]
        own = _story_parts(table, uri, replace, stories)
        done.append(
            publish_table(
                uri, table, files, own.pop("replace"), metadata, file_bytes=file_bytes, **own
            )
        )
    retimed = _retimed_catalog_rows(state_uri, changes.get("touched", {}), replace)
    done.append(
        publish_table(
            state_uri,
            CATALOG,
            [f[CATALOG] for f in batch_files],
            None if replace is None else sorted(set(replace) | set(retimed["doc_id"])),
            metadata,
            schemas.CATALOG,
            file_bytes,
            extra=(lambda: retimed) if retimed.height else None,
        )
    )
    pending.unlink(missing_ok=True)
    return {
        "pipeline_version": pipeline_version,
        "config_hash": config_hash,
        "changeset": changes["id"],
        "counts": changes.get("counts", {}),
        "tables": done,
    }


def _retimed_catalog_rows(
    state_uri: str, touched: Mapping[str, list[int]], replace: list[str] | None
) -> pl.DataFrame:
    """The catalog rows of the files found unchanged under a new modification time, with that
    time: the next run trusts them again instead of hashing them (none when the catalog is
    written whole, which holds only the change set's documents)."""
    if replace is None or not touched:
        return schemas.empty(schemas.CATALOG)
    wanted = sorted(set(touched) - set(replace))
    rows = read_published(state_uri, list(schemas.CATALOG), wanted) if wanted else None
    if rows is None:
        return schemas.empty(schemas.CATALOG)
    stat = pl.DataFrame(
        {
            "doc_id": wanted,
            "size": [touched[d][0] for d in wanted],
            "mtime_ns": [touched[d][1] for d in wanted],
        },
        schema={"doc_id": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64},
    )
    # A row the catalog no longer has (a killed run's plan) is left out, never made up.
    rows = rows.cast({"doc_id": pl.String}).drop("size", "mtime_ns").join(stat, on="doc_id")
    return schemas.conform(rows, schemas.CATALOG)


def _story_parts(
    table: str, uri: str, replace: list[str] | None, stories: Mapping[str, str] | None
) -> dict:
    """What the stories job changes in ``table``: more doc_ids to replace and, for documents,
    the story columns of the batch rows and the rewritten rows of the other restoried documents.
    """
    if not stories or (table != "documents" and table not in schemas.CHANGESET_TABLES):
        return {"replace": replace}
    more = json.loads(Path(stories["stories_replace"]).read_text(encoding="utf-8"))[table]
    wider = None if replace is None else sorted(set(replace) | set(more))
    if table != "documents":
        return {"replace": wider}
    columns = list(schemas.STORY_COLUMNS)
    story = pl.read_parquet(stories["stories"], columns=["doc_id", *columns])

    def transform(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.drop(columns, strict=False).join(story, on="doc_id", how="left")

    def extra() -> pl.DataFrame | None:
        if not more:
            return None
        return read_published(uri, doc_ids=more)

    return {"replace": wider, "transform": transform, "extra": extra}
