"""The metadata header some scrapers glue to the first line: `` date 2022-12-28 A new video``."""

from __future__ import annotations

import datetime as dt
import re

from newscorpus.dates.calendar import iso_pattern, read_iso

_HEADER = re.compile(
    r"\A[\s\ufeff\u200b]*date[ \t\u00a0]*[:=]?[ \t\u00a0]*"
    + iso_pattern()
    + r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?=\s|\Z)[ \t\u00a0]*",
    re.IGNORECASE,
)


def find_header(raw: str) -> tuple[int, dt.date | None] | None:
    """End offset of the header and its date (None when the date is not a real day)."""
    match = _HEADER.match(raw)
    if match is None:
        return None
    return match.end(), read_iso(match)
