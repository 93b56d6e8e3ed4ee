"""Column schemas of every table, defined once: the stage that writes a table and the test that
reads it import the same definition.

Every column has an explicit dtype: Delta refuses Polars' ``Null`` dtype, and an empty batch must
still write a typed, readable file.

Adding a published table is declaring its schema in ``PUBLISHED`` and its order in
``SORT_KEYS`` (rows carry ``doc_id``): assemble passes the batch's rows of it through, publish
replaces a changed document's rows in it, the loaders and the CLI list it.
"""

from __future__ import annotations

import polars as pl

# --- per-batch intermediate files -------------------------------------------------------------

INGESTED = {
    "doc_id": pl.String,
    "format": pl.String,
    "source_sha256": pl.String,
    "size_bytes": pl.Int64,
    "mtime_day": pl.Date,
    "encoding": pl.String,
    "status": pl.String,
    "status_detail": pl.String,
    "raw_text": pl.String,
}

CLEANED = {
    "doc_id": pl.String,
    "status": pl.String,
    "status_detail": pl.String,
    "title": pl.String,
    "text": pl.String,
    "author": pl.String,
    "sitename": pl.String,
    "url": pl.String,
    "meta_date": pl.Date,
    "header_date": pl.Date,
    "removed_chars": pl.Int64,
    "key": pl.String,
}

REMOVED_ROWS = {
    "doc_id": pl.String,
    "seq": pl.Int32,
    "kind": pl.String,
    "rule": pl.String,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
    "key": pl.String,
}

DETECTED = {
    "doc_id": pl.String,
    "language": pl.String,
    "language_score": pl.Float64,
    "language_reason": pl.String,
    "published": pl.Date,
    "date_source": pl.String,
    "error": pl.String,
    "key": pl.String,
}

ANNOTATED = {
    "doc_id": pl.String,
    "n_sentences": pl.Int32,
    "n_entities": pl.Int32,
    "n_quotes": pl.Int32,
    "entities_model": pl.String,
    "entities_reason": pl.String,
    "error": pl.String,
    "key": pl.String,
}

# One row per resolved place (GeoNames id; regions and user places have negative ids).
PLACE_COLUMNS = {
    "place_id": pl.Int64,
    "name": pl.String,
    "country_code": pl.String,
    "admin1": pl.String,
    "admin1_name": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "population": pl.Int64,
    "feature": pl.String,
}

SENTENCES = {
    "doc_id": pl.String,
    "sentence_idx": pl.Int32,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
}

ENTITIES = {
    "doc_id": pl.String,
    "entity_idx": pl.Int32,
    "sentence_idx": pl.Int32,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
    "label": pl.String,
    "model_label": pl.String,
    "canonical": pl.String,
    "date_value": pl.Date,
    "place_id": pl.Int64,
    "place_reason": pl.String,
}

# One row per direct quote: start/end index documents.text (the words between the marks);
# speaker_entity_idx points into entities (null for a speaker that is no entity mention).
QUOTES = {
    "doc_id": pl.String,
    "quote_idx": pl.Int32,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
    "speaker": pl.String,
    "speaker_canonical": pl.String,
    "speaker_entity_idx": pl.Int32,
    "cue": pl.String,
    "sentence_idx": pl.Int32,
}

# A stage's rows are the published rows plus the reuse key (and, for entities, the resolved
# place's columns, carried to assemble, which makes the places table of them).
SENTENCE_ROWS = {**SENTENCES, "key": pl.String}

ENTITY_ROWS = {
    **ENTITIES,
    **{f"place_{name}": dtype for name, dtype in list(PLACE_COLUMNS.items())[1:]},
    "key": pl.String,
}

QUOTE_ROWS = {**QUOTES, "key": pl.String}

# Whole-corpus stories (rule ``stories``, one file per run): each document's story; its linked
# pairs are the rows of the published ``DUPLICATES``.
STORY_ROWS = {
    "doc_id": pl.String,
    "story_id": pl.String,
    "duplicate_of": pl.String,
    "story_size": pl.Int32,
}

# --- published tables -------------------------------------------------------------------------

DOCUMENTS = {
    "doc_id": pl.String,
    "source_sha256": pl.String,
    "format": pl.String,
    "encoding": pl.String,
    "size_bytes": pl.Int64,
    "status": pl.String,
    "status_detail": pl.String,
    "title": pl.String,
    "author": pl.String,
    "sitename": pl.String,
    "url": pl.String,
    "text": pl.String,
    "language": pl.String,
    "language_score": pl.Float64,
    "language_reason": pl.String,
    "published": pl.Date,
    "date_source": pl.String,
    "n_sentences": pl.Int32,
    "n_entities": pl.Int32,
    "n_quotes": pl.Int32,
    "entities_model": pl.String,
    "entities_reason": pl.String,
    "removed_chars": pl.Int64,
    "story_id": pl.String,
    "duplicate_of": pl.String,
    "pipeline_version": pl.String,
    "config_hash": pl.String,
}

PLACES = PLACE_COLUMNS

REMOVED = {
    "doc_id": pl.String,
    "seq": pl.Int32,
    "kind": pl.String,
    "rule": pl.String,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
}

# One row per linked pair (``doc_id < other_doc_id``; ``kind`` exact or near, ``similarity`` the
# shorter text's share of shingles found in the other).
DUPLICATES = {
    "doc_id": pl.String,
    "other_doc_id": pl.String,
    "kind": pl.String,
    "similarity": pl.Float64,
}

PUBLISHED = {
    "documents": DOCUMENTS,
    "sentences": SENTENCES,
    "entities": ENTITIES,
    "removed": REMOVED,
    "quotes": QUOTES,
    "duplicates": DUPLICATES,
    "places": PLACES,
}

# Tables whose rows come from the change set's ``stories`` job (the whole corpus), not from a
# batch's assemble; publish replaces the rows of the doc_ids that job names.
CHANGESET_TABLES = ("duplicates",)
# The documents columns the stories job decides (publish joins them in).
STORY_COLUMNS = ("story_id", "duplicate_of")

# Sort order that makes every table's content independent of job order and -j.
SORT_KEYS = {
    "documents": ["doc_id"],
    "sentences": ["doc_id", "sentence_idx"],
    "entities": ["doc_id", "entity_idx"],
    "removed": ["doc_id", "seq"],
    "quotes": ["doc_id", "quote_idx"],
    "duplicates": ["doc_id", "other_doc_id"],
    "places": ["place_id"],
}


# --- internal state (under results/state, never published) -------------------------------------

# What the last publish saw of every document: the listing (size, modification time, or why it
# is not opened), the content hash and the fingerprint of the code and settings that made its
# rows. The next run compares the folder's listing with it to find the change set.
CATALOG = {
    "doc_id": pl.String,
    "size": pl.Int64,
    "mtime_ns": pl.Int64,
    "listing_status": pl.String,
    "listing_detail": pl.String,
    "source_sha256": pl.String,
    "fingerprint": pl.String,
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Select and cast ``frame`` to ``schema`` (missing columns become typed nulls)."""
    columns = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    ]
    return frame.select(columns)
