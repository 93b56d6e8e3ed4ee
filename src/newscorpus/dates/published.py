"""Publication-date detection: the day an article was first published, and where that came from.

Evidence in order of trust: the scraper's header line (``header``); for HTML the page's own
metadata, read by htmldate, checked against the page's structured dates and the labelled day it
prints for its readers (``html_meta``);
a dateline opening the article (``dateline``); a sentence stating the day of publication,
"today, Tuesday, December 20, 2022" (``text``). A date the text merely mentions is no
publication date. Any date after the file's modification day is rejected.

Settings (the config's ``dates:`` section; defaults in ``config/schema.yaml``):

- ``dateline_chars``: how far into the text a dateline may start.
- ``min_year``: dates before this year are taken for placeholders (1970-01-01, 1998-01-01).
- ``visible_days``: how far (days) a day printed as the page's date ("Datum:", "Stand:") may be
  from the metadata date and still replace it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from newscorpus.config import section
from newscorpus.dates.calendar import (
    ENGLISH_MONTHS,
    WEEKDAYS,
    alternation,
    day_of,
    iso_day,
    iso_pattern,
    read_iso,
)

VERSION = "2"


@dataclass(slots=True)
class DateResult:
    published: dt.date | None
    source: str | None  # header, html_meta, dateline, text, or None


_MONTH = r"(?P<month>" + alternation(ENGLISH_MONTHS) + r")\.?"
_WEEKDAY = r"(?:(?P<weekday>" + "|".join(WEEKDAYS) + r"),?\s+)?"
# "December 20, 2022", "December, 20, 2022", "20 December 2022", "2022-12-20"
_DATE = (
    r"(?:" + _MONTH + r",?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH.replace("month", "month2")
    + r",?\s+(?P<year2>\d{4})"
    r"|" + iso_pattern("_iso") + ")"
)
# The text states its own day: "today, Tuesday, December 20, 2022", "today on Tuesday, ...".
_TODAY = re.compile(r"\btoday\b[,\s]+(?:(?:is|on|it\s+is)\s+)?" + _WEEKDAY + _DATE, re.I)
# A dateline opens the article: "KYIV, Dec. 20, 2022 (Reuters) -", "December 20, 2022 —".
_DATELINE = re.compile(
    r"(?:[A-Z][A-Za-z'.\- ]{1,40},\s+)?" + _WEEKDAY + _DATE + r"\s*(?:\([^)]{1,40}\)\s*)?[-–—:]",
    re.I,
)


def _parse(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    if groups.get("year_iso"):
        value = read_iso(match, "_iso")
    else:
        tag = "" if groups.get("month") else "2"
        # re.I lets "ſep" (long s) match "sep": a name the table does not know is no date.
        month = ENGLISH_MONTHS.get(groups[f"month{tag}"].lower())
        year, day = int(groups[f"year{tag}"]), int(groups[f"day{tag}"])
        value = day_of(year, month, day) if month else None
    weekday = groups.get("weekday")
    if value is not None and weekday and WEEKDAYS.index(weekday.lower()) != value.weekday():
        return None  # "Tuesday, December 21" contradicts itself: trust neither
    return value


def date_stated_as_today(text: str) -> dt.date | None:
    """The day the text says it is written on ("today, Tuesday, December 20, 2022")."""
    for match in _TODAY.finditer(text):
        value = _parse(match)
        if value is not None:
            return value
    return None


def dateline_date(text: str, max_start: int) -> dt.date | None:
    """A full date in a dateline at the start of the text ("KYIV, Dec. 20, 2022 (AP) -")."""
    match = _DATELINE.search(text[: max_start + 80])
    if match is None or match.start() > max_start:
        return None
    if text[: match.start()].strip():
        return None  # a dateline opens the text (or its first line)
    return _parse(match)


# Structured publication dates of HTML pages (JSON-LD, Open Graph / article meta, Dublin Core).
_JSONLD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_META_ATTR = re.compile(r"""(\w[\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_PUBLISHED_META = {
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "pubdate",
    "publishdate",
    "publish-date",
    "sailthru.date",
    "parsely-pub-date",
}


def _walk_jsonld(node, found: dict[str, list[dt.date]]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_jsonld(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("datePublished", "dateCreated", "dateModified") and isinstance(value, str):
                day = iso_day(value)
                if day is not None:
                    found[key].append(day)
            else:
                _walk_jsonld(value, found)


def structured_dates(html: str) -> tuple[list[dt.date], list[dt.date]]:
    """Publication dates a page declares in its metadata, and JSON-LD ``dateModified`` stamps
    earlier than every declared publication date."""
    found: dict[str, list[dt.date]] = {"datePublished": [], "dateCreated": [], "dateModified": []}
    for block in _JSONLD.findall(html):
        try:
            _walk_jsonld(json.loads(block.strip()), found)
        except ValueError:
            continue
    dates = found["datePublished"] + found["dateCreated"]
    modified_earlier = [day for day in found["dateModified"] if dates and day < min(dates)]
    for tag in _META.findall(html):
        attributes = {
            name.lower(): next(v for v in values if v is not None)
            if any(v is not None for v in values)
            else ""
            for name, *values in _META_ATTR.findall(tag)
        }
        key = (
            attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or ""
        ).lower()
        if key in _PUBLISHED_META:
            day = iso_day(attributes.get("content", ""))
            if day is not None:
                dates.append(day)
    return dates, modified_earlier


def html_published(html: str, settings: dict) -> dt.date | None:
    """htmldate's original date; a page-declared modification stamp earlier than its declared
    publication replaces it (a page cannot change before it appears); then the day the page
    prints for its readers (``page_dates``) is weighed against it:

    - a printed day labelled as publication ("Erschienen am", "Published", a printed
      ``itemprop="datePublished"``) replaces it: metadata may be stamped in UTC or by the CMS at
      another moment, the printed day is what the publisher states;
    - a printed day labelled only as the page's date ("Datum:", "Stand:") replaces it when the two
      are at most ``visible_days`` apart (the same moment in local time, or metadata re-stamped by
      a later save), or when the page declares no publication date in its metadata (htmldate then
      guessed from dates the text mentions).

    With no htmldate answer: the printed publication day, the earliest structured publication
    date, the printed page date, in that order."""
    from htmldate import find_date

    from newscorpus.dates.printed import visible_dates

    # htmldate fetches when given a URL; it parses when given markup. Never hand it anything
    # that is not markup.
    if "<" not in html[:2000]:
        return None
    min_year = int(settings["min_year"])
    found = find_date(html, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")
    first = iso_day(found) if found else None
    if first is not None and first.year < min_year:
        first = None  # placeholder dates such as 1998-01-01
    published, modified_earlier = structured_dates(html)
    published = [day for day in published if day.year >= min_year]
    if first is not None and first in published and modified_earlier:
        first = min(modified_earlier)
    shown = visible_dates(html)
    printed = shown.published if shown.published and shown.published.year >= min_year else None
    dated = shown.dated if shown.dated and shown.dated.year >= min_year else None
    if first is None:
        return printed or (min(published) if published else None) or dated
    if printed is not None:
        return printed
    if dated is not None and (
        not published or abs((dated - first).days) <= int(settings["visible_days"])
    ):
        return dated
    return first


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
    options = section("dates", settings)

    def plausible(value: dt.date | None) -> bool:
        return (
            value is not None
            and value.year >= int(options["min_year"])
            and (mtime_day is None or value <= mtime_day)
        )

    if plausible(header_date):
        return DateResult(header_date, "header")
    if fmt == "html" and raw:
        page_date = html_published(raw, options)
        if plausible(page_date):
            return DateResult(page_date, "html_meta")
    if plausible(meta_date):
        return DateResult(meta_date, "html_meta")
    stated = dateline_date(text, int(options["dateline_chars"]))
    if plausible(stated):
        return DateResult(stated, "dateline")
    stated = date_stated_as_today(text)
    if plausible(stated):
        return DateResult(stated, "text")
    return DateResult(None, None)
