"""Place labels corrected both ways, and each place mention resolved to one gazetteer entry.

Labels, per entity of one document (spaCy's own label stays in ``model_label``):

1. A demonym ("Ukrainian", "Russians", ``demonyms`` of ``data/places.yaml``) is NORP, never GPE.
2. GPE stays GPE (but see 4); labels that never name a place (DATE, CARDINAL, MONEY, ...) are
   kept. LOC is treated like ORG below (OntoNotes, which the model follows, files cities and
   countries under GPE).
3. ORG, PERSON, FAC, PRODUCT, NORP, WORK_OF_ART, EVENT and LOC become GPE when:
   - a strong place context comes before ("the village of X", "the town of X"), known or not;
   - the gazetteer knows the name and a weak place context surrounds it ("in X", "near X",
     "capture of X", "X to the south"), the document labels the same name GPE or LOC elsewhere,
     or it is listed with a place ("Andriivka and Klishchiivka");
   - the name is a country, a region or a town of 15,000+ people, and is neither on the
     ``not_places`` list (words and brands named like towns), nor a name on the
     ``person_names`` list of ``data/names.yaml`` (given names and surnames such as Campbell),
     nor, for PERSON, a multi-word name, nor a town named like an adjective ("Olympic").
   ``not_places`` names only become places in a strong context.
4. A GPE the gazetteer lacks, with no place context and not listed with a place, takes the label
   the model gives the same name elsewhere in the document, else ORG ("BT", "Gazprom"): a place
   needs the gazetteer or its context to vouch for it. A bare "in", "from", "at" vouches for an
   unknown name only when it ends like an East Slavic place name (``toponym_endings``: "in
   Zzyzxivka", not "a stake in Gazprom"). Continents, oceans and compass points
   (``never_places``) are LOC. An acronym ("EU", "BT") only matches a country or region ("UK").

Resolution of every GPE mention, by the document's context (``place_reason`` says which rule
decided):

- ``user gazetteer``: the user's ``places_file`` has the name;
- ``only candidate``: the gazetteer has one place of that name;
- ``region named``: the name is qualified by its region or country ("Moscow, Idaho",
  "Bakhmut, Donetsk region"), or a candidate lies in a region the document names ("Donetsk
  region", "Crimea", "Donetska oblast"); a name followed by a region word is that region;
- ``near other places``: a candidate lies within 150 km of the document's unambiguous places
  (those with one candidate, or big towns); of several, nearness and size are weighed (50 km
  nearer is worth ten times the people);
- ``country named``: a candidate lies in a country the document names, or whose demonym it uses;
- ``largest``: nothing else decides: a country, then a town of 100,000+, then a region, then the
  biggest town or village.

A context never overrides a much bigger place: a candidate chosen by nearness or country must
have at least 1/50 of the population of the largest candidate when that one is a country or a
town of a million people (Paris in an article about Texas is still Paris, France), and a village
(under 10,000 people) must when it is a national capital (Washington in an article about
Louisiana is Washington, D.C., not a village of 956 people there; Athens, Texas, a town of
12,788, stays Athens, Texas).
Unresolved GPE mentions get ``not in gazetteer``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from newscorpus.entities.gazetteer import FEATURES, Gazetteer, fold_name, place_data

VERSION = "2"

PLACE_LABEL = "GPE"
PEOPLE_LABEL = "NORP"
_RELABELLED = frozenset({"LOC", "ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "NORP", "PERSON"})
_CONTEXT_LABELS = frozenset({"GPE", "LOC"})
_CANDIDATE_LABELS = _RELABELLED | {PLACE_LABEL}
_MAJOR_POPULATION = 15_000
_BIG_TOWN = 100_000
_DOMINANT = 1_000_000
_DOMINANCE_RATIO = 50
_VILLAGE = FEATURES.index("village")
_NEAR_KM = 150.0
_KM_PER_DECADE = 50.0
_BEFORE_CHARS = 48
_AFTER_CHARS = 40
_NAMES_WITH_THE = frozenset({"the hague", "the gambia", "the bahamas", "the bronx"})
_QUALIFIER_GAP = re.compile(r",\s*(?:the\s+)?")
_LIST_GAP = re.compile(r"\s*(?:,|and|or|&|,\s*and|,\s*or)\s*", re.IGNORECASE)
_ACRONYM_POPULATION = 500_000
# "in BT", "from Gazprom": these vouch for a name the gazetteer knows, not for an unknown one.
_GENERAL_PREPOSITIONS = frozenset({"in", "from", "to", "at", "into", "across", "through", "inside"})
_ADJECTIVE_LIKE = re.compile(r"[a-z]+(?:ic|ian|ean|ese|ish)")
_COMPASS = frozenset(
    {"north", "south", "east", "west", "central", "northern", "southern", "eastern", "western"}
)
_ACRONYM = re.compile(r"[A-Z][A-Z.&]{0,5}")
_NAME_LIKE = re.compile(r"[^\W\d_][\w'’.\- ]*")

REASONS = (
    "user gazetteer",
    "only candidate",
    "region named",
    "near other places",
    "country named",
    "largest",
    "not in gazetteer",
)


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity after correction: its label and, for a place, the gazetteer index and why."""

    label: str
    place: int | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class _Contexts:
    strong: re.Pattern
    weak: re.Pattern
    locative: re.Pattern
    toponym_ending: re.Pattern
    after: re.Pattern
    region_after: re.Pattern
    demonyms: dict[str, str]
    never: frozenset[str]


def _phrases_pattern(phrases: list[str], *, before: bool) -> re.Pattern:
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in phrase.lower().split())
        for phrase in sorted(phrases, key=len, reverse=True)
    )
    if before:  # the phrase ends right before the name, perhaps with "the" between
        return re.compile(rf"(?:^|[^\w])(?:{alternatives})\s+(?:the\s+)?$")
    return re.compile(rf"^\s*,?\s*(?:{alternatives})\b")


@cache
def _contexts() -> _Contexts:
    data = place_data()
    context = data.get("place_context") or {}
    demonyms = {
        fold_name(word): code
        for code, words in (data.get("demonyms") or {}).items()
        for word in words or ()
    }
    return _Contexts(
        strong=_phrases_pattern(context.get("strong") or [], before=True),
        weak=_phrases_pattern(context.get("weak") or [], before=True),
        toponym_ending=re.compile(
            "(?:"
            + "|".join(re.escape(e) for e in sorted(data.get("toponym_endings") or [], key=len))
            + ")$"
            if data.get("toponym_endings")
            else r"(?!)"
        ),
        locative=_phrases_pattern(
            [p for p in context.get("weak") or [] if p.lower() not in _GENERAL_PREPOSITIONS],
            before=True,
        ),
        after=_phrases_pattern(context.get("weak_after") or [], before=False),
        region_after=_phrases_pattern(data.get("region_words") or [], before=False),
        demonyms=demonyms,
        never=frozenset(fold_name(name) for name in data.get("never_places") or ()),
    )


@cache
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    from newscorpus.entities.lexicon import lists

    data = lists()
    return (
        frozenset(fold_name(name) for name in data.not_places),
        frozenset(fold_name(name) for name in data.person_names_that_are_places),
    )


def place_key(surface: str) -> str:
    """The folded name a mention is looked up by: no leading "the" (but "The Hague")."""
    key = fold_name(surface)
    return key[4:] if key.startswith("the ") and key not in _NAMES_WITH_THE else key


def _distance_km(gazetteer: Gazetteer, a: int, b: int) -> float:
    lat1, lon1 = math.radians(gazetteer.latitude[a]), math.radians(gazetteer.longitude[a])
    lat2, lon2 = math.radians(gazetteer.latitude[b]), math.radians(gazetteer.longitude[b])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 12_742.0 * math.asin(min(1.0, math.sqrt(h)))


def _rank(gazetteer: Gazetteer, index: int) -> tuple[int, int]:
    """Order of the ``largest`` rule: countries, big towns, regions, then the rest by size."""
    feature, population = gazetteer.feature[index], gazetteer.population[index]
    if feature == 0:
        tier = 3
    elif feature != 1 and population >= _BIG_TOWN:
        tier = 2
    elif feature == 1:
        tier = 1
    else:
        tier = 0
    return tier, population


def _largest(gazetteer: Gazetteer, candidates: tuple[int, ...]) -> int:
    return max(candidates, key=lambda i: (_rank(gazetteer, i), -i))


def _overridden(gazetteer: Gazetteer, chosen: int, candidates: tuple[int, ...]) -> bool:
    """True when a much bigger place of the same name outranks a context choice."""
    largest = _largest(gazetteer, candidates)
    if (
        largest == chosen
        or gazetteer.population[chosen] * _DOMINANCE_RATIO >= gazetteer.population[largest]
    ):
        return False
    if gazetteer.feature[largest] == 0 or gazetteer.population[largest] >= _DOMINANT:
        return True
    # A national capital outranks a village of its name, never a town (Athens, Texas).
    return largest in gazetteer.capitals and gazetteer.feature[chosen] == _VILLAGE


def _lookup(gazetteer: Gazetteer, key: str, surface: str, contexts: _Contexts):
    if not key or key in contexts.never or key in contexts.demonyms:
        return (), "none"
    candidates, how = gazetteer.lookup(key)
    if not candidates and " " in key:
        # "the Hague" is looked up whole; "west London", "northern Kherson" without the compass.
        first, rest = key.split(" ", 1)
        if first in _COMPASS:
            candidates, how = gazetteer.lookup(rest)
    if candidates and _ACRONYM.fullmatch(surface):
        # "EU", "BT", "UN": an acronym names a country or region ("US", "UK"), a city of
        # millions ("LA"), or nothing.
        candidates = tuple(
            i
            for i in candidates
            if gazetteer.feature[i] <= 1 or gazetteer.population[i] >= _ACRONYM_POPULATION
        )
    return (candidates, how) if candidates else ((), "none")


def correct_and_resolve(
    text: str, entities: list[tuple[int, int, str]], gazetteer: Gazetteer
) -> list[Mention]:
    """Corrected labels and resolved places of one document's ``(start, end, label)`` entities."""
    contexts = _contexts()
    not_places, person_names = _name_lists()
    # Only labels a place can hide behind are looked up (not DATE, MONEY, ...), each name once.
    keys = [
        place_key(text[start:end]) if label in _CANDIDATE_LABELS else ""
        for start, end, label in entities
    ]
    looked_up: dict[str, tuple[tuple[int, ...], str]] = {"": ((), "none")}
    found = []
    for key, (start, end, _) in zip(keys, entities, strict=True):
        if key not in looked_up:
            looked_up[key] = _lookup(gazetteer, key, text[start:end], contexts)
        found.append(looked_up[key])
    seen_as_place = {
        key for key, (_, _, label) in zip(keys, entities, strict=True) if label in _CONTEXT_LABELS
    }

    def strong_context(position: int) -> bool:
        start = entities[position][0]
        return bool(contexts.strong.search(text[max(0, start - _BEFORE_CHARS) : start].lower()))

    labels: list[str] = []
    unknown: list[int] = []
    for position, (start, end, label) in enumerate(entities):
        key = keys[position]
        if not key:
            labels.append(label)
            continue
        candidates, how = found[position]
        before = text[max(0, start - _BEFORE_CHARS) : start].lower()
        after = text[end : end + _AFTER_CHARS].lower()
        if key in contexts.demonyms:
            labels.append(PEOPLE_LABEL)
            continue
        if key in contexts.never:
            labels.append("LOC" if label in _CONTEXT_LABELS else label)
            continue
        if label == PLACE_LABEL:
            if not candidates and not (
                contexts.locative.search(before)
                or (contexts.toponym_ending.search(key) and contexts.weak.search(before))
                or contexts.after.search(after)
                or strong_context(position)
            ):
                unknown.append(position)  # decided below, once lists of places are known
            labels.append(label)
            continue
        if not text[start].isupper():
            labels.append(label)
            continue
        if strong_context(position) and _NAME_LIKE.fullmatch(text[start:end]):
            labels.append(PLACE_LABEL)
            continue
        if not candidates or key in not_places:
            labels.append(label)
            continue
        vouched = how != "alternate" or any(
            gazetteer.population[i] >= _MAJOR_POPULATION for i in candidates
        )
        weak = key in seen_as_place or bool(
            contexts.weak.search(before) or contexts.after.search(after)
        )
        if vouched and weak:
            labels.append(PLACE_LABEL)
            continue
        major = any(
            gazetteer.feature[i] <= 1 or gazetteer.population[i] >= _MAJOR_POPULATION
            for i in candidates
        )
        if (label == "PERSON" and len(key.split()) > 1) or key in person_names:
            major = False  # "Jordan Peterson"; a surname such as Campbell needs a context
        if _ADJECTIVE_LIKE.fullmatch(key) and not any(
            gazetteer.feature[i] <= 1 for i in candidates
        ):
            major = False  # "Olympic", "Titanic": an adjective is a place only in a context
        labels.append(PLACE_LABEL if major else label)

    # A name listed with a place is a place too ("the capture of Andriivka and Klishchiivka").
    for position in range(len(entities) - 1):
        end_a, start_b = entities[position][1], entities[position + 1][0]
        if not _LIST_GAP.fullmatch(text[end_a:start_b]):
            continue
        for this, other in ((position, position + 1), (position + 1, position)):
            if (
                labels[other] == PLACE_LABEL
                and labels[this] in _RELABELLED
                and keys[this] not in contexts.demonyms
                and (found[this][0] or strong_context(min(this, other)))
                and text[entities[this][0]].isupper()
            ):
                labels[this] = PLACE_LABEL
    # A GPE the gazetteer lacks, with no place context and not listed with a place, is taken
    # for what the model calls it elsewhere in the document, else an organisation ("BT",
    # "Gazprom", "Yugansk"): a place needs the gazetteer or its context to vouch for it.
    other_labels: dict[str, Counter[str]] = {}
    for key, (_, _, label) in zip(keys, entities, strict=True):
        if label not in _CONTEXT_LABELS:
            other_labels.setdefault(key, Counter())[label] += 1
    kept = {
        keys[p]
        for p, label in enumerate(labels)
        if label == PLACE_LABEL
        and (p not in unknown or _listed_with_place(text, entities, labels, p))
    }
    for position in unknown:
        if keys[position] in kept:  # the same name vouched for elsewhere in the document
            continue
        others = other_labels.get(keys[position])
        labels[position] = others.most_common(1)[0][0] if others else "ORG"
    return _resolve(text, entities, labels, keys, found, gazetteer, contexts)


def _listed_with_place(text, entities, labels, position) -> bool:
    for other in (position - 1, position + 1):
        if not 0 <= other < len(entities) or labels[other] != PLACE_LABEL:
            continue
        first, second = sorted((position, other))
        if _LIST_GAP.fullmatch(text[entities[first][1] : entities[second][0]]):
            return True
    return False


def _qualified(text, entities, labels, found, gazetteer, position, candidates) -> tuple:
    """Candidates inside the region or country named right after: "Moscow, Idaho"."""
    after = position + 1
    if after >= len(entities) or labels[after] != PLACE_LABEL:
        return ()
    if not _QUALIFIER_GAP.fullmatch(text[entities[position][1] : entities[after][0]]):
        return ()
    areas = {
        (gazetteer.country[i], gazetteer.admin1[i] if gazetteer.feature[i] == 1 else None)
        for i in found[after][0]
        if gazetteer.feature[i] <= 1
    }
    return tuple(
        i
        for i in candidates
        if gazetteer.feature[i] > 1
        and (
            (gazetteer.country[i], None) in areas
            or (gazetteer.country[i], gazetteer.admin1[i]) in areas
        )
    )


def _resolve(text, entities, labels, keys, found, gazetteer, contexts) -> list[Mention]:
    countries: Counter[str] = Counter()
    regions: set[tuple[str, str | None]] = set()
    for key, label in zip(keys, labels, strict=True):
        if label == PEOPLE_LABEL and key in contexts.demonyms:
            countries[contexts.demonyms[key]] += 1

    candidates_of: dict[int, tuple[int, ...]] = {}
    choice: dict[int, tuple[int, str]] = {}
    for position, ((_, end, _), label) in enumerate(zip(entities, labels, strict=True)):
        if label != PLACE_LABEL:
            continue
        candidates, how = found[position]
        if not candidates:
            continue
        if contexts.region_after.search(text[end : end + _AFTER_CHARS].lower()):
            # "Donetsk region": the region itself, else the region of the biggest such town.
            as_region = [i for i in candidates if gazetteer.feature[i] == 1]
            if not as_region:
                town = _largest(gazetteer, candidates)
                region = gazetteer.region_of(gazetteer.country[town], gazetteer.admin1[town])
                as_region = [region] if region is not None else []
            if as_region:
                candidates = tuple(as_region)
        candidates_of[position] = candidates
        qualified = _qualified(text, entities, labels, found, gazetteer, position, candidates)
        if how == "user":
            choice[position] = (_largest(gazetteer, candidates), "user gazetteer")
        elif len(candidates) == 1:
            choice[position] = (candidates[0], "only candidate")
        elif qualified:
            choice[position] = (_largest(gazetteer, qualified), "region named")
    for index, _ in choice.values():
        if gazetteer.feature[index] == 0:
            countries[gazetteer.country[index]] += 1
        elif gazetteer.feature[index] == 1:
            regions.add((gazetteer.country[index], gazetteer.admin1[index]))
    for position, candidates in candidates_of.items():
        if position in choice:
            continue
        largest = _largest(gazetteer, candidates)
        if gazetteer.feature[largest] == 0:
            countries[gazetteer.country[largest]] += 1
        elif gazetteer.feature[largest] == 1 and gazetteer.population[largest] >= _DOMINANT:
            regions.add((gazetteer.country[largest], gazetteer.admin1[largest]))

    # Anchors for nearness: towns and villages the document names without doubt.
    anchors = [index for index, _ in choice.values() if gazetteer.feature[index] > 1]
    anchors += [
        _largest(gazetteer, candidates)
        for position, candidates in candidates_of.items()
        if position not in choice
        and gazetteer.feature[_largest(gazetteer, candidates)] > 1
        and gazetteer.population[_largest(gazetteer, candidates)] >= _BIG_TOWN
    ]

    for position, candidates in candidates_of.items():
        if position in choice:
            continue
        choice[position] = _choose(gazetteer, candidates, regions, countries, anchors)

    out = []
    for position, label in enumerate(labels):
        if label != PLACE_LABEL:
            out.append(Mention(label))
        elif position in choice:
            index, reason = choice[position]
            out.append(Mention(label, index, reason))
        else:
            out.append(Mention(label, None, "not in gazetteer"))
    return out


def _choose(gazetteer, candidates, regions, countries, anchors) -> tuple[int, str]:
    in_region = [
        i
        for i in candidates
        if (gazetteer.country[i], gazetteer.admin1[i]) in regions and gazetteer.feature[i] != 1
    ]
    if in_region:
        chosen = _largest(gazetteer, tuple(in_region))
        if not _overridden(gazetteer, chosen, candidates):
            return chosen, "region named"
    others = [a for a in anchors if a not in candidates]
    if others:
        distances = {
            i: min(_distance_km(gazetteer, i, a) for a in others)
            for i in candidates
            if gazetteer.feature[i] > 1
        }
        near = [i for i, km in distances.items() if km <= _NEAR_KM]
        if near:
            # Nearer wins over bigger: 50 km nearer is worth ten times the people.
            nearest = max(
                near,
                key=lambda i: (
                    math.log10(gazetteer.population[i] + 1) - distances[i] / _KM_PER_DECADE,
                    -i,
                ),
            )
            if not _overridden(gazetteer, nearest, candidates):
                return nearest, "near other places"
    in_country = [i for i in candidates if countries.get(gazetteer.country[i])]
    if in_country and len(in_country) < len(candidates):
        chosen = _largest(gazetteer, tuple(in_country))
        if not _overridden(gazetteer, chosen, candidates):
            return chosen, "country named"
    return _largest(gazetteer, candidates), "largest"
