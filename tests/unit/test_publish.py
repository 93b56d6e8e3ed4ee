"""Publishing: one commit per changed table, none when nothing changed, old versions kept."""

from __future__ import annotations

import json

import polars as pl
import pytest

from newscorpus.stages.assemble import table_digest
from newscorpus.tables import schemas
from newscorpus.tables.load import history, load
from newscorpus.tables.publish import publish
from newscorpus.util.files import write_json, write_parquet


def _write_shard(root, shard: int, doc_ids: list[str], text: str = "Kyiv.") -> dict[str, str]:
    frames = {
        "documents": pl.DataFrame(
            {"doc_id": doc_ids, "status": ["ok"] * len(doc_ids), "text": [text] * len(doc_ids)}
        ),
        "sentences": pl.DataFrame(
            {
                "doc_id": doc_ids,
                "sentence_idx": [0] * len(doc_ids),
                "start": [0] * len(doc_ids),
                "end": [len(text)] * len(doc_ids),
                "text": [text] * len(doc_ids),
            }
        ),
        "entities": pl.DataFrame(
            {
                "doc_id": doc_ids,
                "entity_idx": [0] * len(doc_ids),
                "text": ["Kyiv"] * len(doc_ids),
                "label": ["GPE"] * len(doc_ids),
            }
        ),
        "removed": pl.DataFrame({"doc_id": doc_ids[:0]}, schema={"doc_id": pl.String}),
        "duplicates": pl.DataFrame({"doc_id": doc_ids[:0]}, schema={"doc_id": pl.String}),
    }
    paths, digests = {}, {}
    for name, frame in frames.items():
        frame = schemas.conform(frame.with_columns(shard=pl.lit(shard)), schemas.PUBLISHED[name])
        paths[name] = str(root / f"{shard}.{name}.parquet")
        write_parquet(frame, paths[name])
        digests[name] = table_digest(frame)
    paths["digest"] = str(root / f"{shard}.digest.json")
    write_json({"digests": digests}, paths["digest"])
    return paths


@pytest.fixture
def results(tmp_path):
    (tmp_path / "shards").mkdir()
    return tmp_path


def _publish(results, shards):
    return publish(results / "tables", shards, "0.1.0", "abc")


def _committed(summary):
    return {t["table"]: t["committed"] for t in summary["tables"]}


def test_first_publish_creates_every_table_as_version_zero(results):
    shards = {
        0: _write_shard(results / "shards", 0, ["a.txt"]),
        1: _write_shard(results / "shards", 1, ["b.txt"]),
    }
    summary = _publish(results, shards)
    assert all(_committed(summary).values())
    docs = load("documents", str(results)).collect()
    assert sorted(docs["doc_id"].to_list()) == ["a.txt", "b.txt"]


def test_publishing_the_same_shards_again_commits_nothing(results):
    shards = {0: _write_shard(results / "shards", 0, ["a.txt"])}
    _publish(results, shards)
    summary = _publish(results, shards)
    assert not any(_committed(summary).values())
    assert history("documents", str(results)).height == 1


def test_a_changed_shard_is_rewritten_and_others_kept(results):
    shards = {
        0: _write_shard(results / "shards", 0, ["a.txt"]),
        1: _write_shard(results / "shards", 1, ["b.txt"]),
    }
    _publish(results, shards)
    shards[1] = _write_shard(results / "shards", 1, ["b.txt"], text="Lviv.")
    summary = _publish(results, shards)
    documents = next(t for t in summary["tables"] if t["table"] == "documents")
    assert documents["changed_shards"] == [1] and documents["version"] == 1
    new = load("documents", str(results)).collect().sort("doc_id")
    old = load("documents", str(results), version=0).collect().sort("doc_id")
    assert new["text"].to_list() == ["Kyiv.", "Lviv."]
    assert old["text"].to_list() == ["Kyiv.", "Kyiv."]
    meta = history("documents", str(results))
    assert json.loads(meta["changed_shards"][0]) == [1]


def test_a_removed_document_disappears_from_the_new_version_only(results):
    shards = {0: _write_shard(results / "shards", 0, ["a.txt", "c.txt"])}
    _publish(results, shards)
    shards[0] = _write_shard(results / "shards", 0, ["a.txt"])
    _publish(results, shards)
    assert load("documents", str(results)).collect()["doc_id"].to_list() == ["a.txt"]
    assert sorted(load("documents", str(results), version=0).collect()["doc_id"]) == [
        "a.txt",
        "c.txt",
    ]


def test_fewer_shards_remove_the_rows_of_shards_that_no_longer_exist(results):
    shards = {
        0: _write_shard(results / "shards", 0, ["a.txt"]),
        1: _write_shard(results / "shards", 1, ["b.txt"]),
    }
    _publish(results, shards)
    _publish(results, {0: _write_shard(results / "shards", 0, ["a.txt", "b.txt"])})
    docs = load("documents", str(results)).collect()
    assert sorted(docs["doc_id"].to_list()) == ["a.txt", "b.txt"]
    assert docs["shard"].to_list() == [0, 0]


def test_load_rejects_unknown_tables():
    with pytest.raises(ValueError, match="unknown table"):
        load("people")


def test_tables_can_be_published_to_and_read_from_a_uri(results):
    uri = (results / "elsewhere").as_uri()  # file:///...: what works for s3:// works here
    shards = {0: _write_shard(results / "shards", 0, ["a.txt"])}
    summary = publish(uri, shards, "0.1.0", "abc")
    assert all(_committed(summary).values())
    docs = load("documents", "unused-results-dir", tables_uri=uri).collect()
    assert docs["doc_id"].to_list() == ["a.txt"]
    assert not any(_committed(publish(uri, shards, "0.1.0", "abc")).values())
