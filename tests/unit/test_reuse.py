"""The reuse cache and the shared stage loop: hits by content key, never stale, robust to damage,
and a change upstream that changes what a stage reads recomputes that stage."""

from __future__ import annotations

import polars as pl

from newscorpus.stages import clean
from newscorpus.stages.common import Stage, run_stage
from newscorpus.stages.reuse import ReuseStore, compact
from newscorpus.tables import schemas
from newscorpus.util.files import write_parquet

DOCS = {"doc_id": pl.String, "value": pl.Int64, "key": pl.String}
ROWS = {"doc_id": pl.String, "idx": pl.Int32, "key": pl.String}


def _outputs():
    docs = pl.DataFrame({"doc_id": ["a", "b"], "value": [1, 2], "key": ["ka", "kb"]}, schema=DOCS)
    rows = pl.DataFrame(
        {"doc_id": ["a", "a", "b"], "idx": [0, 1, 0], "key": ["ka", "ka", "kb"]}, schema=ROWS
    )
    return {"docs": docs, "rows": rows}


def _store(tmp_path, batch="b1"):
    return ReuseStore(tmp_path, "stage", "code1", batch, {"docs": DOCS, "rows": ROWS})


def test_stored_rows_are_found_by_key_under_any_doc_id(tmp_path):
    _store(tmp_path).store(_outputs())
    wanted = pl.DataFrame({"doc_id": ["renamed", "new"], "key": ["ka", "kx"]})
    cached, todo = _store(tmp_path, "b2").lookup(wanted)
    assert cached["docs"]["doc_id"].to_list() == ["renamed"]
    assert cached["docs"]["value"].to_list() == [1]
    assert sorted(cached["rows"]["idx"].to_list()) == [0, 1]
    assert set(cached["rows"]["doc_id"]) == {"renamed"}
    assert todo["doc_id"].to_list() == ["new"]


def test_a_key_in_two_segments_gives_the_rows_of_one(tmp_path):
    _store(tmp_path, "b1").store(_outputs())
    _store(tmp_path, "b2").store(_outputs())
    cached, _ = _store(tmp_path, "b3").lookup(pl.DataFrame({"doc_id": ["a"], "key": ["ka"]}))
    assert sorted(cached["rows"]["idx"].to_list()) == [0, 1]


def test_a_changed_key_is_a_miss(tmp_path):
    _store(tmp_path).store(_outputs())
    wanted = pl.DataFrame({"doc_id": ["a"], "key": ["ka-new-settings"]})
    cached, todo = _store(tmp_path, "b2").lookup(wanted)
    assert cached["docs"].height == 0 and todo["doc_id"].to_list() == ["a"]


def test_a_segment_without_its_marker_is_never_read(tmp_path):
    store = _store(tmp_path)
    store.store(_outputs())
    (store.folder / "b1.done").unlink()  # killed before the marker
    cached, todo = _store(tmp_path, "b2").lookup(pl.DataFrame({"doc_id": ["a"], "key": ["ka"]}))
    assert cached["docs"].height == 0 and todo.height == 1


def test_a_damaged_cache_is_ignored_not_fatal(tmp_path):
    store = _store(tmp_path)
    store.store(_outputs())
    (store.folder / "b1.docs.parquet").write_bytes(b"not parquet")
    cached, todo = _store(tmp_path, "b2").lookup(pl.DataFrame({"doc_id": ["a"], "key": ["ka"]}))
    assert cached["docs"].height == 0 and todo.height == 1


def test_identical_documents_are_stored_once(tmp_path):
    store = ReuseStore(tmp_path, "stage", "code1", "b1", {"docs": DOCS})
    docs = pl.DataFrame({"doc_id": ["a", "b"], "value": [1, 1], "key": ["k", "k"]}, schema=DOCS)
    store.store({"docs": docs})
    assert pl.read_parquet(store.folder / "b1.docs.parquet").height == 1


def test_compaction_merges_segments_and_drops_other_code_versions(tmp_path):
    _store(tmp_path, "b1").store(_outputs())
    _store(tmp_path, "b2").store(_outputs())
    ReuseStore(tmp_path, "stage", "old-code", "b0", {"docs": DOCS}).store(
        {"docs": _outputs()["docs"]}
    )
    assert compact(tmp_path, {"stage": "code1"}) == {"stage": 2}
    store = _store(tmp_path, "b3")
    assert len(store.segments()) == 1 and not (tmp_path / "stage" / "old-code").exists()
    cached, todo = store.lookup(pl.DataFrame({"doc_id": ["x", "y"], "key": ["ka", "kb"]}))
    assert todo.height == 0 and cached["rows"].height == 3


def _counting_stage(calls: list[str]) -> Stage:
    def compute(todo: pl.DataFrame, settings: dict) -> dict[str, list[dict]]:
        calls.extend(todo["doc_id"].to_list())
        return {
            "docs": [
                {"doc_id": d, "value": len(t), "key": k}
                for d, t, k in todo.select("doc_id", "text", "key").iter_rows()
            ]
        }

    return Stage(
        name="count",
        version="1",
        sources=(),
        tables={"docs": DOCS},
        sort_keys={"docs": ["doc_id"]},
        key_columns=("text",),
        failed=lambda: pl.lit(False),
        compute=compute,
    )


def test_the_loop_reuses_equal_inputs_and_recomputes_changed_ones(tmp_path):
    calls: list[str] = []
    stage = _counting_stage(calls)
    out = {"docs": str(tmp_path / "out.parquet")}
    first = pl.DataFrame({"doc_id": ["a", "b"], "text": ["one", "two"]})
    run_stage(stage, first, {}, str(tmp_path / "cache"), "b1", out)
    second = pl.DataFrame({"doc_id": ["a", "b", "c"], "text": ["one", "twenty", "one"]})
    result = run_stage(stage, second, {}, str(tmp_path / "cache"), "b2", out)
    assert calls == ["a", "b", "b"]  # c has a's text: reused under its own doc_id
    assert result["docs"]["value"].to_list() == [3, 6, 3]
    run_stage(stage, second, {"setting": 1}, str(tmp_path / "cache"), "b3", out)
    assert calls[3:] == ["a", "b", "c"]  # another setting: nothing reused
    run_stage(stage, second, {"setting": 1}, str(tmp_path / "cache"), "b4", out, reuse=False)
    assert calls[6:] == ["a", "b", "c"]  # force: nothing reused


def _ingested(path, raw_text: str) -> str:
    frame = pl.DataFrame(
        {
            "doc_id": ["a.txt"],
            "format": ["txt"],
            "source_sha256": ["same-source-file"],
            "status": ["ok"],
            "raw_text": [raw_text],
        }
    )
    write_parquet(schemas.conform(frame, schemas.INGESTED), path)
    return str(path)


def test_clean_is_recomputed_when_the_decoded_text_changes_with_the_same_source(tmp_path):
    # A change to decoding gives another text from the same file: cleaning must not serve the
    # text cleaned from the old decoding (its key was the source hash before).
    settings = {
        "extra_markers": {},
        "structure_tails": True,
        "drop_repeats": True,
        "favor_precision": False,
        "favor_recall": False,
    }
    out = (str(tmp_path / "docs.parquet"), str(tmp_path / "removed.parquet"))
    cache = str(tmp_path / "cache")
    old = _ingested(tmp_path / "old.parquet", "Caf\u00c3\u00a9 in Kyiv opened on Monday.")
    clean.run(old, settings, cache, "b1", *out)
    assert "Caf\u00c3\u00a9" in pl.read_parquet(out[0])["text"][0]
    new = _ingested(tmp_path / "new.parquet", "Caf\u00e9 in Kyiv opened on Monday.")
    clean.run(new, settings, cache, "b2", *out)
    assert pl.read_parquet(out[0])["text"][0].startswith("Caf\u00e9 in Kyiv")
