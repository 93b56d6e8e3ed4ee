"""Publication-date detection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

VERSION = "0"


@dataclass(slots=True)
class DateResult:
    published: dt.date | None
    source: str | None  # header, html_meta, dateline, text, ... or None


def detect_published(
    text: str,
    *,
    fmt: str,
    raw: str | None,
    header_date: dt.date | None,
    meta_date: dt.date | None,
    mtime_day: dt.date | None,
    settings: dict,
) -> DateResult:
    for value, source in ((header_date, "header"), (meta_date, "html_meta")):
        if value is not None and (mtime_day is None or value <= mtime_day):
            return DateResult(value, source)
    return DateResult(None, None)
