"""Stories from linked pairs: connected components, each named after its first member.

The first member is the earliest by publication date (documents without a date after dated
ones), then the smallest ``doc_id``: a choice made by the data, never by arrival order, so a
corpus built over many days gets the same stories as one built at once.
"""

from __future__ import annotations

import polars as pl

from newscorpus.tables.schemas import STORY_ROWS


def components(doc_ids: list[str], links: pl.DataFrame) -> dict[str, str]:
    """doc_id -> a representative of its connected component (union-find over ``links``)."""
    parent = {doc_id: doc_id for doc_id in doc_ids}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in links.select("doc_id", "other_doc_id").iter_rows():
        if left not in parent or right not in parent:
            continue
        a, b = root(left), root(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {doc_id: root(doc_id) for doc_id in doc_ids}


def assign(docs: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """``doc_id, story_id, duplicate_of, story_size`` for ``docs`` (``doc_id, published``)."""
    component = components(docs["doc_id"].to_list(), links)
    frame = docs.select("doc_id", "published").with_columns(
        component=pl.col("doc_id").replace_strict(component, return_dtype=pl.String)
    )
    first = (
        frame.sort(["published", "doc_id"], nulls_last=True)
        .group_by("component", maintain_order=True)
        .agg(story_id=pl.col("doc_id").first(), story_size=pl.len().cast(pl.Int32))
    )
    out = frame.join(first, on="component").select(
        "doc_id",
        "story_id",
        duplicate_of=pl.when(pl.col("story_id") != pl.col("doc_id")).then(pl.col("story_id")),
        story_size="story_size",
    )
    return out.cast(STORY_ROWS).sort("doc_id")
