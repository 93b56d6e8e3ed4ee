"""Publishing: one commit per changed table, none when nothing changed, old versions kept."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest

from newscorpus.cli import main
from newscorpus.stages.assemble import table_digest
from newscorpus.tables import TABLES, schemas
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


def test_history_gives_commit_times_as_utc_datetimes(results):
    _publish(results, {0: _write_shard(results / "shards", 0, ["a.txt"])})
    stamps = history("documents", str(results))["timestamp"]
    assert isinstance(stamps.dtype, pl.Datetime) and stamps.dtype.time_zone == "UTC"
    # a commit of this test run, not of 1970 or of the year 57,000 (milliseconds read as seconds)
    assert stamps[0].year >= 2024 and stamps[0].tzinfo is not None
    committed = (results / "tables" / "documents" / "_delta_log").stat().st_mtime
    assert abs(stamps[0].timestamp() - committed) < 120


def test_history_command_prints_readable_dates_not_epoch_milliseconds(results, capsys):
    _publish(results, {0: _write_shard(results / "shards", 0, ["a.txt"])})
    assert main(["history", "documents", "--results", str(results)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\b20\d\d-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? UTC\b", out), out
    assert not re.search(r"\b\d{13}\b", out), out


def test_history_and_vacuum_find_tables_published_to_a_uri(results, capsys):
    uri = (results / "elsewhere").as_uri()
    publish(uri, {0: _write_shard(results / "shards", 0, ["a.txt"])}, "0.1.0", "abc")
    publish(uri, {0: _write_shard(results / "shards", 0, ["a.txt"], "Lviv.")}, "0.1.0", "abc")
    where = ["--results", str(results), "--tables-uri", uri]
    assert main(["history", "documents", *where]) == 0
    assert re.search(r"│ 1 +┆.*\n.*│ 0 +┆", capsys.readouterr().out)
    assert main(["vacuum", *where, "--keep-hours", "0"]) == 0
    removed = dict(re.findall(r"^(\w+): removed (\d+) files$", capsys.readouterr().out, re.M))
    assert set(removed) == set(TABLES)
    assert int(removed["documents"]) == 1  # the file of the replaced version
    assert load("documents", tables_uri=uri).collect()["text"].to_list() == ["Lviv."]


def test_history_of_a_table_that_is_not_there_says_where_it_looked(results, capsys):
    assert main(["history", "documents", "--results", str(results / "nothing")]) == 1
    assert f"no table documents in {results / 'nothing' / 'tables'}" in capsys.readouterr().err
