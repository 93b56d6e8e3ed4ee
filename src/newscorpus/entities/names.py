"""Canonical entity names: one readable value per entity, the same in every document.

A value depends only on the mention and on the other entities of the same document, never on
other documents, so a document can be reprocessed alone and still agree with the rest.

Every label: white space collapsed, surrounding quotes and punctuation, a leading "the" and a
trailing possessive removed ("the Kremlin" -> "Kremlin", "Russia's" -> "Russia").

PERSON, in order:

1. Titles dropped up to the last title word that still has a name after it ("Ukrainian
   President Volodymyr Zelenskyy" -> "Volodymyr Zelenskyy"); case normalised per word
   ("CHIBA" -> "Chiba").
2. A known person of ``data/names.yaml`` (surname and given name compared with :func:`name_key`,
   which folds case, accents, apostrophes, doubled letters, x/ks and y/i) takes its display name:
   "Zelenskyy", "President Zelensky", "Volodimr Zelensky" -> "Volodymyr Zelensky".
3. A surname on its own takes the full name of the same document with that surname (the nearest
   one before it, else the first after it); failing that, the known person with that surname.
4. Anything else keeps its spelling, with the usual Ukrainian and Russian transliteration
   variants rewritten one way so that they agree across documents: a surname ending in a
   consonant + yy/iy/yi/ii/ij ends in "y" ("Syrskyi" -> "Syrsky"), a given name in "iy"
   ("Serhii" -> "Serhiy"), and ya/yu/ye after a vowel and a consonant inside a word become
   ia/iu/ie ("Malyar" -> "Maliar", "Tatyana" -> "Tatiana"; the price is "Kenyatta" ->
   "Keniatta"). Sounds that are different letters in Cyrillic (kh/h, g/h) are not folded: the
   names table holds such variants ("Ganna" ~ "Hanna").

An acronym of an organisation that the same document spells out, in brackets after its words
("the Institute for the Study of War (ISW)") or as another organisation it tags, takes the full
name: the quotes' speakers and the entities then count one organisation under one name.

Other labels: names from the ``aliases`` table ("Kiev" -> "Kyiv", "U.S." -> "United States");
case made consistent (all-caps town or country names and long words are capitalised, short
all-caps words are kept as acronyms, lower-case words other than "of", "the", ... are
capitalised). DATE, TIME and number labels are lower-cased except month and weekday names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from newscorpus.dates.calendar import ENGLISH_MONTHS, WEEKDAYS, month_abbreviations
from newscorpus.entities.lexicon import (
    DATA_FILE,
    EDGE_CHARACTERS,
    clean_entity_text,
    raw_data,
    string_list,
)
from newscorpus.entities.places import is_place_name
from newscorpus.util.text import fold

VERSION = "2"

PERSON = "PERSON"
_NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})

_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_PARTICLES = frozenset(
    {
        "von",
        "van",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "la",
        "le",
        "del",
        "della",
        "dos",
        "das",
        "ter",
        "ten",
        "bin",
        "ibn",
        "al",
        "el",
    }
)
_SMALL_WORDS = frozenset(
    {
        "of",
        "the",
        "and",
        "for",
        "in",
        "on",
        "at",
        "to",
        "a",
        "an",
        "by",
        "de",
        "la",
        "le",
        "du",
        "von",
        "van",
        "der",
        "y",
        "et",
        "und",
    }
)
# Month names ("jan." with its dot too), weekdays and a few holidays keep their capital.
_DATE_PROPER_WORDS = frozenset(
    {
        *ENGLISH_MONTHS,
        *(f"{abbreviation}." for abbreviation in month_abbreviations("en")),
        *WEEKDAYS,
        *("christmas", "easter", "ramadan", "thanksgiving", "hanukkah"),
    }
)
_CONSONANT = "bcdfghjklmnpqrstvwxz"
_SURNAME_ENDING = re.compile(rf"(?<=[{_CONSONANT}])(?:yy|iy|yi|ii|ij|yj)$")
_INTERIOR_Y = re.compile(rf"(?<=[aeiou][{_CONSONANT}])y(?=[aeu][a-z])")
_ROMAN_NUMERAL = re.compile(r"[IVX]+")


@dataclass(frozen=True, slots=True)
class KnownPerson:
    name: str
    given_keys: frozenset[str]
    given_skeletons: frozenset[str]
    surname_alone: bool


@dataclass(frozen=True, slots=True)
class NameData:
    people_by_surname: dict[str, tuple[KnownPerson, ...]]
    titles: frozenset[str]
    aliases: dict[str, str]


def name_key(text: str) -> str:
    """Spelling-insensitive key of a person's name (or part of one); for matching, not display.

    Folds case, accents, apostrophes, dots, hyphens, x/ks, y/i (not a leading Y: Yan is not Ian),
    a final ij and doubled letters: Zelensky, Zelenskyy, Zelenskiy, Zelenskyi, Zelenskii ->
    "zelenski"; Malyar, Maliar -> "maliar".
    """
    plain = fold(text)
    plain = re.sub(r"['.]", "", plain).replace("-", " ")
    words = []
    for word in plain.split():
        word = word.replace("x", "ks")
        word = word[:1] + word[1:].replace("y", "i")
        word = re.sub(r"ij$", "i", word)
        words.append(re.sub(r"(.)\1+", r"\1", word))
    return " ".join(words)


def _skeleton(key: str) -> str:
    """Consonants of a folded given name: Volodymyr, Volodimr, Vladimir, Wolodymyr -> vldmr."""
    consonants = re.sub(r"[aeiouy\s]", "", key.replace("w", "v"))
    return re.sub(r"(.)\1+", r"\1", consonants)


def _alias_key(text: str) -> str:
    return fold(text).replace(".", "")


def _build(raw: dict[str, Any]) -> NameData:
    by_surname: dict[str, list[KnownPerson]] = {}
    for number, entry in enumerate(raw.get("people") or [], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ValueError(f"{DATA_FILE}: people entry {number} needs a `name:` string")
        display = " ".join(entry["name"].split())
        parts = display.split(" ")
        given = [parts[0], *string_list(entry.get("given"), f"{display}: given")]
        surnames = [
            " ".join(parts[1:]),
            *string_list(entry.get("surnames"), f"{display}: surnames"),
        ]
        given_keys = frozenset(name_key(name) for name in given)
        person = KnownPerson(
            name=display,
            given_keys=given_keys,
            given_skeletons=frozenset(_skeleton(key) for key in given_keys),
            surname_alone=bool(entry.get("surname_alone", True)),
        )
        for surname_key in dict.fromkeys(name_key(surname) for surname in surnames):
            by_surname.setdefault(surname_key, []).append(person)
    aliases: dict[str, str] = {}
    for display, variants in (raw.get("aliases") or {}).items():
        for variant in [display, *string_list(variants, f"aliases: {display}")]:
            aliases[_alias_key(variant)] = display
    return NameData(
        people_by_surname={key: tuple(people) for key, people in by_surname.items()},
        titles=frozenset(fold(t) for t in string_list(raw.get("titles"), "titles")),
        aliases=aliases,
    )


@cache
def name_data() -> NameData:
    """The people, titles and aliases of ``data/names.yaml``, built once per process."""
    return _build(raw_data())


def _capitalise(word: str) -> str:
    """Upper first letter, lower the rest, per hyphen or apostrophe part: O'BRIEN -> O'Brien."""
    return re.sub(r"[^\W\d_]+", lambda part: part.group(0).capitalize(), word.lower())


def _person_word_case(word: str, position: int) -> str:
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) < 2 or _ROMAN_NUMERAL.fullmatch(word):
        return word  # initials ("V.") and "III"
    if word.isupper() or word.islower():
        if word in _PARTICLES:  # "von der Leyen", also when it opens a surname-only mention
            return word
        return _capitalise(word)
    return word


def _without_titles(words: list[str]) -> list[str]:
    titles = name_data().titles
    for index in range(len(words) - 1, -1, -1):
        if fold(words[index]).rstrip(".") not in titles:
            continue
        rest = words[index + 1 :]
        if any(fold(word).rstrip(".") not in _NAME_SUFFIXES for word in rest):
            return rest
    return words


def _split_name(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(given names, surname, suffixes): "Ursula von der Leyen" -> (["Ursula"], ["von", ...], [])

    A lower-case particle starts the surname; Jr., Sr., II ... are suffixes.
    """
    end = len(words)
    while end > 1 and fold(words[end - 1]).rstrip(".") in _NAME_SUFFIXES:
        end -= 1
    core, suffixes = words[:end], words[end:]
    for index, word in enumerate(core[:-1]):
        if word.islower() and word in _PARTICLES:
            return core[:index], core[index:], suffixes
    return core[:-1], core[-1:], suffixes


def _respell(word: str, *, surname: bool) -> str:
    if len(word) > 3:
        word = _SURNAME_ENDING.sub("y" if surname else "iy", word)
    return _INTERIOR_Y.sub("i", word)


def _person_words(text: str) -> list[str]:
    words = clean_entity_text(text).split(" ")
    words = [word for word in _without_titles(words) if word.strip(EDGE_CHARACTERS)]
    return [_person_word_case(word, position) for position, word in enumerate(words)]


def _known_person(given: list[str], surname: list[str]) -> KnownPerson | None:
    candidates = name_data().people_by_surname.get(name_key(" ".join(surname)), ())
    if not given:
        alone = [person for person in candidates if person.surname_alone]
        return alone[0] if len(alone) == 1 else None
    first = name_key(given[0])
    if len(first) == 1:  # an initial: "V. Zelensky"
        matches = [p for p in candidates if any(key[:1] == first for key in p.given_keys)]
    else:
        matches = [
            p for p in candidates if first in p.given_keys or _skeleton(first) in p.given_skeletons
        ]
    return matches[0] if len(matches) == 1 else None


def _person_display(given: list[str], surname: list[str], suffixes: list[str]) -> str:
    respelled_given = [_respell(word, surname=False) for word in given]
    respelled_surname = [
        _respell(word, surname=index == len(surname) - 1) for index, word in enumerate(surname)
    ]
    return " ".join(respelled_given + respelled_surname + suffixes)


def _words_case(text: str) -> str:
    """Consistent case for non-person names (see the module doc)."""
    words = text.split(" ")
    all_caps = not any(ch.islower() for ch in text) and any(ch.isupper() for ch in text)
    if all_caps and is_place_name(text):
        return " ".join(
            word.lower() if position and word.lower() in _SMALL_WORDS else _capitalise(word)
            for position, word in enumerate(words)
        )
    out = []
    for position, word in enumerate(words):
        plain = word.isalpha() or bool(re.fullmatch(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", word))
        small = position > 0 and word.lower() in _SMALL_WORDS
        if not plain:
            out.append(word)  # "U.S.", "news.ro", "B&Q", "93rd"
        elif small and (all_caps or word.islower()):
            out.append(word.lower())
        elif all_caps:
            out.append(_capitalise(word) if len(word) > 5 else word)  # "KREMLIN", but "NATO"
        elif word.islower():
            out.append(_capitalise(word))
        else:
            out.append(word)
    return " ".join(out)


def _date_case(text: str) -> str:
    return " ".join(
        _capitalise(word) if word.lower().rstrip(",") in _DATE_PROPER_WORDS else word.lower()
        for word in text.split(" ")
    )


def _canonical_other(text: str, label: str) -> str:
    cleaned = clean_entity_text(text)
    if label in _NUMERIC_LABELS:
        return _date_case(cleaned)
    alias = name_data().aliases.get(_alias_key(cleaned))
    return alias if alias is not None else _words_case(cleaned)


def canonical_names(entities: list[tuple[str, str]]) -> list[str]:
    """One canonical name per ``(text, label)`` of one document, in order (rules: module doc)."""
    values: list[str] = [""] * len(entities)
    full_names: list[tuple[int, str, str]] = []  # (position, surname key, value)
    surname_only: list[tuple[int, list[str], list[str]]] = []
    for position, (text, label) in enumerate(entities):
        if label != PERSON:
            values[position] = _canonical_other(text, label)
            continue
        words = _person_words(text)
        if not words:
            values[position] = clean_entity_text(text)
            continue
        given, surname, suffixes = _split_name(words)
        if not given:
            surname_only.append((position, surname, suffixes))
            continue
        known = _known_person(given, surname)
        values[position] = known.name if known else _person_display(given, surname, suffixes)
        full_names.append((position, name_key(" ".join(surname)), values[position]))
    for position, surname, suffixes in surname_only:
        key = name_key(" ".join(surname))
        same_surname = [(at, value) for at, full_key, value in full_names if full_key == key]
        before = [value for at, value in same_surname if at < position]
        if before:
            values[position] = before[-1]
        elif same_surname:
            values[position] = same_surname[0][1]
        else:
            known = _known_person([], surname)
            values[position] = known.name if known else _person_display([], surname, suffixes)
    return values


# --- acronyms a document spells out ------------------------------------------------------------

ACRONYM = re.compile(r"[A-Z]{2,6}")
_ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "&", "on", "in", "de", "du", "des", "la"})
# An acronym defined in the text: capitalised words (and the small words between them) right
# before the acronym in brackets, "the Qualifications and Curriculum Authority (QCA)".
_DEFINED_ACRONYM = re.compile(
    r"((?:[A-Z][\w'\u2019-]*|&)(?:\s+(?:[A-Z][\w'\u2019-]*|"
    + "|".join(sorted(map(re.escape, _ACRONYM_SKIP)))
    + rf"))*)\s+\(({ACRONYM.pattern})\)"
)


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIP and w[0].isupper())


def spelled_out_acronyms(entities: Sequence[Mapping], text: str = "") -> dict[str, str]:
    """ "EOC" -> "Equal Opportunities Commission" when the document names both: as an
    organisation whose initials the acronym is, or as the words the text defines it with
    (``entities``: mappings with ``label``, ``text`` and ``canonical``)."""
    found: dict[str, str] = {}
    for match in _DEFINED_ACRONYM.finditer(text):
        words, acronym = match.group(1).split(), match.group(2)
        # The definition is the shortest run of last words whose initials make the acronym.
        for first in range(len(words) - 1, -1, -1):
            if words[first].lower() in _ACRONYM_SKIP:
                continue
            if _initials(words[first:]) == acronym:
                found.setdefault(acronym, " ".join(words[first:]))
                break
    for entity in entities:
        if entity["label"] != "ORG":
            continue
        words = [w for w in str(entity["canonical"] or entity["text"]).split() if w]
        initials = _initials(words)
        if len(initials) >= 2 and len(words) >= 2:
            found.setdefault(initials, entity["canonical"] or entity["text"])
    return found


def spell_out_acronyms(text: str, entities: Sequence[MutableMapping]) -> None:
    """Give every organisation tagged as an acronym the full name the document spells it out
    with (:func:`spelled_out_acronyms`), in place."""
    full = spelled_out_acronyms(entities, text)
    for entity in entities:
        surface = str(entity["text"]).strip()
        if entity["label"] == "ORG" and ACRONYM.fullmatch(surface) and surface in full:
            entity["canonical"] = full[surface]
