"""Assembling a shard: content digests that find the shards whose rows changed."""

from __future__ import annotations

import polars as pl
from hash_seeds import output_in_fresh_processes

from newscorpus.stages.assemble import table_digest


def test_changed_content_or_column_types_change_the_digest():
    frame = pl.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"]})
    assert table_digest(frame) != table_digest(frame.with_columns(pl.lit("z").alias("text")))
    assert table_digest(frame) != table_digest(frame.head(1))
    assert table_digest(frame.head(0)) != table_digest(frame.cast({"text": pl.Categorical}).head(0))


def test_the_digest_is_the_same_in_every_process():
    # publish compares digests written by earlier runs, so the digest of equal rows must not
    # depend on the process (Python's hash() is salted per process; this one must not be).
    code = (
        "import polars as pl; from newscorpus.stages.assemble import table_digest\n"
        "print(table_digest(pl.DataFrame({'doc_id': ['a', 'b'], 'text': ['x', None]})))"
    )
    first, second = output_in_fresh_processes(code)
    here = table_digest(pl.DataFrame({"doc_id": ["a", "b"], "text": ["x", None]}))
    assert first == second == here + "\n"
