"""The workflow end to end on a copy of the seeds: tables, versions, incremental reruns."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import polars as pl
import pytest
from conftest import SAMPLE_SEEDS, Workflow, copy_seeds

import newscorpus
from newscorpus import TABLES
from newscorpus.config import config_hash, defaults
from newscorpus.tables.load import load
from newscorpus.tables.location import table_uri
from newscorpus.tables.schemas import SORT_KEYS

pytestmark = pytest.mark.e2e

CONFIG = {"shards": 4, "report_figures": False}


def run_ok(workflow: Workflow, *extra: str) -> str:
    done = workflow.snakemake(jobs=2, config=CONFIG, extra=list(extra))
    return done.stdout + done.stderr


def planned_rules(workflow: Workflow, *extra: str) -> set[str]:
    """Rules a dry run would run."""
    done = workflow.snakemake(jobs=2, config=CONFIG, extra=["-n", *extra])
    return set(re.findall(r"^(?:local)?rule (\w+):", done.stdout + done.stderr, re.MULTILINE))


def table(workflow: Workflow, name: str, version: int | None = None) -> pl.DataFrame:
    frame = load(name, str(workflow.results), version=version).collect()
    return frame.sort(SORT_KEYS[name])


def versions(workflow: Workflow) -> dict[str, int]:
    from deltalake import DeltaTable

    return {name: DeltaTable(table_uri(name, workflow.results)).version() for name in TABLES}


def fresh_corpus(root: Path) -> Workflow:
    workflow = Workflow(workdir=root, seeds=root / "seeds", results=root / "results")
    copy_seeds(SAMPLE_SEEDS, workflow.seeds)
    run_ok(workflow)
    return workflow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Workflow:
    """One run over the seeds that the incremental tests below edit. Each of them checks what
    changed against the versions it finds, so they pass in any order; tests that read a whole
    corpus use ``seeds_run``, which nothing edits."""
    return fresh_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory) -> Workflow:
    """A run over the seeds that no test edits."""
    return fresh_corpus(tmp_path_factory.mktemp("seeds"))


def test_every_seed_is_an_ok_english_document(seeds_run):
    docs = table(seeds_run, "documents")
    assert docs.height == 5
    assert docs["status"].to_list() == ["ok"] * 5
    assert docs["language"].to_list() == ["en"] * 5
    assert (docs["n_entities"] > 0).all() and (docs["n_sentences"] > 0).all()
    # The run's settings are the defaults (shards and report_figures shape no result).
    assert docs["pipeline_version"].unique().to_list() == [newscorpus.__version__]
    assert docs["config_hash"].unique().to_list() == [config_hash(defaults())]


def test_offsets_index_the_clean_text(seeds_run):
    texts = dict(table(seeds_run, "documents").select("doc_id", "text").iter_rows())
    for name in ("sentences", "entities", "quotes"):
        rows = table(seeds_run, name)
        assert rows.height > 0
        for doc_id, start, end, text in rows.select("doc_id", "start", "end", "text").iter_rows():
            assert texts[doc_id][start:end] == text


def test_every_document_has_entities_and_plain_polars_reads_the_tables(seeds_run):
    entities = pl.read_delta(str(seeds_run.results / "tables" / "entities"))
    assert set(entities["doc_id"]) == set(table(seeds_run, "documents")["doc_id"])


def test_a_second_run_has_nothing_to_do_and_commits_nothing(seeds_run):
    before = versions(seeds_run)
    assert planned_rules(seeds_run) == set()
    run_ok(seeds_run)
    assert versions(seeds_run) == before


def test_editing_one_seed_changes_only_its_rows_in_a_new_version(corpus):
    before = versions(corpus)
    # By name, not position: seed 002 ends in a tail that would swallow the appended line, and
    # the removal test below may already have run.
    seed = next(corpus.seeds.glob("001_*.txt"))
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\n\nKyiv announced new measures.\n", encoding="utf-8"
    )
    log = run_ok(corpus)
    assert len(re.findall(r"^(?:local)?rule annotate:", log, re.MULTILINE)) == 1
    after = versions(corpus)
    assert after["documents"] == before["documents"] + 1
    doc_id = seed.name
    for name in ("documents", "sentences", "entities"):
        old, new = table(corpus, name, before[name]), table(corpus, name)
        same_old = old.filter(pl.col("doc_id") != doc_id)
        same_new = new.filter(pl.col("doc_id") != doc_id)
        assert same_old.equals(same_new), name
    docs = table(corpus, "documents")
    assert "Kyiv announced new measures." in docs.filter(pl.col("doc_id") == doc_id)["text"][0]


def test_removing_a_seed_removes_its_rows_and_keeps_them_in_the_old_version(corpus):
    before = versions(corpus)
    seed = next(corpus.seeds.glob("000_*.txt"))  # not the one the edit test edits
    seed.unlink()
    run_ok(corpus)
    assert seed.name not in table(corpus, "documents")["doc_id"].to_list()
    assert seed.name not in table(corpus, "entities")["doc_id"].to_list()
    old = table(corpus, "entities", before["entities"])
    assert seed.name in old["doc_id"].to_list()


def test_seeds_rewritten_with_the_same_content_are_not_computed_again(corpus):
    # A scraper that writes again what it fetched again, a copy or checkout that does not keep
    # modification times: same content, new times (on the same UTC day: another day may change
    # the publication date, and such a file is computed again).
    day_ns = 86_400 * 10**9
    for seed in corpus.seeds.iterdir():
        old = seed.stat().st_mtime_ns
        new = old + 5 * 10**9 if (old + 5 * 10**9) // day_ns == old // day_ns else old - 5 * 10**9
        os.utime(seed, ns=(old, new))
    before = versions(corpus)
    assert planned_rules(corpus) == set()
    run_ok(corpus)
    assert versions(corpus) == before
    # The next change set records their new times, so later runs trust them without hashing.
    (corpus.seeds / "zz_retimed_new.txt").write_text(
        "Odesa, March 3. The port reopened on Monday after repairs.\n", encoding="utf-8"
    )
    log = run_ok(corpus)
    assert len(re.findall(r"^(?:local)?rule annotate:", log, re.MULTILINE)) == 1
    catalog = pl.read_delta(str(corpus.results / "state" / "catalog"))
    recorded = dict(catalog.select("doc_id", "mtime_ns").iter_rows())
    assert recorded == {s.name: s.stat().st_mtime_ns for s in corpus.seeds.iterdir()}


def stage_counts(workflow: Workflow) -> dict[str, dict[str, int]]:
    """What each stage of the last published change set counted (documents in, reused, computed),
    summed over its batches, from the jobs' logs."""
    summary = json.loads((workflow.results / "tables" / "_published.json").read_text())
    changes = workflow.results / "changes" / f"{summary['changeset']}.json"
    counts: dict[str, dict[str, int]] = {}
    for batch in json.loads(changes.read_text())["batches"]:
        for stage in ("clean", "detect", "annotate"):
            log = (workflow.results / "logs" / stage / f"{batch}.log").read_text()
            found = re.search(r"documents_in=(\d+), reused=(\d+), computed=(\d+)", log)
            total = counts.setdefault(stage, {"in": 0, "reused": 0, "computed": 0})
            for name, value in zip(("in", "reused", "computed"), found.groups(), strict=True):
                total[name] += int(value)
    return counts


def test_a_language_setting_reruns_detection_not_cleaning(corpus):
    # Every document enters the change set (its rows were made under other settings); cleaning
    # and annotation read nothing the setting changes, so their rows are reused, not recomputed.
    override = corpus.workdir / "override.yaml"
    override.write_text("language:\n  min_chars: 25\n", encoding="utf-8")
    before = table(corpus, "documents")
    run_ok(corpus, "--configfile", str(override))
    counts = stage_counts(corpus)
    assert counts["clean"]["in"] == before.height > 0
    assert counts["clean"]["computed"] == 0
    assert counts["detect"]["computed"] == before.height
    assert counts["annotate"]["computed"] == 0
    after = table(corpus, "documents")
    assert after["config_hash"].n_unique() == 1
    assert after["config_hash"][0] != before["config_hash"][0]
    assert after.drop("config_hash").equals(before.drop("config_hash"))


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"shards": 0}, "shards"),
        ({"seeds_dir": "no/such/folder"}, "is not a folder"),
        ({"language": {"min_chars": "many"}}, "min_chars"),
    ],
)
def test_a_bad_config_value_stops_before_any_work(seeds_dir, workflow, override, message):
    done = workflow.snakemake(config=override, check=False)
    assert done.returncode != 0
    assert message in done.stdout + done.stderr
    assert not workflow.results.exists()


# --- what the seeds must show (cleaning, dates, entities) ------------------------------------
# On seeds_run, untouched by the edits the incremental tests above make.


def test_seed_boilerplate_is_gone_from_text_and_kept_in_removed(seeds_run):
    texts = dict(table(seeds_run, "documents").select("doc_id", "text").iter_rows())
    removed = table(seeds_run, "removed")
    assert {"header", "tail", "comments", "caption", "duplicate", "signature"} <= set(
        removed["kind"]
    )
    for marker in (
        "You May Also Like",
        "Keep reading",
        "Leave a Reply",
        "Your email address will not be published",
        "Photo:",
        " date 20",
    ):
        assert not any(marker in text for text in texts.values()), marker
    # Every removal is one the user can find again in the kept table.
    assert removed.filter(pl.col("text").str.len_chars() == 0).height == 0


def test_glued_words_of_the_seeds_are_split_and_each_repair_is_a_removed_row(seeds_run):
    text = next(
        t
        for d, t in table(seeds_run, "documents").select("doc_id", "text").iter_rows()
        if d.startswith("004")
    )
    for split in ("Bakhmut despite", "Syrskyi commander", "Wagner in the", "Prigozhin He said"):
        assert split in text, split
    repairs = table(seeds_run, "removed").filter(pl.col("kind") == "repair")
    assert set(repairs["text"]) >= {"Bakhmutdespite", "Syrskyicommander", "PrigozhinHe"}
    assert "Zelenskyy" not in set(repairs["text"])


def test_seed_publication_dates_come_from_headers_and_the_text_or_are_null(seeds_run):
    docs = table(seeds_run, "documents")
    found = {
        d[:3]: (str(p) if p else None, s)
        for d, p, s in docs.select("doc_id", "published", "date_source").iter_rows()
    }
    assert found == {
        "000": ("2022-12-28", "header"),
        "001": (None, None),
        "002": ("2022-12-20", "text"),
        "003": ("2023-11-12", "header"),
        "004": (None, None),
    }


def test_seed_people_and_places_are_tagged_and_the_president_has_one_name(seeds_run):
    entities = table(seeds_run, "entities")
    zelensky = entities.filter(pl.col("text").str.contains("(?i)zelensk"))
    assert zelensky["text"].n_unique() > 1  # the seeds spell him several ways
    assert zelensky["canonical"].unique().to_list() == ["Volodymyr Zelensky"]
    assert set(zelensky["label"]) == {"PERSON"}
    places = entities.filter(pl.col("label").is_in(["GPE", "LOC"]))["canonical"].to_list()
    assert {"Bakhmut", "Kherson", "Ukraine", "Russia"} <= set(places)
    bakhmut = entities.filter(pl.col("canonical") == "Bakhmut")
    assert set(bakhmut["label"]) <= {"GPE", "LOC"}
    assert "Vladimir Putin" in entities.filter(pl.col("label") == "PERSON")["canonical"].to_list()


def test_a_default_run_with_tables_uri_publishes_there_and_draws_the_report_from_it(
    seeds_dir, workflow
):
    # The default run includes the report's figures: they read the tables where publish put them.
    uri = (workflow.workdir / "published").as_uri()
    workflow.snakemake(config={"tables_uri": uri, "report_figures": True})
    docs = load("documents", tables_uri=uri).collect()
    assert sorted(docs["doc_id"].to_list()) == sorted(p.name for p in seeds_dir.iterdir())
    assert not (workflow.results / "tables" / "documents").exists()
    status = (workflow.results / "report" / "status.svg").read_text()
    assert "no data in this run" not in status and ">ok<" in status
