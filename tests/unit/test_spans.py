"""Entity spans narrowed past junk: white space, hyphens, possessives, quote marks."""

from __future__ import annotations

import pytest

from newscorpus.entities.spans import clean_entities, clean_span


def _cleaned(text: str) -> str | None:
    span = clean_span(text, 0, len(text))
    return None if span is None else text[span[0] : span[1]]


@pytest.mark.parametrize(
    ("surface", "clean"),
    [
        ("Bakhmut\n\n", "Bakhmut"),
        ("Bakhmut-", "Bakhmut"),
        ("Bakhmut\u2013", "Bakhmut"),
        ("Russia\u2018s", "Russia"),
        ("Prigozhin\u2019s", "Prigozhin"),
        ("Russia's", "Russia"),
        ("Russia\u02bcs", "Russia"),
        ("the Wagner Group\u2019s", "the Wagner Group"),
        ("\u201cKremlin\u201d", "Kremlin"),
        ("'Kyiv'", "Kyiv"),
        ("\u00abAzov\u00bb", "Azov"),
        ("soldiers\u2019", "soldiers"),
        ("  Soledar  ", "Soledar"),
        ("Lugansk People\u2019s Republics", "Lugansk People\u2019s Republics"),
        ("U.S.", "U.S."),
    ],
)
def test_junk_at_the_edges_is_cut_off(surface, clean):
    assert _cleaned(surface) == clean


def test_a_span_of_nothing_but_junk_is_dropped():
    assert _cleaned(" \u2019 - \u201d") is None
    assert clean_entities("a -- b", [(2, 4, "ORG")]) == []


def test_offsets_still_slice_the_text_exactly():
    text = "Fighting near Bakhmut- once a salt town, and in Russia\u2018s view it fell.\n"
    start_1 = text.index("Bakhmut")
    start_2 = text.index("Russia")
    found = clean_entities(text, [(start_1 - 1, start_1 + 8, "GPE"), (start_2, start_2 + 8, "GPE")])
    assert [text[s:e] for s, e, _ in found] == ["Bakhmut", "Russia"]
    assert [label for _, _, label in found] == ["GPE", "GPE"]


def test_a_possessive_that_belongs_to_the_name_is_kept():
    text = "McDonald's opened"
    assert clean_entities(text, [(0, 10, "ORG")]) == [(0, 10, "ORG")]
