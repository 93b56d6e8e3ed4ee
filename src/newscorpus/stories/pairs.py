"""Which documents are copies of one another: candidate pairs from shared LSH band keys or an
equal exact hash, each candidate then checked on its exact shingles.

The check is what tells a copy from a different article on the same subject. A copy (republished
wire story, a trim, a correction, an update that carries the earlier body over) shares most of
the shorter text's shingles. A next-day follow-up or a preview against a result can share as
much background, but it is written around a new lead and headline. So a pair is linked when the
shorter text is almost wholly contained in the longer one (``containment_high``), or when it is
mostly contained (``containment_low``) and the two also share their lead (``lead_min`` of one
lead's shingles found in the other text) or their headline (``headline_min``, Jaccard of the
headline words). A shared boilerplate block or a common quote is a small part of a whole article,
so it never reaches ``containment_low`` on its own; texts under ``min_shingles`` are only ever
linked as exact copies.

Every decision looks at the two documents only, so the set of linked pairs is a function of the
corpus, whatever order or batch the documents came in.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from newscorpus.stories.signatures import estimated_jaccard

PAIR = {"doc_id": pl.String, "other_doc_id": pl.String}
# Candidates whose estimated containment (from the MinHash Jaccard and the set sizes) falls this
# far below containment_low are not checked: at 128 values the estimate's error is a few points.
_PREFILTER_MARGIN = 0.2
_PREFILTER_SLICE = 100_000  # pairs compared at once (two 128-value rows each: about 100 MB)


def ordered(frame: pl.DataFrame, left: str, right: str) -> pl.DataFrame:
    """``doc_id < other_doc_id`` pairs, without self pairs and repeats."""
    return (
        frame.filter(pl.col(left) != pl.col(right))
        .select(
            doc_id=pl.min_horizontal(left, right),
            other_doc_id=pl.max_horizontal(left, right),
        )
        .unique()
    )


def band_candidates(new_bands: pl.DataFrame, all_bands: pl.DataFrame) -> pl.DataFrame:
    """Pairs sharing a band key, one side among ``new_bands`` (``doc_id, key``)."""
    joined = new_bands.join(all_bands, on="key", suffix="_other")
    return ordered(joined, "doc_id", "doc_id_other")


def exact_pairs(new_docs: pl.DataFrame, all_docs: pl.DataFrame) -> pl.DataFrame:
    """Pairs with equal exact hashes (``doc_id, exact_hash``), one side among ``new_docs``."""
    joined = new_docs.join(all_docs, on="exact_hash", suffix="_other")
    return ordered(joined, "doc_id", "doc_id_other")


def plausible(
    signatures: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    left_sizes: np.ndarray,
    right_sizes: np.ndarray,
    containment_low: float,
) -> np.ndarray:
    """Whether each candidate pair (rows ``left[i]`` and ``right[i]`` of ``signatures``, with
    those shingle counts) can reach ``containment_low`` by its MinHash estimate: the pairs
    worth checking on their exact shingles."""
    keep = np.zeros(len(left), dtype=bool)
    left_sizes = np.asarray(left_sizes, dtype=np.float64)
    right_sizes = np.asarray(right_sizes, dtype=np.float64)
    # A slice of pairs at a time: each pair's two signature rows are copied to compare them.
    for at in range(0, len(left), _PREFILTER_SLICE):
        part = slice(at, at + _PREFILTER_SLICE)
        jaccard = estimated_jaccard(signatures[left[part]], signatures[right[part]])
        size_left, size_right = left_sizes[part], right_sizes[part]
        shared = jaccard * (size_left + size_right) / (1.0 + jaccard)
        containment = shared / np.maximum(1, np.minimum(size_left, size_right))
        keep[part] = containment >= containment_low - _PREFILTER_MARGIN
    return keep


def measure(pairs: pl.DataFrame, lists: pl.DataFrame) -> pl.DataFrame:
    """Exact overlap figures of each pair, from ``lists`` (``doc_id, shingles, lead,
    headline``): ``containment`` (shared shingles over the smaller set), ``jaccard``,
    ``lead`` (the larger share of one lead's shingles found in the other text), ``headline``
    (Jaccard of the headline words) and ``min_shingles``."""
    if pairs.height == 0:
        return pairs.with_columns(
            **{c: pl.lit(None, pl.Float64) for c in ("containment", "jaccard", "lead", "headline")},
            min_shingles=pl.lit(None, pl.Int64),
        )
    needed = pl.concat([pairs["doc_id"], pairs["other_doc_id"]]).unique()
    lists = lists.filter(pl.col("doc_id").is_in(needed.implode()))
    sizes = lists.select(
        "doc_id",
        n=pl.col("shingles").list.len(),
        n_lead=pl.col("lead").list.len(),
        n_headline=pl.col("headline").list.len(),
    )
    shingle_rows = lists.select("doc_id", shingle="shingles").explode(
        "shingle", empty_as_null=False
    )
    lead_rows = lists.select("doc_id", shingle="lead").explode("shingle", empty_as_null=False)
    head_rows = lists.select("doc_id", shingle="headline").explode("shingle", empty_as_null=False)

    def shared(left_rows: pl.DataFrame, right_rows: pl.DataFrame, name: str) -> pl.DataFrame:
        joined = pairs.join(left_rows, left_on="doc_id", right_on="doc_id").join(
            right_rows, left_on=["other_doc_id", "shingle"], right_on=["doc_id", "shingle"]
        )
        return joined.group_by("doc_id", "other_doc_id").agg(pl.len().alias(name))

    counts = pairs
    for frame in (
        shared(shingle_rows, shingle_rows, "shared"),
        shared(lead_rows, shingle_rows, "lead_in_other"),
        shared(shingle_rows, lead_rows, "other_lead_in"),
        shared(head_rows, head_rows, "shared_headline"),
    ):
        counts = counts.join(frame, on=["doc_id", "other_doc_id"], how="left")
    left = sizes.rename({c: f"{c}_left" for c in ("n", "n_lead", "n_headline")})
    right = sizes.rename({c: f"{c}_right" for c in ("n", "n_lead", "n_headline")})
    counts = (
        counts.join(left, on="doc_id")
        .join(right, left_on="other_doc_id", right_on="doc_id")
        .fill_null(0)
    )
    smaller = pl.min_horizontal("n_left", "n_right")
    union_headline = (
        pl.col("n_headline_left") + pl.col("n_headline_right") - pl.col("shared_headline")
    )
    return counts.select(
        "doc_id",
        "other_doc_id",
        containment=pl.col("shared") / pl.max_horizontal(smaller, pl.lit(1)),
        jaccard=pl.col("shared")
        / pl.max_horizontal(pl.col("n_left") + pl.col("n_right") - pl.col("shared"), pl.lit(1)),
        lead=pl.max_horizontal(
            pl.col("lead_in_other") / pl.max_horizontal("n_lead_left", pl.lit(1)),
            pl.col("other_lead_in") / pl.max_horizontal("n_lead_right", pl.lit(1)),
        ),
        headline=pl.when(union_headline > 0)
        .then(pl.col("shared_headline") / union_headline)
        .otherwise(0.0),
        min_shingles=smaller.cast(pl.Int64),
    )


def linked(measured: pl.DataFrame, settings: dict) -> pl.Expr:
    """Whether a measured pair is a copy (see the module's docstring)."""
    containment = pl.col("containment")
    shares_opening = (pl.col("lead") >= settings["lead_min"]) | (
        pl.col("headline") >= settings["headline_min"]
    )
    return (pl.col("min_shingles") >= settings["min_shingles"]) & (
        (containment >= settings["containment_high"])
        | ((containment >= settings["containment_low"]) & shares_opening)
    )


def decide(measured: pl.DataFrame, settings: dict) -> pl.DataFrame:
    """``doc_id, other_doc_id, kind, similarity`` of the measured pairs that are copies."""
    return measured.filter(linked(measured, settings)).select(
        "doc_id",
        "other_doc_id",
        kind=pl.lit("near"),
        similarity=pl.col("containment").round(4),
    )
