"""ISO dates for DATE entities, resolved against the publication date.

A DATE entity gets a date only when it names one day:

- a full date, with or without the publication date: "December 20, 2022", "20 Dec. 2022",
  "Tuesday, December, 20, 2022", "2022-12-20", "12/20/2022" (slashed dates only when the day is
  above 12, so that day and month cannot be swapped);
- with the publication date ``published``:
  "today", "tonight", "this morning" -> published; "yesterday", "last night" -> the day before;
  "tomorrow" -> the day after; "the day before yesterday" / "after tomorrow" -> two days off;
  "three days ago" -> three days before;
  a weekday ("Tuesday", "on Tuesday", "earlier Tuesday", "Tuesday night") -> the most recent such
  day on or before publication; "last Tuesday" / "this past Tuesday" -> strictly before;
  "next Tuesday" -> strictly after;
  a month and day without year ("December 20", "Feb. 24", "the 24th of February",
  "Christmas Day") -> in the publication year, or the year before if that would be more than
  7 days after publication.

Everything else is None: spans ("last week", "recent months", "the past year"), months and
years ("May", "2022"), durations ("10-month"), ages ("24-year-old") and bare numbers. The result
depends only on ``text`` and ``published``, never on today's date.
"""

from __future__ import annotations

import datetime as dt
import re

from newscorpus.dates.calendar import (
    ENGLISH_MONTHS,
    ISO_DATE,
    SLASHED_DATE,
    WEEKDAYS,
    alternation,
    day_of,
    read_iso,
    read_slashed,
)
from newscorpus.util.text import fold

VERSION = "1"

_FUTURE_TOLERANCE_DAYS = 7

_WEEKDAYS = {name: number for number, name in enumerate(WEEKDAYS)}
_RELATIVE_DAYS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "earlier today": 0,
    "later today": 0,
    "earlier this morning": 0,
    "today's": 0,
    "yesterday": -1,
    "last night": -1,
    "yesterday morning": -1,
    "yesterday afternoon": -1,
    "yesterday evening": -1,
    "the day before yesterday": -2,
    "tomorrow": 1,
    "tomorrow morning": 1,
    "tomorrow night": 1,
    "the day after tomorrow": 2,
}
_HOLIDAYS = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "valentine's day": (2, 14),
    "halloween": (10, 31),
}
_NUMBER_WORDS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

_MONTH = r"(?P<month>" + alternation(ENGLISH_MONTHS) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY_PREFIX = r"(?:(?:" + "|".join(_WEEKDAYS) + r")\s*,?\s*)?"
_SEP = r"\s*,?\s*"
_MONTH_DAYS = (
    re.compile(rf"{_WEEKDAY_PREFIX}{_MONTH}{_SEP}{_DAY}(?:{_SEP}{_YEAR})?"),
    re.compile(rf"{_WEEKDAY_PREFIX}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:{_SEP}{_YEAR})?"),
)
_DAYS_AGO = re.compile(r"(?P<count>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r") days? ago")
_WEEKDAY = re.compile(
    r"(?P<qualifier>last|this past|past|next|this|on|earlier|later|early|late)?\s*"
    r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")(?:'s)?"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
)


def _normalise(text: str) -> str:
    cleaned = fold(text, keep_accents=True).strip(" .,;:!?\"'()")
    if cleaned in _RELATIVE_DAYS:  # "the day before yesterday" keeps its "the"
        return cleaned
    return re.sub(r"^(?:on|the)\s+(?=\w)", "", cleaned)


def _in_publication_year(month: int, day: int, published: dt.date | None) -> dt.date | None:
    if published is None:
        return None
    candidate = day_of(published.year, month, day)
    if candidate is not None and (candidate - published).days <= _FUTURE_TOLERANCE_DAYS:
        return candidate
    return day_of(published.year - 1, month, day)


def _weekday(weekday: int, qualifier: str | None, published: dt.date) -> dt.date:
    back = (published.weekday() - weekday) % 7
    if qualifier == "next":
        return published + dt.timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    if qualifier in ("last", "this past", "past") and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def resolve_date(text: str, published: dt.date | None) -> dt.date | None:
    """The day a DATE entity names, or None when it names no single day (see the module doc)."""
    phrase = _normalise(text)
    if not phrase:
        return None
    if match := ISO_DATE.fullmatch(phrase):
        return read_iso(match)
    if match := SLASHED_DATE.fullmatch(phrase):
        return read_slashed(match)
    for pattern in _MONTH_DAYS:
        if match := pattern.fullmatch(phrase):
            month, day = ENGLISH_MONTHS[match["month"]], int(match["day"])
            if match["year"]:
                return day_of(int(match["year"]), month, day)
            return _in_publication_year(month, day, published)
    if phrase in _HOLIDAYS:
        return _in_publication_year(*_HOLIDAYS[phrase], published)
    if published is None:
        return None
    if phrase in _RELATIVE_DAYS:
        return published + dt.timedelta(days=_RELATIVE_DAYS[phrase])
    if match := _DAYS_AGO.fullmatch(phrase):
        count = match["count"]
        days = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        return published - dt.timedelta(days=days)
    if match := _WEEKDAY.fullmatch(phrase):
        return _weekday(_WEEKDAYS[match["weekday"]], match["qualifier"], published)
    return None
