"""The ``places`` table: one row per place that any entity of the published corpus resolved to.

It is derived, not keyed by document: after publish has committed ``entities``, the distinct
``place_id``s of the whole published table (one column scan) decide which places there are, and
their rows come from this change set's batches (the places their entities resolved to, fresh
from the gazetteer) or else from the previous places table. A place stays while any document
names it and goes when none does, whichever documents changed, so an incremental sequence of
runs ends with the table a run from scratch writes (row order aside). Place rows are few (a
corpus names thousands of places, not millions): new places are appended, and the table is
rewritten, in one commit, only when a place goes or a row changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import polars as pl

from newscorpus.tables import schemas
from newscorpus.tables.load import read_published
from newscorpus.tables.location import storage_options
from newscorpus.tables.parquet import writer_properties

log = logging.getLogger(__name__)


def corpus_places(
    place_ids: pl.Series, batch_places: Iterable[str], previous: pl.DataFrame | None
) -> pl.DataFrame:
    """The rows of ``place_ids`` (the places the published entities name), sorted by id.

    A place's row comes from the batches' place files when they have it (the gazetteer as the
    change set's code and settings see it), else from ``previous`` (the last places table).
    """
    fresh = [schemas.conform(pl.read_parquet(f), schemas.PLACES) for f in batch_places]
    known = [*fresh, schemas.conform(previous, schemas.PLACES)] if previous is not None else fresh
    if not known:
        known = [schemas.empty(schemas.PLACES)]
    # The batches come first, so keep="first" prefers their rows to the previous table's.
    rows = pl.concat(known).unique("place_id", keep="first", maintain_order=True)
    wanted = pl.DataFrame(
        {"place_id": place_ids.drop_nulls().unique()}, schema={"place_id": pl.Int64}
    )
    found = rows.join(wanted, on="place_id", how="semi")
    if found.height < wanted.height:
        lost = wanted.join(found, on="place_id", how="anti")["place_id"].sort().to_list()
        log.warning("places: no row for %d place ids named by entities: %s", len(lost), lost[:10])
    return schemas.conform(found, schemas.PLACES).sort("place_id")


def publish_places(
    uri: str, entities_uri: str, batch_places: Iterable[str], metadata: Mapping[str, str]
) -> dict:
    """Bring the places table in line with the published entities; return what was done."""
    from deltalake import CommitProperties, write_deltalake

    # A table published before places existed has no place_id: it names no place.
    entities = read_published(entities_uri, ["place_id"], missing=pl.Int64)
    place_ids = entities["place_id"] if entities is not None else pl.Series([], dtype=pl.Int64)
    previous = read_published(uri)
    frame = corpus_places(place_ids.cast(pl.Int64), list(batch_places), previous)
    before = (
        schemas.conform(previous, schemas.PLACES).sort("place_id") if previous is not None else None
    )
    if before is not None and before.equals(frame):
        log.info("places: unchanged (%d places)", frame.height)
        return {"table": "places", "committed": False}
    # Places only added (the usual day: new documents name a few new villages): append their
    # rows, so a day's run writes the day's places, not the table again.
    added = frame.join(before, on="place_id", how="anti") if before is not None else frame
    only_added = before is not None and frame.join(added, on="place_id", how="anti").equals(before)
    rows, mode = (added, "append") if only_added else (frame, "overwrite")
    write_deltalake(
        uri,
        rows.to_arrow(),
        mode=mode,
        **({"schema_mode": "overwrite"} if mode == "overwrite" else {}),
        partition_by=[],
        commit_properties=CommitProperties(
            custom_metadata={**metadata, "newscorpus.rows_written": str(rows.height)}
        ),
        storage_options=storage_options(uri),
        writer_properties=writer_properties(schemas.PLACES),
    )
    log.info("places: %d places committed (%s)", rows.height, mode)
    return {"table": "places", "committed": True, "rows_written": rows.height, "mode": mode}
