"""Assembling a shard: content digests that find the shards whose rows changed."""

from __future__ import annotations

import polars as pl

from newscorpus.stages.assemble import table_digest


def test_equal_frames_share_a_digest_and_changed_content_does_not():
    frame = pl.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"]})
    assert table_digest(frame) == table_digest(frame.clone())
    assert table_digest(frame) != table_digest(frame.with_columns(pl.lit("z").alias("text")))
