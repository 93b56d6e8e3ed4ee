"""What names and places both read: ``data/names.yaml`` and the cleaning of an entity's text.

:mod:`~newscorpus.entities.places` (place labels) reads only this module of the two;
:mod:`~newscorpus.entities.names` (canonical names) reads this module and asks places whether an
all-caps name is a town. The imports run one way, so there is no cycle.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from newscorpus.util.text import PLAIN_MARKS, fold

DATA_FILE = "names.yaml"

# Not "." at the ends: it belongs to "U.S.", "Jr." and initials.
EDGE_CHARACTERS = (
    "\"'\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a -\u2013\u2014/\\|,;:!?()[]{}*\u2022\u00b7"
)
_POSSESSIVE = re.compile(r"(?:(?<=\w)'s|(?<=s)')$", re.IGNORECASE)
# "The" belongs to these names; elsewhere ("the Kremlin", "The Moscow Times") it is dropped.
_NAMES_WITH_THE = frozenset({"the hague", "the gambia", "the bahamas", "the bronx"})


@dataclass(frozen=True, slots=True)
class Lists:
    keep_possessive: frozenset[str]  # folded names whose 's is part of the name ("McDonald's")
    not_places: frozenset[str]  # folded words and brands named like towns ("Reading")
    person_names_that_are_places: frozenset[str]  # folded given names that are towns ("Austin")


def data_bytes() -> bytes:
    return (files("newscorpus") / "data" / DATA_FILE).read_bytes()


@cache
def raw_data() -> dict[str, Any]:
    """The parsed ``data/names.yaml``, loaded once per process."""
    from newscorpus.util.yamlfile import safe_load

    raw = safe_load(data_bytes()) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{DATA_FILE}: expected a mapping of sections, got {type(raw).__name__}")
    return raw


def string_list(raw: Any, where: str) -> list[str]:
    """A list of strings of ``names.yaml`` (``where`` names it in the error)."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ValueError(f"{DATA_FILE}: {where} must be a list of strings, got {raw!r}")
    return raw


@cache
def lists() -> Lists:
    """The word lists of ``names.yaml`` that places and cleaning read, folded."""
    raw = raw_data()

    def folded(section: str) -> frozenset[str]:
        return frozenset(fold(name) for name in string_list(raw.get(section), section))

    return Lists(
        keep_possessive=folded("keep_possessive"),
        not_places=folded("not_places"),
        person_names_that_are_places=folded("person_names"),
    )


def clean_entity_text(text: str, *, keep_possessive: bool = True) -> str:
    """Entity text without surrounding white space, quotes, punctuation, "the" or possessive.

    ``keep_possessive``: leave the 's of names on the ``keep_possessive`` list ("McDonald's").
    """
    cleaned = unicodedata.normalize("NFKC", text).translate(PLAIN_MARKS)
    cleaned = " ".join(cleaned.split())
    previous = None
    while cleaned != previous:
        previous = cleaned
        cleaned = cleaned.strip(EDGE_CHARACTERS)
        folded = fold(cleaned)
        if folded.startswith("the ") and folded not in _NAMES_WITH_THE:
            cleaned = cleaned[4:]
        if not (keep_possessive and folded in lists().keep_possessive):
            cleaned = _POSSESSIVE.sub("", cleaned)
    return cleaned
