"""Stories stage: one job per change set, over the batch documents and the published corpus.

Signatures are computed for the change set's documents only and looked up by band key in the
index kept under ``{results_dir}/stories/index`` (:mod:`newscorpus.stories.store`); the stories
of the documents in a link are computed again and every document's story columns compared with
the published ``documents`` story columns and ``duplicates`` rows, so publish
rewrites exactly the rows that changed: the batch documents', and those of the documents whose
story or links an added, edited or removed copy changed. The published tables are the truth the
comparison is made against (the index is a cache), so a run killed anywhere is finished right.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from newscorpus import stories
from newscorpus.stages.common import log_counts
from newscorpus.tables import schemas
from newscorpus.tables.load import Published, read_published
from newscorpus.tables.location import table_uri
from newscorpus.util.files import write_json, write_parquet

_TEXT = ("doc_id", "title", "text", "published", "source_sha256")


def with_text(frame: pl.DataFrame) -> pl.DataFrame:
    """The documents that take part in stories: status ok (their clean text is published)."""
    return frame.filter(pl.col("status") == "ok")


def run(
    changes_file: str,
    documents: list[str],
    tables_uri: str,
    state_uri: str,
    index_dir: str | Path,
    settings: dict,
    out_stories: str,
    out_duplicates: str,
    out_replace: str,
) -> None:
    changes = json.loads(Path(changes_file).read_text(encoding="utf-8"))
    batch = (
        pl.concat([pl.read_parquet(path, columns=[*_TEXT, "status"]) for path in documents])
        if documents
        else schemas.empty(schemas.DOCUMENTS).select(*_TEXT, "status")
    )
    changed_ids = sorted(set(batch["doc_id"].to_list()) | set(changes["removed"]))
    catalog = read_published(state_uri, ["doc_id"])
    # One version of documents for both reads (the corpus' columns, then a few texts).
    documents_table = Published.open(table_uri("documents", tables_uri=tables_uri))
    published = None
    if documents_table is not None:
        published = documents_table.read(
            ["doc_id", "status", "published", "source_sha256", "story_id", "duplicate_of"]
        )
    if catalog is None or published is None:
        published = schemas.empty(schemas.DOCUMENTS).select(
            "doc_id", "status", "published", "source_sha256", "story_id", "duplicate_of"
        )
    else:
        # The corpus outside the change set: what the catalog says is published.
        published = published.join(catalog, on="doc_id", how="semi")
    rest = with_text(published).filter(~pl.col("doc_id").is_in(changed_ids))
    links = read_published(table_uri("duplicates", tables_uri=tables_uri), list(schemas.DUPLICATES))
    if links is None or catalog is None:
        links = schemas.empty(schemas.DUPLICATES)

    def texts_of(doc_ids: list[str]) -> pl.DataFrame:
        return documents_table.read(["doc_id", "title", "text"], doc_ids).cast(
            {"doc_id": pl.String, "title": pl.String, "text": pl.String}
        )

    result = stories.update_changes(
        with_text(batch).drop("status").cast({"published": pl.Date}),
        rest.cast({"published": pl.Date}),
        links,
        published.select("doc_id", "story_id", "duplicate_of").cast(pl.String),
        texts_of,
        index_dir,
        settings,
        changed_ids,
    )
    write_parquet(schemas.conform(result.stories, schemas.STORY_ROWS), out_stories)
    write_parquet(schemas.conform(result.duplicates, schemas.DUPLICATES), out_duplicates)
    write_json(
        {"documents": result.documents_ids, "duplicates": result.duplicates_ids}, out_replace
    )
    log_counts("stories", **result.counts)
