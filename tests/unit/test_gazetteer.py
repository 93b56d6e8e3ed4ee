"""The gazetteer: villages, countries, regions, transliterations, and a user's own places."""

from __future__ import annotations

import pytest

from newscorpus.entities import gazetteer
from newscorpus.entities.gazetteer import adjective_key, fold_name, loose_key


@pytest.fixture(scope="module")
def packaged():
    return gazetteer.load()


def _places(gaz, name):
    candidates, how = gaz.lookup(fold_name(name))
    return [gaz.place(i) for i in candidates], how


@pytest.mark.parametrize(
    ("name", "expected"), [("Bakhmut", "Bakhmut"), ("Soledar", "Soledar"), ("Chasiv Yar", None)]
)
def test_donbas_towns_are_in_donetsk_region_with_coordinates(packaged, name, expected):
    places, _ = _places(packaged, name)
    assert len(places) == 1
    place = places[0]
    assert (place.country_code, place.admin1, place.admin1_name) == ("UA", "05", "Donetsk Oblast")
    assert 47.5 < place.latitude < 49.5 and 36.5 < place.longitude < 39.0
    assert place.name == (expected or name)


def test_a_slavic_adjective_form_finds_the_town():
    # The seeds write "Chasivskyi Yar" for Chasiv Yar.
    assert adjective_key("chasivskyi yar") == loose_key("chasiv yar")
    places, how = _places(gazetteer.load(), "Chasivskyi Yar")
    assert [p.name for p in places] == ["Chasiv Yar"] and how == "loose"


@pytest.mark.parametrize(
    ("one", "other"),
    [("Andriivka", "Andriyivka"), ("Sloviansk", "Slovyansk"), ("Avdiivka", "Avdiyivka")],
)
def test_transliterations_share_a_loose_key(one, other):
    assert loose_key(fold_name(one)) == loose_key(fold_name(other))


def test_alternate_names_and_countries(packaged):
    (kyiv,), how = _places(packaged, "Kiev")
    assert (kyiv.name, kyiv.country_code, kyiv.feature) == ("Kyiv", "UA", "city")
    assert how == "alternate"
    for alias in ("UK", "U.K.", "Britain", "United Kingdom"):
        places, _ = _places(packaged, alias)
        assert any(p.feature == "country" and p.country_code == "GB" for p in places), alias
    andriivkas, _ = _places(packaged, "Andriivka")
    assert len([p for p in andriivkas if p.country_code == "UA"]) >= 5


def test_regions_come_from_iso_subdivisions_matched_to_geonames_codes(packaged):
    (donetsk,), _ = _places(packaged, "Donetsk region")
    assert (donetsk.feature, donetsk.country_code, donetsk.admin1) == ("region", "UA", "05")
    (crimea,), _ = _places(packaged, "Crimea")
    assert (crimea.feature, crimea.name) == ("region", "Crimea")
    england = [p for p in _places(packaged, "England")[0] if p.feature == "region"]
    assert [(p.country_code, p.admin1) for p in england] == [("GB", "ENG")]
    # GeoNames "UA.05" is Donetsk, ISO "UA-05" is Vinnytsia: matched by name, not by code.
    (vinnytsia,), _ = _places(packaged, "Vinnytska oblast")
    assert vinnytsia.admin1 != "05"
    (vinnytsia_town,), _ = _places(packaged, "Vinnytsia")
    assert vinnytsia.admin1 == vinnytsia_town.admin1


def _regions(gaz, name):
    return [p for p in _places(gaz, name)[0] if p.feature in ("region", "country")]


def test_a_village_with_a_regions_name_does_not_name_another_region(packaged):
    # "Sachsen" is an alternate name of Sachsen bei Ansbach, a village in Bavaria; "Bretagne" of
    # Bretagne-de-Marsan in Nouvelle-Aquitaine. The regions are where their capitals are.
    (saxony,) = _regions(packaged, "Sachsen")
    (dresden,) = [p for p in _places(packaged, "Dresden")[0] if p.country_code == "DE"]
    assert (saxony.admin1, saxony.admin1_name) == (dresden.admin1, "Sachsen")
    assert 50 < saxony.latitude < 52 and 12 < saxony.longitude < 15
    (brittany,) = _regions(packaged, "Bretagne")
    assert 47 < brittany.latitude < 49 and -5 < brittany.longitude < -1
    # Saint-Martin is a country of its own, not the region of a French town of that name.
    assert [(p.feature, p.country_code) for p in _regions(packaged, "Saint-Martin")] == [
        ("country", "MF")
    ]
    # La Réunion, a French region that GeoNames keeps as a country, is that country.
    assert [(p.feature, p.country_code) for p in _regions(packaged, "La Réunion")] == [
        ("country", "RE")
    ]
    (lyon,) = [p for p in _places(packaged, "Lyon")[0] if p.country_code == "FR"][:1]
    assert lyon.admin1_name == "Auvergne-Rhône-Alpes"


def test_a_users_places_file_adds_places(tmp_path):
    places_file = tmp_path / "places.csv"
    places_file.write_text(
        "name,latitude,longitude,country,region\n"
        "Klishchiivka,48.5247,37.9742,Ukraine,Donetsk Oblast\n"
        "Zeroville,10.5,20.25,FR,\n",
        encoding="utf-8",
    )
    gaz = gazetteer.load(places_file)
    (klishchiivka,), how = _places(gaz, "Klishchiivka")
    assert how == "user"
    assert (klishchiivka.country_code, klishchiivka.admin1) == ("UA", "05")
    assert (klishchiivka.latitude, klishchiivka.longitude) == (48.5247, 37.9742)
    assert klishchiivka.feature == "village" and klishchiivka.user
    assert klishchiivka.place_id < 0
    (zeroville,), _ = _places(gaz, "zeroville")
    assert zeroville.country_code == "FR"
    # The packaged gazetteer is not changed by another file's places.
    assert _places(gazetteer.load(), "Klishchiivka")[0] == []


def test_a_places_file_with_bad_rows_says_where(tmp_path):
    places_file = tmp_path / "bad.csv"
    places_file.write_text("name,latitude,longitude\nSomewhere,north,10\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        gazetteer.load(places_file)


def test_the_places_file_hash_follows_its_content_not_its_path(tmp_path):
    one, two = tmp_path / "a.csv", tmp_path / "b.csv"
    one.write_text("name,latitude,longitude\nX,1,2\n", encoding="utf-8")
    two.write_text("name,latitude,longitude\nX,1,2\n", encoding="utf-8")
    assert gazetteer.places_file_hash(one) == gazetteer.places_file_hash(two)
    two.write_text("name,latitude,longitude\nX,1,3\n", encoding="utf-8")
    assert gazetteer.places_file_hash(one) != gazetteer.places_file_hash(two)
    assert gazetteer.places_file_hash("") is None
