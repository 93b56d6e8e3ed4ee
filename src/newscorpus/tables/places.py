"""The ``places`` table: one row per place that any entity of the corpus resolved to.

It is derived, not partitioned: every publish rebuilds it from all shards' place rows (each
shard's assemble output lists the places its entities name), so a place stays while any
document names it and goes when none does, whichever shards changed. Place rows are few (a
corpus names thousands of places, not millions), so the rebuild reads kilobytes. The table is
rewritten only when its content digest differs from the one its last commit recorded.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping

import polars as pl

from newscorpus.tables import schemas

log = logging.getLogger(__name__)

DIGEST_KEY = "newscorpus.places_digest"


def corpus_places(files: Iterable[str]) -> pl.DataFrame:
    """The distinct places of every shard's place file, sorted by id."""
    frames = [schemas.conform(pl.read_parquet(f), schemas.PLACES) for f in files]
    if not frames:
        return schemas.empty(schemas.PLACES)
    # A place's row is a function of the gazetteer, the same in every shard; sorting on every
    # column makes the pick independent of shard order all the same.
    return (
        pl.concat(frames)
        .sort(list(schemas.PLACES), nulls_last=True)
        .unique("place_id", keep="first", maintain_order=True)
        .sort("place_id")
    )


def digest_of(frame: pl.DataFrame) -> str:
    rows = frame.rows()
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:32]


def _recorded_digest(uri: str, storage_options) -> str | None:
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    try:
        table = DeltaTable(uri, storage_options=storage_options)
    except TableNotFoundError:
        return None
    for commit in table.history(20):
        if DIGEST_KEY in commit:
            return commit[DIGEST_KEY]
    return ""


def publish_places(
    uri: str, place_files: Iterable[str], metadata: Mapping[str, str], storage_options=None
) -> dict:
    """Bring the places table in line with the shards' place files; return what was done."""
    from deltalake import CommitProperties, write_deltalake

    frame = corpus_places(place_files)
    digest = digest_of(frame)
    if _recorded_digest(uri, storage_options) == digest:
        return {"table": "places", "committed": False, "changed_shards": []}
    write_deltalake(
        uri,
        frame.to_arrow(),
        mode="overwrite",
        commit_properties=CommitProperties(
            custom_metadata={
                **metadata,
                DIGEST_KEY: digest,
                "newscorpus.rows_written": str(frame.height),
            }
        ),
        storage_options=storage_options,
    )
    log.info("places: %d places committed", frame.height)
    return {"table": "places", "committed": True, "rows_written": frame.height}
