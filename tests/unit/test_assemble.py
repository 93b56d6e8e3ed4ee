"""Assembling a shard: entities find their sentence, statuses say the first thing that failed."""

from __future__ import annotations

import polars as pl

from newscorpus.stages.assemble import sentence_of, table_digest


def test_each_entity_gets_the_sentence_that_contains_it():
    sentences = pl.DataFrame(
        {"doc_id": ["a", "a", "b"], "sentence_idx": [0, 1, 0], "start": [0, 20, 0]}
    )
    entities = pl.DataFrame(
        {"doc_id": ["a", "a", "b"], "entity_idx": [0, 1, 0], "start": [3, 25, 40]}
    )
    found = sentence_of(entities, sentences).sort("doc_id", "entity_idx")
    assert found["sentence_idx"].to_list() == [0, 1, 0]


def test_an_entity_of_a_document_without_sentences_gets_sentence_zero():
    sentences = pl.DataFrame(
        schema={"doc_id": pl.String, "sentence_idx": pl.Int32, "start": pl.Int64}
    )
    entities = pl.DataFrame(
        {"doc_id": ["a"], "entity_idx": [0], "start": [5]}, schema_overrides={"start": pl.Int64}
    )
    assert sentence_of(entities, sentences)["sentence_idx"].to_list() == [0]


def test_equal_frames_share_a_digest_and_changed_content_does_not():
    frame = pl.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"]})
    assert table_digest(frame) == table_digest(frame.clone())
    assert table_digest(frame) != table_digest(frame.with_columns(pl.lit("z").alias("text")))
