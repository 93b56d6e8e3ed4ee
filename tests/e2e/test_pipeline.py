"""The workflow end to end on a copy of the seeds: tables, versions, incremental reruns."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from conftest import SAMPLE_SEEDS, Workflow, copy_seeds

from newscorpus import TABLES
from newscorpus.tables.load import load
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

    return {name: DeltaTable(str(workflow.results / "tables" / name)).version() for name in TABLES}


def fresh_corpus(root: Path) -> Workflow:
    workflow = Workflow(workdir=root, seeds=root / "seeds", results=root / "results")
    copy_seeds(SAMPLE_SEEDS, workflow.seeds)
    run_ok(workflow)
    return workflow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Workflow:
    """One run over the seeds that the incremental tests below then edit, in file order."""
    return fresh_corpus(tmp_path_factory.mktemp("corpus"))


def test_every_seed_is_an_ok_english_document(corpus):
    docs = table(corpus, "documents")
    assert docs.height == 5
    assert docs["status"].to_list() == ["ok"] * 5
    assert docs["language"].to_list() == ["en"] * 5
    assert (docs["n_entities"] > 0).all() and (docs["n_sentences"] > 0).all()
    assert docs["pipeline_version"].n_unique() == 1 and docs["config_hash"].n_unique() == 1


def test_offsets_index_the_clean_text(corpus):
    texts = dict(table(corpus, "documents").select("doc_id", "text").iter_rows())
    for name in ("sentences", "entities", "quotes"):
        rows = table(corpus, name)
        assert rows.height > 0
        for doc_id, start, end, text in rows.select("doc_id", "start", "end", "text").iter_rows():
            assert texts[doc_id][start:end] == text


def test_every_document_has_entities_and_plain_polars_reads_the_tables(corpus):
    entities = pl.read_delta(str(corpus.results / "tables" / "entities"))
    assert set(entities["doc_id"]) == set(table(corpus, "documents")["doc_id"])


def test_a_second_run_has_nothing_to_do_and_commits_nothing(corpus):
    before = versions(corpus)
    assert planned_rules(corpus) == set()
    run_ok(corpus)
    assert versions(corpus) == before


def test_editing_one_seed_changes_only_its_rows_in_a_new_version(corpus):
    before = versions(corpus)
    seed = sorted(corpus.seeds.iterdir())[1]
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
    seed = sorted(corpus.seeds.iterdir())[0]
    seed.unlink()
    run_ok(corpus)
    assert seed.name not in table(corpus, "documents")["doc_id"].to_list()
    assert seed.name not in table(corpus, "entities")["doc_id"].to_list()
    old = table(corpus, "entities", before["entities"])
    assert seed.name in old["doc_id"].to_list()


def test_a_language_setting_reruns_detection_not_ingest_or_cleaning(corpus):
    override = corpus.workdir / "override.yaml"
    override.write_text("language:\n  min_chars: 25\n", encoding="utf-8")
    rules = planned_rules(corpus, "--configfile", str(override))
    assert "detect" in rules
    assert not rules & {"ingest", "clean"}


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
# A corpus of their own (seeds_run), untouched by the edits the incremental tests above make.


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory) -> Workflow:
    return fresh_corpus(tmp_path_factory.mktemp("seeds"))


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


def test_tables_go_to_a_configured_uri_and_load_from_it(seeds_dir, workflow):
    uri = (workflow.workdir / "published").as_uri()
    workflow.snakemake(config={"tables_uri": uri})
    docs = load("documents", tables_uri=uri).collect()
    assert sorted(docs["doc_id"].to_list()) == sorted(p.name for p in seeds_dir.iterdir())
    assert not (workflow.results / "tables" / "documents").exists()
