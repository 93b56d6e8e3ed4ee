"""The quotes table on the seeds: the quotes the issue names, their speakers, no copies."""

from __future__ import annotations

import polars as pl
import pytest
from conftest import SAMPLE_SEEDS, Workflow, copy_seeds

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory) -> Workflow:
    root = tmp_path_factory.mktemp("quotes")
    workflow = Workflow(workdir=root, seeds=root / "seeds", results=root / "results")
    copy_seeds(SAMPLE_SEEDS, workflow.seeds)
    workflow.snakemake(jobs=2, config={"shards": 2, "report_figures": False})
    return workflow


def quotes_of(workflow: Workflow) -> pl.DataFrame:
    return workflow.table("quotes").sort("doc_id", "quote_idx")


def test_the_ministry_of_defense_tweet_is_quoted_with_its_speaker(seeds_run):
    quotes = quotes_of(seeds_run)
    tweet = quotes.filter(pl.col("text").str.starts_with("Bakhmut is for those who have guts"))
    assert tweet.height == 1
    row = tweet.row(0, named=True)
    assert row["speaker"] == "the Ukrainian Ministry of Defense"
    assert row["speaker_canonical"] == "Ukrainian Ministry of Defense"
    assert row["cue"] == "said"
    entity = seeds_run.table("entities").filter(
        pl.col("doc_id") == row["doc_id"], pl.col("entity_idx") == row["speaker_entity_idx"]
    )
    assert entity["label"].to_list() == ["ORG"]


def test_zelensky_in_donbas_is_found_once_with_his_canonical_name(seeds_run):
    quotes = quotes_of(seeds_run)
    donbas = quotes.filter(pl.col("text").str.starts_with("Here in Donbas"))
    # The seed prints the paragraph twice (straight and curly marks); cleaning keeps one.
    assert donbas.height == 1
    row = donbas.row(0, named=True)
    assert row["speaker_canonical"] == "Volodymyr Zelensky" and row["cue"] == "said"
    assert row["speaker"] == "President Zelensky"
    # The quote goes on after a fresh opening mark: its second piece has the same speaker.
    following = quotes.filter(
        pl.col("doc_id") == row["doc_id"], pl.col("quote_idx") == row["quote_idx"] + 1
    ).row(0, named=True)
    assert following["text"].startswith("They will do everything")
    assert following["speaker_canonical"] == "Volodymyr Zelensky"


def test_quote_offsets_index_the_text_and_documents_count_them(seeds_run):
    quotes = quotes_of(seeds_run)
    docs = seeds_run.table("documents")
    texts = dict(docs.select("doc_id", "text").iter_rows())
    for doc_id, start, end, text in quotes.select("doc_id", "start", "end", "text").iter_rows():
        assert texts[doc_id][start:end] == text
    counts = dict(quotes.group_by("doc_id").len().iter_rows())
    assert dict(docs.select("doc_id", "n_quotes").iter_rows()) == {
        doc_id: counts.get(doc_id, 0) for doc_id in texts
    }
    assert quotes.height >= 20  # every seed quotes someone
    spellings = quotes.filter(pl.col("speaker_canonical") == "Volodymyr Zelensky")["speaker"]
    assert {"Zelensky", "President Zelensky"} <= set(spellings)


def test_a_speaker_named_by_an_entity_has_that_entity_s_canonical_name(seeds_run):
    # The README's promise: one name for all spellings, in both tables. The seeds spell out
    # "the Institute for the Study of War (ISW)" and then quote "ISW".
    quotes = quotes_of(seeds_run).filter(pl.col("speaker_entity_idx").is_not_null())
    entities = seeds_run.table("entities").select(
        "doc_id", speaker_entity_idx="entity_idx", entity_canonical="canonical"
    )
    joined = quotes.join(entities, on=["doc_id", "speaker_entity_idx"], how="left")
    assert joined.height == quotes.height > 0
    differ = joined.filter(pl.col("speaker_canonical") != pl.col("entity_canonical"))
    assert differ.select("speaker_canonical", "entity_canonical").rows() == []
    assert "Institute for the Study of War" in set(joined["speaker_canonical"])
    assert "ISW" not in set(seeds_run.table("entities")["canonical"])
