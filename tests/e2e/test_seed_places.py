"""Places on the seeds, end to end: labels, coordinates, clean spans, the places table, and a
user's own places file."""

from __future__ import annotations

import re

import polars as pl
import pytest
from conftest import SAMPLE_SEEDS, Workflow, copy_seeds

pytestmark = pytest.mark.e2e

JUNK = re.compile(r"^\s|\s$|-$|['\u2018\u2019\u02bc`\u00b4]s$|[\"\u201c\u201d\u00ab\u00bb]")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Workflow:
    root = tmp_path_factory.mktemp("places")
    workflow = Workflow(
        workdir=root, seeds=copy_seeds(SAMPLE_SEEDS, root / "seeds"), results=root / "results"
    )
    workflow.snakemake()
    return workflow


def _places_of(run: Workflow, text: str) -> pl.DataFrame:
    entities = run.table("entities").filter(pl.col("text") == text)
    return entities.join(run.table("places"), on="place_id", how="left")


@pytest.mark.parametrize("text", ["Bakhmut", "Soledar", "Chasivskyi Yar"])
def test_donbas_towns_are_places_in_donetsk_region(run, text):
    found = _places_of(run, text)
    assert found.height >= 1
    assert set(found["label"]) == {"GPE"}
    assert set(found["country_code"]) == {"UA"} and set(found["admin1"]) == {"05"}
    assert set(found["admin1_name"]) == {"Donetsk Oblast"}
    assert found["latitude"].is_between(47.5, 49.5).all()
    assert found["longitude"].is_between(36.5, 39.0).all()


def test_chasivskyi_yar_is_chasiv_yar(run):
    assert set(_places_of(run, "Chasivskyi Yar")["name"]) == {"Chasiv Yar"}


@pytest.mark.parametrize("text", ["Andriivka", "Klishchiivka"])
def test_villages_the_lists_miss_are_places_from_their_context(run, text):
    found = _places_of(run, text)
    assert found.height >= 1 and set(found["label"]) == {"GPE"}
    resolved = found.filter(pl.col("place_id").is_not_null())
    assert set(resolved["country_code"]) <= {"UA"} and set(resolved["admin1"]) <= {"05"}
    unresolved = found.filter(pl.col("place_id").is_null())
    assert set(unresolved["place_reason"]) <= {"not in gazetteer"}
    assert "model_label" in found.columns


def test_demonyms_are_never_places(run):
    entities = run.table("entities")
    ukrainian = entities.filter(pl.col("text") == "Ukrainian")
    assert ukrainian.height >= 8
    assert set(ukrainian["label"]) == {"NORP"}
    # spaCy's own label stays: some of these were GPE.
    assert "GPE" in set(ukrainian["model_label"])


def test_no_entity_text_or_canonical_has_junk_and_offsets_slice_the_text(run):
    entities = run.table("entities")
    for column in ("text", "canonical"):
        junk = [value for value in entities[column].drop_nulls() if JUNK.search(value)]
        assert not junk, (column, junk[:10])
    for bad in ("Bakhmut\n", "Bakhmut-", "Russia\u2018s", "Prigozhin\u2019s"):
        assert bad not in set(entities["text"])
    texts = dict(run.table("documents").select("doc_id", "text").iter_rows())
    for doc_id, start, end, text in entities.select("doc_id", "start", "end", "text").iter_rows():
        assert texts[doc_id][start:end] == text


def test_the_places_table_has_one_row_per_resolved_place(run):
    places = run.table("places")
    entities = run.table("entities")
    assert places["place_id"].is_unique().all()
    assert set(places["place_id"]) == set(entities["place_id"].drop_nulls())
    assert set(places["feature"]) <= {"country", "region", "city", "village"}
    assert places.select(pl.all().exclude("admin1", "admin1_name").is_null().any()).row(0) == (
        False,
    ) * (places.width - 2)
    resolved = entities.filter(pl.col("place_id").is_not_null())
    assert resolved["place_reason"].is_not_null().all()
    assert set(entities.filter(pl.col("label") != "GPE")["place_id"].drop_nulls()) == set()


def test_a_users_places_file_adds_places(run, tmp_path):
    places_file = tmp_path / "my_places.csv"
    places_file.write_text(
        "name,latitude,longitude,country,region\nKlishchiivka,48.5247,37.9742,UA,Donetsk Oblast\n",
        encoding="utf-8",
    )
    workflow = Workflow(workdir=run.workdir, seeds=run.seeds, results=run.results)
    workflow.snakemake(config={"entities": {"places_file": str(places_file)}})
    found = _places_of(workflow, "Klishchiivka")
    assert found.height >= 1 and found["place_id"].is_not_null().all()
    assert set(found["place_reason"]) == {"user gazetteer"}
    assert (found["latitude"][0], found["longitude"][0]) == (48.5247, 37.9742)
    assert set(found["admin1"]) == {"05"}
    assert set(workflow.table("places")["place_id"]) >= set(found["place_id"])
