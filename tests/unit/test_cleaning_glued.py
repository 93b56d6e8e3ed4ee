"""Glued words of plain-text scrapes: split when both halves are words, every repair recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.cleaning import clean
from newscorpus.cleaning.glued import find_repairs

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SETTINGS = {"extra_markers": {}}

FILLER = (
    "The council said the new plan would be debated again next week, and residents were "
    "asked to send their views on the buses, the trains and the roads before the meeting. "
)


def seed_004() -> str:
    return next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("glued", "split"),
    [
        ("Bakhmutdespite", "Bakhmut despite"),
        ("Oleksandr Syrskyicommander", "Oleksandr Syrskyi commander"),
        ("Wagnerin the front line", "Wagner in the front line"),
        ("Yevgeny PrigozhinHe said", "Yevgeny Prigozhin He said"),
        ("near Bakhmut.scene of", "near Bakhmut. scene of"),
    ],
)
def test_glued_words_of_seed_004_are_split(glued, split):
    raw = seed_004()
    assert glued in raw
    text = clean(raw, "txt", SETTINGS).text
    assert split in text
    assert glued not in text


def test_every_repair_is_a_row_with_exact_offsets_and_the_original_token():
    raw = seed_004()
    result = clean(raw, "txt", SETTINGS)
    repairs = [segment for segment in result.removed if segment.kind == "repair"]
    assert {segment.text for segment in repairs} == {
        "Bakhmutdespite",
        "Bakhmut.scene",
        "Wagnerin",
        "PrigozhinHe",
        "Syrskyicommander",
    }
    for segment in repairs:
        assert raw[segment.start : segment.end] == segment.text
        assert segment.rule == "repair:glued-words"
        # Undoing: the repaired form is the original with one space added.
        repaired = next(
            segment.text[:cut] + " " + segment.text[cut:]
            for cut in range(1, len(segment.text))
            if segment.text[:cut] + " " + segment.text[cut:] in result.text
        )
        assert repaired.replace(" ", "") == segment.text


def test_names_real_words_and_brands_are_never_split():
    raw = (
        FILLER
        + "President Zelenskyy spoke to Hanna Maliar. Zelenskyy thanked the troops. "
        + "The Kremlin denied it. Users of YouTube and SpeechWorks and Computeractive agreed. "
        + "Director Southan Morris came. See bbc.com and index.html for more. "
        + FILLER
    )
    assert find_repairs(raw) == []
    assert clean(raw, "txt", SETTINGS).text == " ".join(raw.split())


def test_text_that_is_not_english_is_left_alone():
    german = (
        "Der Gemeinderat hat am Dienstag lange über den neuen Verkehrsplan für das Tal beraten. "
        "Die Bewohner sprachen über Busse, Züge und Radwege, und die Hausboote am Fluss. "
    ) * 3
    assert find_repairs(german + " Hausboot") == []


def test_html_text_is_not_repaired():
    page = f"<html><body><article><p>{FILLER} Bakhmut fell. Bakhmutdespite it all.</p>"
    page += f"<p>{FILLER}</p></article></body></html>"
    result = clean(page, "html", SETTINGS)
    assert not [segment for segment in result.removed if segment.kind == "repair"]


def test_repair_can_be_switched_off():
    result = clean(seed_004(), "txt", {**SETTINGS, "repair_glued_words": False})
    assert "Bakhmutdespite" in result.text
