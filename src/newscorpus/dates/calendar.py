"""Calendar facts every date reader shares: month and weekday names, ISO and slashed dates.

One table of month names by language (the full name first, then abbreviations and other
spellings), English weekday names, and one reader each for ISO dates ("2022-12-20") and slashed
dates ("20/12/2022"). Publication dates (:mod:`~newscorpus.dates.published`), the dates pages
print (:mod:`~newscorpus.dates.printed`), DATE values (:mod:`~newscorpus.dates.values`), the
scraper's header line (:mod:`newscorpus.cleaning.header`) and the case of month names in
canonical entity names (:mod:`newscorpus.entities.names`) all read them from here.
"""

from __future__ import annotations

import datetime as dt
import re

# Language -> the names of months 1 to 12, lower case: the full name first, then abbreviations
# and other spellings ("märz maerz", "août aout").
MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "january jan",
        "february feb",
        "march mar",
        "april apr",
        "may",
        "june jun",
        "july jul",
        "august aug",
        "september sep sept",
        "october oct",
        "november nov",
        "december dec",
    ),
    "de": (
        "januar jänner",
        "februar",
        "märz maerz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ),
    "fr": (
        "janvier",
        "février fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août aout",
        "septembre",
        "octobre",
        "novembre",
        "décembre decembre",
    ),
    "it": (
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "pt": (
        "janeiro",
        "fevereiro",
        "março marco",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ),
}
# English weekday names in ``datetime.date.weekday()`` order (Monday is 0).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def month_numbers(*languages: str) -> dict[str, int]:
    """Month name (lower case) -> month number, for ``languages`` (every language if none)."""
    numbers: dict[str, int] = {}
    for language in languages or tuple(MONTH_NAMES):
        for number, names in enumerate(MONTH_NAMES[language], start=1):
            for name in names.split():
                numbers.setdefault(name, number)
    return numbers


def month_abbreviations(language: str) -> tuple[str, ...]:
    """Every name of a month of ``language`` but its full name ("jan", "sep", "sept", ...)."""
    return tuple(name for names in MONTH_NAMES[language] for name in names.split()[1:])


ENGLISH_MONTHS = month_numbers("en")
MONTHS = month_numbers()


def alternation(names) -> str:
    """A regex alternation of ``names``, longest first so that "sept" is tried before "sep"."""
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


def iso_pattern(tag: str = "") -> str:
    """Regex of an ISO date with groups ``year{tag}``, ``month{tag}``, ``day{tag}``."""
    return rf"(?P<year{tag}>\d{{4}})-(?P<month{tag}>\d{{2}})-(?P<day{tag}>\d{{2}})"


def slashed_pattern(tag: str = "") -> str:
    """Regex of a slashed date (day and month in either order) with groups ``first{tag}``,
    ``second{tag}``, ``year{tag}``."""
    return rf"(?P<first{tag}>\d{{1,2}})/(?P<second{tag}>\d{{1,2}})/(?P<year{tag}>\d{{4}})"


ISO_DATE = re.compile(iso_pattern())
SLASHED_DATE = re.compile(slashed_pattern())


def day_of(year: int, month: int, day: int) -> dt.date | None:
    """The day, or None when there is no such day (2022-02-30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_iso(match: re.Match[str], tag: str = "") -> dt.date | None:
    """The day of a match of :func:`iso_pattern` (None for 2022-13-01)."""
    return day_of(int(match[f"year{tag}"]), int(match[f"month{tag}"]), int(match[f"day{tag}"]))


def read_slashed(match: re.Match[str], tag: str = "") -> dt.date | None:
    """The day of a match of :func:`slashed_pattern`, only when unambiguous: a number above 12
    is the day (13/06/2020 and 06/13/2020 are 13 June); 05/06/2020 could be either, so None."""
    first, second = int(match[f"first{tag}"]), int(match[f"second{tag}"])
    year = int(match[f"year{tag}"])
    if first > 12 >= second:
        return day_of(year, second, first)
    if second > 12 >= first:
        return day_of(year, first, second)
    return None


def iso_day(text: str) -> dt.date | None:
    """The day of the ISO date that opens ``text`` ("2022-12-20T10:00:00Z" -> 2022-12-20)."""
    match = ISO_DATE.match(text.strip())
    return read_iso(match) if match else None
