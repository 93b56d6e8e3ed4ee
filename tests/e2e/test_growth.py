"""Incremental equals from scratch: after a seeded random sequence of small days (adds, edits,
removals, renames, copies, a run killed between two table commits), the tables equal, row for
row, those of one run from scratch over the final seeds folder; and each day's commits hold only
that day's documents.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import polars as pl
import pytest
from conftest import Workflow, assert_tables_equal
from deltalake import DeltaTable

from newscorpus import TABLES
from newscorpus.ingest.manifest import read as read_manifest
from newscorpus.tables import DOCUMENT_TABLES

pytestmark = pytest.mark.e2e

CRASH_HOOK = Path(__file__).parent / "crash_hook"
CONFIG = {"shards": 2}
# Small batches, so that a day's change set spans several batches and files (a YAML file:
# Snakemake's --config passes nested numbers as text).
BATCHES = "batches:\n  max_docs: 6\n  min_docs: 1\n"
PEOPLE = ["Volodymyr Zelensky", "Olaf Scholz", "Emmanuel Macron", "Joe Biden", "Rishi Sunak"]
# Some places few articles name, so removals and edits make places leave the places table.
PLACES = ["Kyiv", "Berlin", "Paris", "Washington", "London", "Kharkiv"] * 3 + [
    "Soledar",
    "Lviv",
    "Odesa",
    "Madrid",
]
VERBS = ["met officials in", "spoke about aid for", "visited", "announced new measures in"]
NAMES = ["story", "it's news", "Überblick", "notes (1)", "a b c"]


def _article(rng: random.Random) -> str:
    sentences = [
        f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} {rng.choice(PLACES)} on Monday."
        for _ in range(rng.randint(2, 5))
    ]
    return " ".join(sentences) + "\n\nThe talks went on for hours.\n"


def _new_name(rng: random.Random, seeds: Path) -> Path:
    while True:
        folder = seeds / rng.choice(["", "world", "world/europe"])
        path = folder / f"{rng.choice(NAMES)} {rng.randint(0, 999)}.txt"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            return path


def _files(seeds: Path) -> list[Path]:
    return sorted(p for p in seeds.rglob("*") if p.is_file())


def _day(rng: random.Random, seeds: Path) -> None:
    """A small day: a few new articles and some edits, removals, renames and copies."""
    for _ in range(rng.randint(1, 3)):
        _new_name(rng, seeds).write_text(_article(rng), encoding="utf-8")
    for action in rng.sample(["edit", "remove", "rename", "copy", "edit"], k=3):
        files = _files(seeds)
        if len(files) < 3:
            break
        victim = rng.choice(files)
        if action == "edit":
            victim.write_text(victim.read_text(encoding="utf-8") + _article(rng), encoding="utf-8")
        elif action == "remove":
            victim.unlink()
        elif action == "rename":
            victim.rename(_new_name(rng, seeds))
        else:
            _new_name(rng, seeds).write_bytes(victim.read_bytes())


def _batches(workflow: Workflow) -> list[str]:
    path = workflow.workdir / "batches.yaml"
    path.write_text(BATCHES, encoding="utf-8")
    return ["--configfile", str(path)]


def _run_killed_after_a_table_commit(workflow: Workflow) -> None:
    marker = workflow.workdir / "held"
    run = workflow.popen(
        workflow.newscorpus_command(jobs=2, config=CONFIG, extra=_batches(workflow)),
        env={
            "NEWSCORPUS_HOLD_AT": "publish:after:entities",
            "NEWSCORPUS_HOLD_FILE": str(marker),
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(CRASH_HOOK), os.environ.get("PYTHONPATH")])
            ),
        },
    )
    deadline = time.monotonic() + 240
    while not marker.exists():
        if run.poll() is not None:
            out, err = run.communicate()
            raise AssertionError(f"run ended before the hold:\n{out}\n{err[-4000:]}")
        assert time.monotonic() < deadline, "the publish job never reached the hold"
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    run.communicate()
    marker.unlink()


def _change_set(workflow: Workflow) -> set[str]:
    """doc_ids the last published change set computed or removed."""
    summary = json.loads((workflow.results / "tables" / "_published.json").read_text())
    changes = json.loads(
        (workflow.results / "changes" / f"{summary['changeset']}.json").read_text()
    )
    computed = {
        entry.doc_id
        for batch in changes["batches"]
        for entry in read_manifest(workflow.results / "batches" / f"{batch}.jsonl")
    }
    return computed | set(changes["removed"])


def _live(workflow: Workflow) -> dict[str, set[str]]:
    return {t: set(workflow.table(t)["doc_id"]) for t in DOCUMENT_TABLES}


@pytest.mark.parametrize("seed", [16])
def test_incremental_runs_equal_one_run_from_scratch(tmp_path, seed):
    rng = random.Random(seed)
    incremental = Workflow(tmp_path, seeds=tmp_path / "seeds", results=tmp_path / "results")
    incremental.seeds.mkdir()
    for _ in range(6):
        _new_name(rng, incremental.seeds).write_text(_article(rng), encoding="utf-8")
    (incremental.seeds / "empty.txt").write_bytes(b"")
    incremental.newscorpus_run(jobs=2, config=CONFIG, extra=_batches(incremental))

    for day in range(3):
        _day(rng, incremental.seeds)
        if day == 1:
            # Killed after committing sentences and entities of the day; the next day's run
            # (with more changes) must finish it without duplicating or losing rows.
            _run_killed_after_a_table_commit(incremental)
            continue
        before = {t: DeltaTable(str(incremental.results / "tables" / t)) for t in TABLES}
        versions = {t: table.version() for t, table in before.items()}
        files_before = {t: set(table.file_uris()) for t, table in before.items()}
        incremental.newscorpus_run(jobs=2, config=CONFIG, extra=_batches(incremental))
        touched = _change_set(incremental)
        assert touched
        places_uri = str(incremental.results / "tables" / "places")
        after = DeltaTable(places_uri)
        # places is derived: one commit when the places the corpus names changed, else none.
        assert after.version() - versions["places"] in (0, 1)
        for table in DOCUMENT_TABLES:
            after = DeltaTable(str(incremental.results / "tables" / table))
            assert after.version() == versions[table] + 1, table  # one commit per table
            # A file leaves the table only when it held a document of the day's change set.
            for gone in files_before[table] - set(after.file_uris()):
                doc_ids = set(pl.read_parquet(gone.removeprefix("file://"))["doc_id"])
                assert doc_ids & touched, (table, gone)

    # A day that removes every document naming the least named place: the place leaves the
    # places table, the others stay.
    entities = incremental.table("entities").filter(pl.col("place_id").is_not_null())
    rare = entities.group_by("place_id").agg(pl.col("doc_id").n_unique().alias("docs"))
    place_id = rare.sort("docs", "place_id")["place_id"][0]
    named_by = set(entities.filter(pl.col("place_id") == place_id)["doc_id"])
    places_before = set(incremental.table("places")["place_id"])
    for doc_id in named_by:
        (incremental.seeds / doc_id).unlink()
    incremental.newscorpus_run(jobs=2, config=CONFIG, extra=_batches(incremental))
    places_after = set(incremental.table("places")["place_id"])
    assert place_id in places_before and place_id not in places_after
    assert places_after == set(incremental.table("entities")["place_id"].drop_nulls())

    # A last day of nothing: no batch, no job.
    planned = incremental.snakemake(jobs=2, config=CONFIG, extra=["-n", *_batches(incremental)])
    assert "Nothing to be done" in planned.stdout + planned.stderr

    scratch_root = tmp_path / "scratch"
    scratch = Workflow(scratch_root, seeds=incremental.seeds, results=scratch_root / "results")
    scratch_root.mkdir()
    scratch.snakemake(jobs=2, config={"shards": 2})
    assert_tables_equal(incremental.tables(), scratch.tables())
    documents = incremental.table("documents")
    listed = {p.relative_to(incremental.seeds).as_posix() for p in _files(incremental.seeds)}
    assert set(documents["doc_id"]) == listed and documents["doc_id"].is_unique().all()
    assert documents.filter(pl.col("status").is_null()).height == 0
    assert _live(incremental)["entities"] <= listed
    # One row per place the published entities name, no more.
    named = set(incremental.table("entities")["place_id"].drop_nulls())
    assert named and set(incremental.table("places")["place_id"]) == named


def test_a_moved_project_is_not_recomputed_and_foreign_tables_are_rebuilt(tmp_path):
    rng = random.Random(3)

    def project(root: Path, articles: int) -> Workflow:
        workflow = Workflow(root, seeds=root / "seeds", results=root / "results")
        workflow.seeds.mkdir(parents=True)
        for _ in range(articles):
            _new_name(rng, workflow.seeds).write_text(_article(rng), encoding="utf-8")
        workflow.newscorpus_run(jobs=2, config=CONFIG)
        return workflow

    first = project(tmp_path / "first", 3)
    versions = {t: DeltaTable(str(first.results / "tables" / t)).version() for t in TABLES}
    # The whole project folder moves (seeds, results, Snakemake's state): its runs go on.
    (tmp_path / "first").rename(tmp_path / "moved")
    moved = Workflow(
        tmp_path / "moved", tmp_path / "moved" / "seeds", tmp_path / "moved" / "results"
    )
    planned = moved.snakemake(jobs=2, config=CONFIG, extra=["-n"])
    assert "Nothing to be done" in planned.stdout + planned.stderr
    added = _new_name(rng, moved.seeds)
    added.write_text(_article(rng), encoding="utf-8")
    moved.newscorpus_run(jobs=2, config=CONFIG)
    assert _change_set(moved) == {added.relative_to(moved.seeds).as_posix()}
    for table in DOCUMENT_TABLES:
        assert DeltaTable(str(moved.results / "tables" / table)).version() == versions[table] + 1

    # Another project's tables put where this one's were: not this catalog's, so rebuilt.
    other = project(tmp_path / "other", 2)
    tables = moved.results / "tables"
    for table in TABLES:
        (tables / table).rename(tmp_path / f"old-{table}")
        (other.results / "tables" / table).rename(tables / table)
    moved.newscorpus_run(jobs=2, config=CONFIG)
    listed = {p.relative_to(moved.seeds).as_posix() for p in _files(moved.seeds)}
    assert _change_set(moved) == listed
    assert set(moved.table("documents")["doc_id"]) == listed


def test_the_same_changes_made_again_are_published_again_and_a_no_op_runs_no_job(tmp_path):
    rng = random.Random(5)
    workflow = Workflow(tmp_path, seeds=tmp_path / "seeds", results=tmp_path / "results")
    workflow.seeds.mkdir()
    kept, moved = workflow.seeds / "kept.txt", workflow.seeds / "moved.txt"
    for path in (kept, moved):
        path.write_text(_article(rng), encoding="utf-8")
    aside = tmp_path / "aside.txt"
    expected = []
    for step in ("first", "out", "back", "out"):
        if step == "out":
            moved.rename(aside)
        elif step == "back":
            aside.rename(moved)
        workflow.newscorpus_run(jobs=2, config=CONFIG)
        expected.append(sorted(p.name for p in workflow.seeds.iterdir()))
        # The second removal is the first one again (same file, same listing): still published.
        assert sorted(workflow.table("documents")["doc_id"]) == expected[-1], step
        assert sorted(set(workflow.table("sentences")["doc_id"])) == expected[-1], step
    # After a forced run, nothing changed means no job (the flag's settings differ, not the data).
    workflow.newscorpus_run(jobs=2, config={**CONFIG, "force": True})
    planned = workflow.snakemake(jobs=2, config=CONFIG, extra=["-n"])
    assert "Nothing to be done" in planned.stdout + planned.stderr
