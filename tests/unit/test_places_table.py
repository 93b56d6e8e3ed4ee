"""The places table: one row per place the published entities name, derived at publish from
the batches' place rows and the previous table, committed on change; and the report's map and
table of places."""

from __future__ import annotations

import polars as pl
from deltalake import write_deltalake

from newscorpus.report import places as place_figures
from newscorpus.report.figures import figure_spec
from newscorpus.stages.assemble import batch_places
from newscorpus.tables import schemas
from newscorpus.tables.places import corpus_places, publish_places

BAKHMUT = {
    "place_id": 713174,
    "place_name": "Bakhmut",
    "place_country_code": "UA",
    "place_admin1": "05",
    "place_admin1_name": "Donetsk Oblast",
    "place_latitude": 48.59419,
    "place_longitude": 37.99886,
    "place_population": 80500,
    "place_feature": "city",
}
KYIV = {
    **BAKHMUT,
    "place_id": 703448,
    "place_name": "Kyiv",
    "place_admin1": "12",
    "place_admin1_name": "Kyiv",
    "place_latitude": 50.45466,
    "place_longitude": 30.5238,
    "place_population": 2952301,
}


def _entities(*rows):
    return schemas.conform(
        pl.DataFrame(
            [{"doc_id": f"d{i}", "entity_idx": i, **row} for i, row in enumerate(rows)],
            infer_schema_length=None,
        ),
        schemas.ENTITY_ROWS,
    )


def _batch_file(tmp_path, name, *rows):
    path = tmp_path / f"places-{name}.parquet"
    schemas.conform(batch_places(_entities(*rows)), schemas.PLACES).write_parquet(path)
    return str(path)


def _publish_entities(uri, *place_ids):
    frame = schemas.conform(
        pl.DataFrame({"doc_id": [f"d{i}" for i in range(len(place_ids))], "place_id": place_ids}),
        schemas.ENTITIES,
    )
    write_deltalake(uri, frame.to_arrow(), mode="overwrite")


def test_a_batch_lists_each_place_its_entities_resolved_to_once():
    places = batch_places(_entities(BAKHMUT, BAKHMUT, KYIV, {"place_id": None}))
    assert places["place_id"].to_list() == [703448, 713174]
    assert set(places.columns) == set(schemas.PLACES)


def test_the_corpus_places_are_those_the_entities_name_with_rows_from_batches_or_before(tmp_path):
    files = [_batch_file(tmp_path, "a", BAKHMUT), _batch_file(tmp_path, "b", BAKHMUT)]
    previous = batch_places(_entities(KYIV, {**BAKHMUT, "place_name": "Artemivsk"}))
    named = pl.Series([713174, 703448, None, 713174])
    places = corpus_places(named, files, previous)
    assert places["place_id"].to_list() == [703448, 713174]
    # The batches' row (the gazetteer now) wins over the previous table's.
    assert places["name"].to_list() == ["Kyiv", "Bakhmut"]
    assert corpus_places(named, list(reversed(files)), previous).equals(places)
    # A place no entity names is not kept, even when a batch lists it.
    assert corpus_places(pl.Series([703448]), files, previous)["place_id"].to_list() == [703448]


def test_publish_commits_only_changes_and_drops_places_no_one_names(tmp_path):
    uri, entities = str(tmp_path / "places"), str(tmp_path / "entities")
    _publish_entities(entities, 713174, 703448, None)
    first = [_batch_file(tmp_path, "a", BAKHMUT, KYIV)]
    assert publish_places(uri, entities, first, {})["committed"]
    assert pl.read_delta(uri)["place_id"].to_list() == [703448, 713174]
    # Nothing changed (another batch that names Bakhmut again): no commit.
    again = [_batch_file(tmp_path, "b", BAKHMUT)]
    assert not publish_places(uri, entities, again, {})["committed"]
    # The document naming Kyiv changed and no longer does: the place goes, Bakhmut's row stays
    # though no batch of this change set has it.
    _publish_entities(entities, 713174, None)
    assert publish_places(uri, entities, [], {})["committed"]
    assert pl.read_delta(uri)["place_id"].to_list() == [713174]
    assert pl.read_delta(uri)["name"].to_list() == ["Bakhmut"]
    # A new document names Kyiv again: its row is appended, the rest is not written again.
    _publish_entities(entities, 713174, 703448)
    done = publish_places(uri, entities, [_batch_file(tmp_path, "c", KYIV)], {})
    assert (done["mode"], done["rows_written"]) == ("append", 1)
    assert sorted(pl.read_delta(uri)["place_id"].to_list()) == [703448, 713174]


def test_the_map_fits_the_region_the_places_are_in_and_draws():
    import vl_convert

    mentions = pl.DataFrame(
        {
            "name": ["Bakhmut", "Kyiv", "Ukraine", "Verdun"],
            "country_code": ["UA", "UA", "UA", "CA"],
            "admin1": ["05", "12", None, "10"],
            "admin1_name": ["Donetsk Oblast", "Kyiv", None, None],
            "feature": ["city", "city", "country", "city"],
            "latitude": [48.59, 50.45, 48.4, 45.46],
            "longitude": [37.99, 30.52, 31.7, -73.57],
            "mentions": [45, 8, 31, 1],
            "documents": [5, 2, 4, 1],
        }
    )
    west, south, east, north = place_figures.map_extent(mentions)
    # Fitted to Ukraine (Verdun is in the last 10 % of mentions, Ukraine a country).
    assert 20 < west < 30.52 and 37.99 < east < 45 and 40 < south < 48.59 and north > 50.45
    svg = vl_convert.vegalite_to_svg(figure_spec("places_map", place_figures.map_points(mentions)))
    assert svg.count("<path") > 20  # the country outlines
    table = place_figures.top_places(mentions)
    assert table["rank"].to_list() == [1, 2, 3, 4]
    assert table["region"].to_list()[0] == "Donetsk Oblast"
    svg = vl_convert.vegalite_to_svg(figure_spec("places_top", table))
    assert "Bakhmut" in svg and "Donetsk Oblast" in svg


def test_places_spread_over_the_world_get_the_world():
    mentions = pl.DataFrame(
        {
            "name": ["London", "Sydney"],
            "feature": ["city", "city"],
            "latitude": [51.5, -33.9],
            "longitude": [-0.1, 151.2],
            "mentions": [10, 10],
        }
    )
    assert place_figures.map_extent(mentions) is None
