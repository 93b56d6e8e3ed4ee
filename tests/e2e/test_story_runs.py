"""Stories end to end: the seeds stay five stories, a copy added later with an older date takes
the story over and changes only that story's rows, and the result does not depend on arrival
order or shard count."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from conftest import SAMPLE_SEEDS, Workflow, copy_seeds

from newscorpus.tables.load import load

pytestmark = pytest.mark.e2e

SEED = "000_2b311e14b99ca5c5.txt"  # opens with the header " date 2022-12-28 "
STORY_COLUMNS = ["doc_id", "published", "story_id", "duplicate_of"]


def dated_copy(seeds: Path, name: str, date: str, trim_last_paragraph: bool = False) -> None:
    text = (SAMPLE_SEEDS / SEED).read_text(encoding="utf-8")
    assert "date 2022-12-28" in text
    text = text.replace("date 2022-12-28", f"date {date}", 1)
    if trim_last_paragraph:
        text = text.rstrip().rsplit("\n\n", 1)[0] + "\n"
    (seeds / name).write_text(text, encoding="utf-8")


def documents(workflow: Workflow) -> pl.DataFrame:
    return load("documents", str(workflow.results)).collect().sort("doc_id")


def duplicates(workflow: Workflow) -> pl.DataFrame:
    frame = load("duplicates", str(workflow.results)).collect()
    return frame.select("doc_id", "other_doc_id", "kind", "similarity").sort(
        "doc_id", "other_doc_id"
    )


def run(workflow: Workflow, shards: int = 2) -> None:
    workflow.snakemake(jobs=2, config={"shards": shards, "report_figures": False})


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> dict:
    """Seeds plus a later trimmed copy of SEED; then an older exact copy arrives."""
    root = tmp_path_factory.mktemp("stories")
    workflow = Workflow(workdir=root, seeds=root / "seeds", results=root / "results")
    copy_seeds(SAMPLE_SEEDS, workflow.seeds)
    run(workflow)
    seeds_only = documents(workflow)
    dated_copy(workflow.seeds, "zz_later_copy.txt", "2022-12-30", trim_last_paragraph=True)
    run(workflow)
    before = documents(workflow)
    before_pairs = duplicates(workflow)
    dated_copy(workflow.seeds, "aa_older_copy.txt", "2022-12-26")
    run(workflow)
    return {
        "workflow": workflow,
        "seeds_only": seeds_only,
        "before": before,
        "before_pairs": before_pairs,
        "after": documents(workflow),
        "after_pairs": duplicates(workflow),
    }


def test_the_five_seeds_stay_five_stories(grown):
    seeds = grown["seeds_only"]
    assert seeds.height == 5
    assert seeds["story_id"].to_list() == seeds["doc_id"].to_list()
    assert seeds["duplicate_of"].null_count() == 5


def test_a_later_copy_joins_the_story_of_the_earlier_document(grown):
    before = grown["before"].select(STORY_COLUMNS)
    later = before.filter(pl.col("doc_id") == "zz_later_copy.txt").row(0, named=True)
    assert later["story_id"] == SEED and later["duplicate_of"] == SEED
    assert before.filter(pl.col("doc_id") == SEED)["duplicate_of"].to_list() == [None]
    pairs = grown["before_pairs"]
    assert pairs.select("doc_id", "other_doc_id", "kind").rows() == [
        (SEED, "zz_later_copy.txt", "near")
    ]
    assert 0.9 <= pairs["similarity"][0] <= 1.0


def test_an_older_copy_added_later_takes_the_story_and_changes_only_its_rows(grown):
    before, after = grown["before"], grown["after"]
    story = {SEED, "zz_later_copy.txt", "aa_older_copy.txt"}
    moved = after.filter(pl.col("doc_id").is_in(story)).select(STORY_COLUMNS)
    assert moved["story_id"].to_list() == ["aa_older_copy.txt"] * 3
    assert dict(moved.select("doc_id", "duplicate_of").rows()) == {
        "aa_older_copy.txt": None,
        SEED: "aa_older_copy.txt",
        "zz_later_copy.txt": "aa_older_copy.txt",
    }
    # Every other document's row is exactly what it was.
    others_before = before.filter(~pl.col("doc_id").is_in(story))
    others_after = after.filter(~pl.col("doc_id").is_in(story))
    assert others_before.height == 4
    assert others_after.equals(others_before)
    # Rows of the story that existed before differ only in the story columns.
    unchanged = [c for c in after.columns if c not in ("story_id", "duplicate_of")]
    kept = list(story - {"aa_older_copy.txt"})
    assert (
        after.filter(pl.col("doc_id").is_in(kept))
        .select(unchanged)
        .equals(before.filter(pl.col("doc_id").is_in(kept)).select(unchanged))
    )
    kinds = dict(
        ((a, b), kind)
        for a, b, kind in grown["after_pairs"].select("doc_id", "other_doc_id", "kind").rows()
    )
    # Pairs are ordered by doc_id ("000_..." < "aa_..." < "zz_...").
    assert kinds == {
        (SEED, "aa_older_copy.txt"): "exact",
        (SEED, "zz_later_copy.txt"): "near",
        ("aa_older_copy.txt", "zz_later_copy.txt"): "near",
    }


def test_a_build_from_scratch_in_other_shards_equals_the_grown_corpus(grown, tmp_path):
    workflow = Workflow(workdir=tmp_path, seeds=tmp_path / "seeds", results=tmp_path / "results")
    shutil.copytree(grown["workflow"].seeds, workflow.seeds)
    run(workflow, shards=3)
    assert documents(workflow).select(STORY_COLUMNS).equals(grown["after"].select(STORY_COLUMNS))
    assert duplicates(workflow).equals(grown["after_pairs"])


def test_removing_the_older_copy_gives_the_story_back(grown):
    workflow = grown["workflow"]
    (workflow.seeds / "aa_older_copy.txt").unlink()
    run(workflow)
    assert documents(workflow).select(STORY_COLUMNS).equals(grown["before"].select(STORY_COLUMNS))
    assert duplicates(workflow).equals(grown["before_pairs"])
