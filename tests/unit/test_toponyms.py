"""Place labels corrected both ways and toponyms resolved by the document's context."""

from __future__ import annotations

import pytest

from newscorpus.entities import gazetteer
from newscorpus.entities.toponyms import correct_and_resolve


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load()


def entities_of(text: str, marked: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, label) of each (surface, label), found in order in ``text``."""
    out, at = [], 0
    for surface, label in marked:
        start = text.index(surface, at)
        out.append((start, start + len(surface), label))
        at = start + len(surface)
    return out


def resolved(text, marked, gaz):
    entities = entities_of(text, marked)
    mentions = correct_and_resolve(text, entities, gaz)
    return [
        (
            text[s:e],
            m.label,
            gaz.place(m.place) if m.place is not None else None,
            m.reason,
        )
        for (s, e, _), m in zip(entities, mentions, strict=True)
    ]


SEED_003 = (
    "The city of Bakhmut, which fell into Russian hands in May, remains a prize. Zelenskiy said "
    "Kyiv is resolute, following the recent capture of Andriivka and Klishchiivka to the south. "
    "One soldier, Viktor, shared the account of their assault on Andriivka."
)


def test_villages_near_bakhmut_are_places_from_their_context(gaz):
    marked = [
        ("Bakhmut", "ORG"),
        ("Russian", "NORP"),
        ("Zelenskiy", "PERSON"),
        ("Kyiv", "PERSON"),
        ("Andriivka", "ORG"),
        ("Klishchiivka", "GPE"),
        ("Viktor", "PERSON"),
        ("Andriivka", "ORG"),
    ]
    rows = resolved(SEED_003, marked, gaz)
    by_text = {}
    for text, label, place, reason in rows:
        by_text.setdefault(text, []).append((label, place, reason))
    assert [label for label, _, _ in by_text["Andriivka"]] == ["GPE", "GPE"]
    for _, place, _ in by_text["Andriivka"]:
        assert (place.country_code, place.admin1) == ("UA", "05")  # Donetsk region
    ((label, place, reason),) = by_text["Klishchiivka"]
    assert (label, place, reason) == ("GPE", None, "not in gazetteer")
    ((label, place, _),) = by_text["Bakhmut"]
    assert label == "GPE" and (place.name, place.admin1) == ("Bakhmut", "05")
    assert by_text["Viktor"][0][0] == "PERSON" and by_text["Zelenskiy"][0][0] == "PERSON"
    assert by_text["Kyiv"][0][1].name == "Kyiv"


def test_demonyms_are_norp_never_gpe(gaz):
    text = "Ukrainian forces and Russians met; Ukrainian officials said so."
    rows = resolved(text, [("Ukrainian", "GPE"), ("Russians", "NORP"), ("Ukrainian", "NORP")], gaz)
    assert [(label, place) for _, label, place, _ in rows] == [("NORP", None)] * 3


def test_a_strong_context_makes_an_unknown_name_a_place(gaz):
    text = "Troops entered the village of Zzyzxivka on Monday."
    ((_, label, place, reason),) = resolved(text, [("Zzyzxivka", "ORG")], gaz)
    assert (label, place, reason) == ("GPE", None, "not in gazetteer")


def test_a_weak_context_needs_a_known_place(gaz):
    text = "Fighting near Soledar went on, said Qwertyuiop in Zzyzxivka."
    rows = resolved(text, [("Soledar", "ORG"), ("Qwertyuiop", "PERSON"), ("Zzyzxivka", "ORG")], gaz)
    assert [label for _, label, _, _ in rows] == ["GPE", "PERSON", "ORG"]
    assert rows[0][2].admin1 == "05"


def test_an_unknown_gpe_without_any_context_is_not_a_place(gaz):
    text = "BT shares rose. BT said Gazprom would pay."
    rows = resolved(text, [("BT", "GPE"), ("BT", "ORG"), ("Gazprom", "GPE")], gaz)
    assert [label for _, label, _, _ in rows] == ["ORG", "ORG", "ORG"]


def test_an_unknown_gpe_after_a_bare_preposition_needs_a_place_like_name(gaz):
    text = "They took a stake in Gazprom. Fighting went on in Zzyzxivka."
    rows = resolved(text, [("Gazprom", "GPE"), ("Zzyzxivka", "GPE")], gaz)
    assert [label for _, label, _, _ in rows] == ["ORG", "GPE"]


def test_people_and_brands_named_like_towns_keep_their_label(gaz):
    text = "Jordan Peterson met Austin at Toyota; Victoria smiled."
    marked = [("Jordan Peterson", "PERSON"), ("Austin", "PERSON"), ("Toyota", "ORG")]
    marked.append(("Victoria", "PERSON"))
    rows = resolved(text, marked, gaz)
    assert [label for _, label, _, _ in rows] == ["PERSON", "PERSON", "ORG", "PERSON"]


def test_the_region_named_decides_between_places_of_one_name(gaz):
    # Several Andriivkas in Ukraine: the one in the region the text names wins.
    text = "Shelling hit Andriivka in Poltava region overnight."
    rows = resolved(text, [("Andriivka", "GPE"), ("Poltava", "GPE")], gaz)
    (_, _, andriivka, reason), (_, _, poltava, _) = rows
    assert poltava.feature == "region"
    assert andriivka.admin1 == poltava.admin1 and reason == "region named"


def test_the_biggest_place_wins_only_when_nothing_else_decides(gaz):
    text = "Paris is big. Later, Paris again."
    ((_, _, paris, reason), _) = resolved(text, [("Paris", "GPE"), ("Paris", "GPE")], gaz)
    assert (paris.country_code, reason) == ("FR", "largest")
    # A country context does not beat a capital a hundred times the size of the local Paris.
    text = "In the US, Texas voters in Paris were asked."
    rows = resolved(text, [("US", "GPE"), ("Texas", "GPE"), ("Paris", "GPE")], gaz)
    assert rows[2][2].country_code == "FR"
    # A name qualified by its region is that region's, however small: "Moscow, Idaho".
    text = "Voters in Boise and Moscow, Idaho, said so."
    rows = resolved(text, [("Boise", "GPE"), ("Moscow", "GPE"), ("Idaho", "GPE")], gaz)
    assert (rows[1][2].country_code, rows[1][2].admin1, rows[1][3]) == ("US", "ID", "region named")
    text = "Moscow said Russia would not attend; Boise did not comment."
    rows = resolved(text, [("Moscow", "GPE"), ("Russia", "GPE"), ("Boise", "GPE")], gaz)
    assert rows[0][2].country_code == "RU"


def test_a_national_capital_outranks_a_village_the_context_points_to(gaz):
    # Washington, D.C. (689,545 people in GeoNames) is under a million, yet a Louisiana text means
    # the capital, not Washington, Louisiana (956 people).
    text = "Louisiana lawmakers flew to Washington to ask for flood aid."
    rows = resolved(text, [("Louisiana", "GPE"), ("Washington", "GPE")], gaz)
    assert (rows[1][2].country_code, rows[1][2].admin1) == ("US", "DC")
    # A town of the name keeps its context: Athens, Texas (12,788) is not Athens, Greece, though
    # it has less than 1/50 of its people.
    text = "Fans from Dallas drove to Athens for the game."
    rows = resolved(text, [("Dallas", "GPE"), ("Athens", "GPE")], gaz)
    assert (rows[1][2].country_code, rows[1][2].admin1, rows[1][3]) == (
        "US",
        "TX",
        "near other places",
    )
    # Qualified, even a village is that village.
    text = "The mayor of Washington, Louisiana, spoke."
    rows = resolved(text, [("Washington", "GPE"), ("Louisiana", "GPE")], gaz)
    assert (rows[0][2].admin1, rows[0][3]) == ("LA", "region named")


def test_seats_of_government_are_institutions_or_their_city(gaz):
    # "at the White House" vouched for White House, Tennessee (11,226 people); Westminster was
    # Westminster, Colorado in 30 BBC mentions.
    text = "Officials at the White House and in Whitehall met."
    rows = resolved(text, [("White House", "ORG"), ("Whitehall", "ORG")], gaz)
    assert [r[1:3] for r in rows] == [("ORG", None), ("ORG", None)]
    # The town keeps its name where it is a place.
    text = "Voters in White House, Tennessee, and in Nashville went to the polls."
    rows = resolved(text, [("White House", "GPE"), ("Tennessee", "GPE"), ("Nashville", "GPE")], gaz)
    assert (rows[0][2].country_code, rows[0][2].admin1) == ("US", "TN")
    text = "MPs in Westminster and Holyrood voted on the UK budget."
    rows = resolved(text, [("Westminster", "GPE"), ("Holyrood", "GPE"), ("UK", "GPE")], gaz)
    assert [(r[2].name, r[2].country_code) for r in rows[:2]] == [
        ("City of Westminster", "GB"),
        ("Edinburgh", "GB"),
    ]


def test_towns_near_the_documents_other_places_are_chosen(gaz):
    text = "Kramatorsk and Sloviansk were shelled, and so was Andriivka."
    rows = resolved(text, [("Kramatorsk", "GPE"), ("Sloviansk", "GPE"), ("Andriivka", "GPE")], gaz)
    andriivka, reason = rows[2][2], rows[2][3]
    assert reason == "near other places" and andriivka.admin1 == "05"


def test_a_users_place_wins_over_packaged_ones(tmp_path):
    places_file = tmp_path / "places.csv"
    places_file.write_text(
        "name,latitude,longitude,country,region\n"
        "Klishchiivka,48.5247,37.9742,UA,05\n"
        "Andriivka,48.5021,37.9543,UA,05\n",
        encoding="utf-8",
    )
    gaz = gazetteer.load(places_file)
    rows = resolved(SEED_003, [("Andriivka", "ORG"), ("Klishchiivka", "GPE")], gaz)
    for text, label, place, reason in rows:
        assert (label, reason) == ("GPE", "user gazetteer"), text
        assert place.user and place.admin1 == "05" and place.name == text


def test_acronyms_and_continents(gaz):
    text = "The EU and the UK met in Europe and the U.S."
    marked = [("EU", "ORG"), ("UK", "GPE"), ("Europe", "LOC"), ("U.S.", "GPE")]
    rows = resolved(text, marked, gaz)
    assert [label for _, label, _, _ in rows] == ["ORG", "GPE", "LOC", "GPE"]
    assert rows[1][2].country_code == "GB" and rows[3][2].country_code == "US"
