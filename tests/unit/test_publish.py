"""Publishing a change set: one commit per table, changed documents' rows replaced, the rows of
every other document left in their files, old versions kept, a repeated change set skipped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from deltalake import DeltaTable

from newscorpus.cli import main
from newscorpus.tables import TABLES, schemas
from newscorpus.tables.load import Published, history, load, read_published
from newscorpus.tables.publish import doc_id_predicate, publish
from newscorpus.util.files import write_json, write_parquet


def _batch(root: Path, name: str, doc_ids: list[str], text: str = "Kyiv.") -> dict[str, str]:
    n = len(doc_ids)
    # Documents' texts differ, as real ones do (file sizes then follow the rows).
    texts = [
        text if n < 100 else f"{text} {doc_id} {i * 7919**3}" for i, doc_id in enumerate(doc_ids)
    ]
    frames = {
        "documents": pl.DataFrame({"doc_id": doc_ids, "status": ["ok"] * n, "text": texts}),
        "sentences": pl.DataFrame(
            {"doc_id": doc_ids, "sentence_idx": [0] * n, "end": [len(text)] * n, "text": [text] * n}
        ),
        "entities": pl.DataFrame(
            {"doc_id": doc_ids, "entity_idx": [0] * n, "text": ["Kyiv"] * n, "label": ["GPE"] * n}
        ),
        "removed": pl.DataFrame({"doc_id": doc_ids[:0]}, schema={"doc_id": pl.String}),
        "places": pl.DataFrame(schema={"place_id": pl.Int64}),
        "catalog": pl.DataFrame({"doc_id": doc_ids, "size": [1] * n, "fingerprint": ["f"] * n}),
    }
    for table in TABLES:  # every other published table: no rows
        frames.setdefault(table, pl.DataFrame(schema={"doc_id": pl.String}))
    paths = {}
    for table, frame in frames.items():
        schema = schemas.CATALOG if table == "catalog" else schemas.PUBLISHED[table]
        paths[table] = str(root / f"{name}.{table}.parquet")
        write_parquet(schemas.conform(frame, schema), paths[table])
    return paths


class Results:
    def __init__(self, root: Path):
        self.root = root
        (root / "b").mkdir(parents=True)

    def publish(
        self, changeset: str, batches: dict[str, dict], removed=(), touched=None, **options
    ) -> dict:
        changes = self.root / f"{changeset}.json"
        summary = {"id": changeset, "batches": sorted(batches), "removed": list(removed)}
        write_json({**summary, **({"touched": touched} if touched else {})}, changes)
        return publish(
            self.root / "tables",
            self.root / "state" / "catalog",
            changes,
            batches,
            "0.1.0",
            "abc",
            **options,
        )

    def batch(self, name: str, doc_ids: list[str], text: str = "Kyiv.") -> dict[str, str]:
        return _batch(self.root / "b", name, doc_ids, text)

    def docs(self, version: int | None = None) -> dict[str, str]:
        frame = load("documents", str(self.root), version=version).collect()
        return dict(frame.select("doc_id", "text").iter_rows())


@pytest.fixture
def results(tmp_path) -> Results:
    return Results(tmp_path)


def _committed(summary) -> dict[str, bool]:
    return {t["table"]: t["committed"] for t in summary["tables"]}


def test_first_publish_creates_every_table_and_the_catalog(results):
    summary = results.publish("c1", {"b1": results.batch("b1", ["a.txt", "b.txt"])})
    assert _committed(summary) == {**dict.fromkeys(TABLES, True), "catalog": True}
    assert results.docs() == {"a.txt": "Kyiv.", "b.txt": "Kyiv."}
    assert DeltaTable(str(results.root / "state" / "catalog")).version() == 0


def test_a_changed_document_is_replaced_and_the_files_of_the_others_are_kept(results):
    results.publish("c1", {"b1": results.batch("b1", ["a.txt", "b.txt"])})
    results.publish("c2", {"b2": results.batch("b2", ["c.txt"])})
    files_before = set(DeltaTable(str(results.root / "tables" / "documents")).file_uris())
    summary = results.publish("c3", {"b3": results.batch("b3", ["c.txt"], text="Lviv.")})
    # places is derived: no entity names a place here, so it has nothing new to commit.
    assert _committed(summary) == {**dict.fromkeys(TABLES, True), "places": False, "catalog": True}
    assert results.docs() == {"a.txt": "Kyiv.", "b.txt": "Kyiv.", "c.txt": "Lviv."}
    assert results.docs(version=1) == {"a.txt": "Kyiv.", "b.txt": "Kyiv.", "c.txt": "Kyiv."}
    files_after = set(DeltaTable(str(results.root / "tables" / "documents")).file_uris())
    # The file of a.txt and b.txt is untouched; only c.txt's file was replaced.
    assert len(files_before - files_after) == 1 and len(files_after - files_before) == 1
    meta = history("documents", str(results.root))
    assert meta["changeset"][0] == "c3" and meta["documents_computed"][0] == "1"


def test_new_documents_are_appended_without_rewriting_any_file(results):
    results.publish("c1", {"b1": results.batch("b1", ["a.txt", "b.txt"])})
    before = set(DeltaTable(str(results.root / "tables" / "entities")).file_uris())
    results.publish("c2", {"b2": results.batch("b2", ["c.txt", "d.txt"])})
    after = set(DeltaTable(str(results.root / "tables" / "entities")).file_uris())
    assert before < after and len(after - before) == 1


def test_removed_documents_disappear_from_the_new_version_only(results):
    results.publish("c1", {"b1": results.batch("b1", ["a.txt", "c.txt"])})
    summary = results.publish("c2", {}, removed=["c.txt"])
    # places is derived: no entity names a place here, so it has nothing new to commit.
    assert _committed(summary) == {**dict.fromkeys(TABLES, True), "places": False, "catalog": True}
    assert results.docs() == {"a.txt": "Kyiv."}
    assert results.docs(version=0) == {"a.txt": "Kyiv.", "c.txt": "Kyiv."}
    sentences = load("sentences", str(results.root)).collect()
    assert sentences["doc_id"].to_list() == ["a.txt"]


def test_a_change_set_already_committed_is_not_committed_again(results):
    batches = {"b1": results.batch("b1", ["a.txt"])}
    results.publish("c1", batches)
    results.publish("c2", {"b2": results.batch("b2", ["b.txt"])})
    again = results.publish("c2", {"b2": results.batch("b2", ["b.txt"])})
    assert not any(_committed(again).values())
    assert history("documents", str(results.root)).height == 2


def test_files_retimed_with_the_same_content_get_their_new_time_in_the_catalog_only(results):
    results.publish("c1", {"b1": results.batch("b1", ["a.txt", "b.txt", "c.txt"])})
    catalog = str(results.root / "state" / "catalog")
    before = pl.read_delta(catalog).sort("doc_id")
    entities = DeltaTable(str(results.root / "tables" / "entities")).file_uris()
    results.publish(
        "c2",
        {"b2": results.batch("b2", ["d.txt"])},
        touched={"a.txt": [1, 111], "c.txt": [1, 333], "d.txt": [1, 444], "gone.txt": [1, 5]},
    )
    after = pl.read_delta(catalog).sort("doc_id")
    assert after["doc_id"].to_list() == ["a.txt", "b.txt", "c.txt", "d.txt"]
    times = dict(after.select("doc_id", "mtime_ns").iter_rows())
    # d.txt is the change set's own row (its batch's catalog); gone.txt is in no catalog.
    assert times == {"a.txt": 111, "b.txt": None, "c.txt": 333, "d.txt": None}
    keep = [c for c in schemas.CATALOG if c != "mtime_ns"]
    assert after.filter(pl.col("doc_id") < "d").select(keep).equals(before.select(keep))
    # The document tables gain the new document's rows and nothing of the retimed ones.
    assert set(entities) < set(DeltaTable(str(results.root / "tables" / "entities")).file_uris())
    assert results.docs() == dict.fromkeys(["a.txt", "b.txt", "c.txt", "d.txt"], "Kyiv.")


def test_odd_doc_ids_are_replaced_exactly(results):
    odd = ["q'uote\".txt", "back\\slash.txt", "北京.txt", "a, b).txt", "x' OR '1'='1.txt"]
    results.publish("c1", {"b1": results.batch("b1", [*odd, "plain.txt"])})
    results.publish("c2", {"b2": results.batch("b2", odd, text="Lviv.")})
    assert results.docs() == {**dict.fromkeys(odd, "Lviv."), "plain.txt": "Kyiv."}
    assert doc_id_predicate(["it's"]) == "doc_id IN ('it''s')"


def test_tables_can_be_published_to_and_read_from_a_uri(results):
    uri = (results.root / "elsewhere").as_uri()  # file:///...: what works for s3:// works here
    changes = results.root / "c1.json"
    write_json({"id": "c1", "batches": ["b1"], "removed": []}, changes)
    batches = {"b1": results.batch("b1", ["a.txt"])}
    publish(uri, results.root / "state" / "catalog", changes, batches, "0.1.0", "abc")
    docs = load("documents", "unused-results-dir", tables_uri=uri).collect()
    assert docs["doc_id"].to_list() == ["a.txt"]
    summary = json.loads(json.dumps(publish(uri, results.root / "s", changes, batches, "0", "a")))
    assert summary["changeset"] == "c1"


def test_stages_read_published_rows_by_doc_id_with_absent_columns_as_nulls(results):
    results.publish("c1", {"b1": results.batch("b1", ["a.txt", "b.txt"])})
    results.publish("c2", {"b2": results.batch("b2", ["c.txt"], text="Lviv.")})
    uri = str(results.root / "tables" / "documents")
    frame = read_published(uri, ["doc_id", "text", "not_yet"], ["c.txt", "a.txt"], pl.Int64)
    # Only the rows asked for, from both commits' files; a column the table lacks is nulls.
    assert sorted(frame.select("doc_id", "text").iter_rows()) == [
        ("a.txt", "Kyiv."),
        ("c.txt", "Lviv."),
    ]
    assert frame.columns == ["doc_id", "text", "not_yet"]
    assert frame.schema["not_yet"] == pl.Int64 and frame["not_yet"].null_count() == 2
    assert read_published(uri)["doc_id"].sort().to_list() == ["a.txt", "b.txt", "c.txt"]
    assert read_published(str(results.root / "tables" / "nothing_here"), ["doc_id"]) is None


def test_a_job_reads_one_version_of_a_table_however_often_it_reads(results):
    results.publish("c1", {"b1": results.batch("b1", ["a.txt", "b.txt"])})
    uri = str(results.root / "tables" / "documents")
    table = Published.open(uri)
    assert table.read(["doc_id"])["doc_id"].sort().to_list() == ["a.txt", "b.txt"]
    results.publish("c2", {"b2": results.batch("b2", ["a.txt"], text="Lviv.")}, removed=["b.txt"])
    # Opened before the second commit: its rows, read again, are the first commit's.
    assert table.read(["doc_id", "text"], ["a.txt", "b.txt"]).sort("doc_id").rows() == [
        ("a.txt", "Kyiv."),
        ("b.txt", "Kyiv."),
    ]
    assert read_published(uri, ["doc_id", "text"]).rows() == [("a.txt", "Lviv.")]
    assert Published.open(str(results.root / "tables" / "nothing_here")) is None


def test_load_rejects_unknown_tables():
    with pytest.raises(ValueError, match="unknown table"):
        load("people")


def test_history_gives_commit_times_as_utc_datetimes(results):
    results.publish("c1", {"b1": results.batch("b1", ["a.txt"])})
    stamps = history("documents", str(results.root))["timestamp"]
    assert isinstance(stamps.dtype, pl.Datetime) and stamps.dtype.time_zone == "UTC"
    # a commit of this test run, not of 1970 or of the year 57,000 (milliseconds read as seconds)
    assert stamps[0].year >= 2024 and stamps[0].tzinfo is not None
    committed = (results.root / "tables" / "documents" / "_delta_log").stat().st_mtime
    assert abs(stamps[0].timestamp() - committed) < 120


def test_history_command_prints_readable_dates_not_epoch_milliseconds(results, capsys):
    results.publish("c1", {"b1": results.batch("b1", ["a.txt"])})
    assert main(["history", "documents", "--results", str(results.root)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\b20\d\d-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? UTC\b", out), out
    assert not re.search(r"\b\d{13}\b", out), out


def test_history_and_vacuum_find_tables_published_to_a_uri(results, capsys):
    uri = (results.root / "elsewhere").as_uri()
    for changeset, text in (("c1", "Kyiv."), ("c2", "Lviv.")):
        changes = results.root / f"{changeset}.json"
        write_json({"id": changeset, "batches": [changeset], "removed": []}, changes)
        batches = {changeset: results.batch(changeset, ["a.txt"], text=text)}
        publish(uri, results.root / "state" / "catalog", changes, batches, "0.1.0", "abc")
    where = ["--results", str(results.root), "--tables-uri", uri]
    assert main(["history", "documents", *where]) == 0
    assert re.search(r"│ 1 +┆.*\n.*│ 0 +┆", capsys.readouterr().out)
    assert main(["vacuum", *where, "--keep-hours", "0", "--wait", "0"]) == 0
    removed = dict(re.findall(r"^(\w+): removed (\d+) files$", capsys.readouterr().out, re.M))
    assert set(TABLES) <= set(removed)
    assert int(removed["documents"]) == 1  # the file of the replaced version
    assert load("documents", tables_uri=uri).collect()["text"].to_list() == ["Lviv."]


def test_history_of_a_table_that_is_not_there_says_where_it_looked(results, capsys):
    assert main(["history", "documents", "--results", str(results.root / "nothing")]) == 1
    assert f"no table documents in {results.root / 'nothing' / 'tables'}" in capsys.readouterr().err


def test_a_publish_records_its_documents_until_the_catalog_is_committed(results, monkeypatch):
    from newscorpus.tables import publish as publishing

    results.publish("c1", {"b1": results.batch("b1", ["a.txt"])})
    pending = results.root / "state" / "pending.json"
    assert not pending.exists()
    real = publishing.publish_table

    def killed_at_the_catalog(uri, table, *args, **kwargs):
        if table == "catalog":
            raise KeyboardInterrupt
        return real(uri, table, *args, **kwargs)

    monkeypatch.setattr(publishing, "publish_table", killed_at_the_catalog)
    with pytest.raises(KeyboardInterrupt):
        results.publish("c2", {"b2": results.batch("b2", ["new.txt"])}, removed=["a.txt"])
    assert json.loads(pending.read_text()) == ["a.txt", "new.txt"]


def test_tables_of_the_shard_layout_are_replaced_whole_and_stay_readable(results):
    # What publish wrote before batches: partitioned by shard, with a shard column, no catalog.
    from deltalake import write_deltalake

    for table in TABLES:
        old = schemas.conform(
            pl.DataFrame({"doc_id": ["a.txt", "old.txt"], "shard": [0, 1]}),
            {**schemas.PUBLISHED[table], "shard": pl.Int32},
        )
        write_deltalake(
            str(results.root / "tables" / table), old.to_arrow(), partition_by=["shard"]
        )
    results.publish("c1", {"b1": results.batch("b1", ["a.txt"])})
    assert results.docs() == {"a.txt": "Kyiv."}
    assert "shard" not in load("documents", str(results.root)).collect_schema()
    assert load("documents", str(results.root), version=0).collect().height == 2


def test_small_files_keep_the_rewrite_of_one_edit_small(results):
    doc_ids = [f"doc{i:05d}.txt" for i in range(3000)]
    results.publish("c1", {"b1": results.batch("b1", doc_ids)}, file_bytes=20_000)
    table = DeltaTable(str(results.root / "tables" / "documents"))
    before = {uri: Path(uri.removeprefix("file://")).stat().st_size for uri in table.file_uris()}
    assert len(before) >= 4
    batch = results.batch("b2", ["doc01500.txt"], text="Lviv.")
    results.publish("c2", {"b2": batch}, file_bytes=20_000)
    after = set(DeltaTable(str(results.root / "tables" / "documents")).file_uris())
    rewritten = [uri for uri in before if uri not in after]
    assert len(rewritten) == 1  # the one file holding doc01500.txt, of 4 or more
    assert results.docs()["doc01500.txt"] == "Lviv." and len(results.docs()) == 3000
    assert results.docs()["doc00007.txt"].startswith("Kyiv. doc00007.txt")


def test_vacuum_compact_merges_the_daily_files_and_keeps_the_rows(results):
    from newscorpus.cli import main

    for day in range(4):
        results.publish(f"c{day}", {f"b{day}": results.batch(f"b{day}", [f"d{day}.txt"])})
    path = str(results.root / "tables" / "documents")
    assert len(DeltaTable(path).file_uris()) == 4
    assert main(["vacuum", "--results", str(results.root), "--compact", "--wait", "0"]) == 0
    assert len(DeltaTable(path).file_uris()) == 1
    assert results.docs() == {f"d{day}.txt": "Kyiv." for day in range(4)}
    assert results.docs(version=0) == {"d0.txt": "Kyiv."}  # a week's versions are kept


def test_vacuum_of_a_location_without_tables_fails_saying_where_it_looked(tmp_path, capsys):
    from newscorpus.cli import main

    missing = tmp_path / "typo" / "tables"
    code = main(["vacuum", "--results", str(tmp_path / "r"), "--tables-uri", str(missing)])
    assert code == 1
    assert f"no table in {missing}" in capsys.readouterr().err


def _layout(uri: str) -> set[tuple]:
    """(column, compression, delta encoded, page index) of every column of the table's files."""
    import pyarrow.parquet as pq

    found = set()
    for path in DeltaTable(uri).file_uris():
        group = pq.ParquetFile(path.removeprefix("file://")).metadata.row_group(0)
        for i in range(group.num_columns):
            column = group.column(i)
            delta = "DELTA_BINARY_PACKED" in column.encodings
            found.add((column.path_in_schema, column.compression, delta, column.has_column_index))
    return found


def test_every_file_is_written_small_with_positions_delta_encoded_and_stats_kept(results):
    doc_ids = [f"doc{i:03d}.txt" for i in range(200)]
    results.publish("c1", {"b1": results.batch("b1", doc_ids)})
    results.publish("c2", {"b2": results.batch("b2", ["doc007.txt", "new.txt"], text="Lviv.")})
    results.publish("c3", {"b3": results.batch("b3", ["newer.txt"])})
    uri = str(results.root / "tables" / "sentences")
    assert len(DeltaTable(uri).file_uris()) >= 2  # the edit's file and the day's append
    expected = {
        ("doc_id", "SNAPPY", False),
        ("sentence_idx", "SNAPPY", True),
        ("start", "SNAPPY", True),
        ("end", "SNAPPY", True),
        ("text", "SNAPPY", False),
    }
    layouts = [_layout(uri)]  # the edit's rewrite (with its new document) and the append
    main(["vacuum", "--results", str(results.root), "--compact", "--wait", "0"])
    assert len(DeltaTable(uri).file_uris()) == 1
    layouts.append(_layout(uri))  # the compacted file
    for layout in layouts:
        assert {(c, z, d) for c, z, d, _ in layout} == expected
        assert not any(page_index for *_, page_index in layout)
    # Delta's file statistics, which skip files on reads and on publish's rewrite, are kept.
    actions = pl.DataFrame(DeltaTable(uri).get_add_actions(flatten=True))
    assert actions["min.doc_id"].null_count() == 0 and actions["max.doc_id"].null_count() == 0


def test_text_statistics_are_cut_so_a_long_document_is_not_copied_into_the_footer(results):
    import pyarrow.parquet as pq

    long_text = "Kyiv was quiet on Monday morning. " * 30
    results.publish("c1", {"b1": results.batch("b1", ["a.txt"], text=long_text)})
    (uri,) = DeltaTable(str(results.root / "tables" / "documents")).file_uris()
    group = pq.ParquetFile(uri.removeprefix("file://")).metadata.row_group(0)
    (text,) = [
        group.column(i)
        for i in range(group.num_columns)
        if group.column(i).path_in_schema == "text"
    ]
    assert text.statistics.has_min_max and len(text.statistics.max) <= 64 < len(long_text)
