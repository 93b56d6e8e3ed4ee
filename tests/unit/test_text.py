"""The one folding function every matcher uses."""

from __future__ import annotations

import pytest

from newscorpus.util.text import fold


@pytest.mark.parametrize(
    "spelling",
    [
        "Don't stop",
        "DON\u2019T  stop",
        "don\u2018t\tstop",
        "Don`t stop",
        "don\u02bct stop",
        " Don´t stop ",
    ],
)
def test_case_quote_marks_and_white_space_fold_to_one_key(spelling):
    assert fold(spelling) == "don't stop"


def test_accents_are_removed_unless_kept():
    assert fold("Kyïv Zürich CAFÉ") == "kyiv zurich cafe"
    assert fold("Kyïv Zürich CAFÉ", keep_accents=True) == "kyïv zürich café"
    # Composed and decomposed accents give one key either way.
    assert fold("Cafe\u0301", keep_accents=True) == fold("Caf\u00e9", keep_accents=True)


def test_hyphens_and_case_folding_beyond_ascii():
    assert fold("Saint\u2011Denis \u2212 Nord") == "saint-denis - nord"
    assert fold("STRASSE Straße", keep_accents=True) == "strasse strasse"
    assert fold("\u0149") == fold("\u02bcn") == "'n"  # ŉ decomposes into an apostrophe and n
