"""How well places resolve on the BBC bench: GPE mentions resolved, and the most named right.

``scripts/eval_places.py`` runs it on the whole bench; ``tests/unit/test_places_bench.py`` on a
fixed subset. The baseline beside it is what newscorpus did before toponym resolution: the
old place labels (towns of 15,000+ people) and, for a place, simply the largest of that name.

``GOLD``: the right place of the BBC bench's most named places (the first 20 are the full
bench's 20 most mentioned GPE names), checked by hand: the BBC's "England", "Scotland" and
"Wales" are the countries of the United Kingdom (first-level regions in GeoNames), "New York"
is the city, "Hollywood" is Los Angeles' district, "Athens" and "Paris" the capitals.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable

from newscorpus.entities import gazetteer as gazetteer_module
from newscorpus.entities import spans, toponyms

# surface -> (name, country_code, admin1, feature) of the right place
GOLD: dict[str, tuple[str, str, str | None, str]] = {
    "US": ("United States", "US", None, "country"),
    "UK": ("United Kingdom", "GB", None, "country"),
    "England": ("England", "GB", "ENG", "region"),
    "Britain": ("United Kingdom", "GB", None, "country"),
    "London": ("London", "GB", "ENG", "city"),
    "France": ("France", "FR", None, "country"),
    "Wales": ("Wales", "GB", "WLS", "region"),
    "China": ("China", "CN", None, "country"),
    "Ireland": ("Ireland", "IE", None, "country"),
    "Scotland": ("Scotland", "GB", "SCT", "region"),
    "Japan": ("Japan", "JP", None, "country"),
    "India": ("India", "IN", None, "country"),
    "Italy": ("Italy", "IT", None, "country"),
    "Germany": ("Germany", "DE", None, "country"),
    "Iraq": ("Iraq", "IQ", None, "country"),
    "Russia": ("Russia", "RU", None, "country"),
    "New York": ("New York City", "US", "NY", "city"),
    "Australia": ("Australia", "AU", None, "country"),
    "Spain": ("Spain", "ES", None, "country"),
    "Hollywood": ("Hollywood", "US", "CA", "city"),
    # beyond the top 20
    "New Zealand": ("New Zealand", "NZ", None, "country"),
    "Madrid": ("Madrid", "ES", "29", "city"),
    "Turkey": ("Turkey", "TR", None, "country"),
    "Paris": ("Paris", "FR", "11", "city"),
    "Athens": ("Athens", "GR", "ESYE31", "city"),
    "Argentina": ("Argentina", "AR", None, "country"),
    "South Africa": ("South Africa", "ZA", None, "country"),
    "Birmingham": ("Birmingham", "GB", "ENG", "city"),
    "Israel": ("Israel", "IL", None, "country"),
    "Edinburgh": ("Edinburgh", "GB", "SCT", "city"),
    "the United States": ("United States", "US", None, "country"),
    "Los Angeles": ("Los Angeles", "US", "CA", "city"),
    "Barcelona": ("Barcelona", "ES", "56", "city"),
    "South Korea": ("South Korea", "KR", None, "country"),
    "California": ("California", "US", "CA", "region"),
    "Indonesia": ("Indonesia", "ID", None, "country"),
    "Dublin": ("Dublin", "IE", "L", "city"),
    "Glasgow": ("Glasgow", "GB", "SCT", "city"),
    "Sri Lanka": ("Sri Lanka", "LK", None, "country"),
    "Brazil": ("Brazil", "BR", None, "country"),
    "Liverpool": ("Liverpool", "GB", "ENG", "city"),
    "Manchester": ("Manchester", "GB", "ENG", "city"),
    "Washington": ("Washington", "US", "DC", "city"),
    "Moscow": ("Moscow", "RU", "48", "city"),
    "Brussels": ("Brussels", "BE", "BRU", "city"),
    "Canada": ("Canada", "CA", None, "country"),
    "Iran": ("Iran", "IR", None, "country"),
}
TOP = 20
MIN_SHARE_RIGHT = 0.9


def _key(place) -> tuple[str, str, str | None, str]:
    return (place.name, place.country_code, place.admin1, place.feature)


def evaluate(
    texts: list[str], raw_entities: Iterable[list[tuple[int, int, str]]], gazetteer=None
) -> dict:
    """Figures of the new resolution and of the baseline on spaCy's entities of ``texts``."""
    from newscorpus.entities import places as old_places

    gazetteer = gazetteer or gazetteer_module.load()
    raw_entities = list(raw_entities)
    new_by_name: dict[str, Counter] = defaultdict(Counter)
    old_by_name: dict[str, Counter] = defaultdict(Counter)
    new_gpe = new_resolved = old_gpe = old_resolved = 0
    started = time.perf_counter()
    for text, raw in zip(texts, raw_entities, strict=True):
        cleaned = spans.clean_entities(text, raw)
        for (start, end, _), mention in zip(
            cleaned, toponyms.correct_and_resolve(text, cleaned, gazetteer), strict=True
        ):
            if mention.label != toponyms.PLACE_LABEL:
                continue
            new_gpe += 1
            place = gazetteer.place(mention.place) if mention.place is not None else None
            new_resolved += place is not None
            new_by_name[text[start:end]][_key(place) if place else None] += 1
    resolve_seconds = time.perf_counter() - started
    for text, raw in zip(texts, raw_entities, strict=True):
        labels = old_places.correct_labels([(text[s:e], label) for s, e, label in raw])
        for (start, end, _), label in zip(raw, labels, strict=True):
            if label != "GPE":
                continue
            old_gpe += 1
            candidates, _ = gazetteer.lookup(toponyms.place_key(text[start:end]))
            place = (
                gazetteer.place(max(candidates, key=lambda i: gazetteer.population[i]))
                if candidates
                else None
            )
            old_resolved += place is not None
            old_by_name[text[start:end]][_key(place) if place else None] += 1
    return {
        "documents": len(texts),
        "resolve_seconds": resolve_seconds,
        "new": _summary(new_gpe, new_resolved, new_by_name),
        "baseline": _summary(old_gpe, old_resolved, old_by_name),
    }


def _summary(gpe: int, resolved: int, by_name: dict[str, Counter]) -> dict:
    top = sorted(by_name, key=lambda name: (-sum(by_name[name].values()), name))[:TOP]
    rows = []
    for name in top:
        counts = by_name[name]
        total = sum(counts.values())
        gold = GOLD.get(name)
        right = counts.get(gold, 0) if gold else None
        rows.append(
            {
                "name": name,
                "mentions": total,
                "gold": gold,
                "right": right,
                "share_right": right / total if gold else None,
                "most_common": counts.most_common(1)[0][0],
            }
        )
    return {
        "gpe_mentions": gpe,
        "resolved": resolved,
        "resolved_share": resolved / gpe if gpe else 0.0,
        "top": rows,
    }
