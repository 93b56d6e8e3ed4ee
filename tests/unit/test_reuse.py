"""The per-shard reuse cache: hits by content key, never stale, robust to damage."""

from __future__ import annotations

import polars as pl

from newscorpus.stages.reuse import StageCache

DOCS = {"doc_id": pl.String, "value": pl.Int64, "key": pl.String}
ROWS = {"doc_id": pl.String, "idx": pl.Int32, "key": pl.String}


def _outputs():
    docs = pl.DataFrame({"doc_id": ["a", "b"], "value": [1, 2], "key": ["ka", "kb"]}, schema=DOCS)
    rows = pl.DataFrame(
        {"doc_id": ["a", "a", "b"], "idx": [0, 1, 0], "key": ["ka", "ka", "kb"]}, schema=ROWS
    )
    return {"docs": docs, "rows": rows}


def test_stored_rows_are_found_by_key_under_any_doc_id(tmp_path):
    cache = StageCache(tmp_path, "stage", 0, {"docs": DOCS, "rows": ROWS})
    cache.store(_outputs())
    wanted = pl.DataFrame({"doc_id": ["renamed", "new"], "key": ["ka", "kx"]})
    cached, todo = cache.lookup(wanted)
    assert cached["docs"]["doc_id"].to_list() == ["renamed"]
    assert cached["docs"]["value"].to_list() == [1]
    assert sorted(cached["rows"]["idx"].to_list()) == [0, 1]
    assert set(cached["rows"]["doc_id"]) == {"renamed"}
    assert todo["doc_id"].to_list() == ["new"]


def test_a_changed_key_is_a_miss(tmp_path):
    cache = StageCache(tmp_path, "stage", 0, {"docs": DOCS, "rows": ROWS})
    cache.store(_outputs())
    cached, todo = cache.lookup(pl.DataFrame({"doc_id": ["a"], "key": ["ka-new-settings"]}))
    assert cached["docs"].height == 0 and todo["doc_id"].to_list() == ["a"]


def test_a_damaged_cache_is_ignored_not_fatal(tmp_path):
    cache = StageCache(tmp_path, "stage", 0, {"docs": DOCS, "rows": ROWS})
    cache.store(_outputs())
    cache.paths["docs"].write_bytes(b"not parquet")
    cached, todo = cache.lookup(pl.DataFrame({"doc_id": ["a"], "key": ["ka"]}))
    assert cached["docs"].height == 0 and todo.height == 1


def test_identical_documents_are_stored_once(tmp_path):
    cache = StageCache(tmp_path, "stage", 0, {"docs": DOCS})
    docs = pl.DataFrame({"doc_id": ["a", "b"], "value": [1, 1], "key": ["k", "k"]}, schema=DOCS)
    cache.store({"docs": docs})
    assert pl.read_parquet(cache.paths["docs"]).height == 1
