"""Dates a page shows its readers, labelled as the day of publication.

A page's metadata may be stamped in UTC, by the CMS at another moment (draft, re-save) or be
missing; the day printed on the page, next to a label saying what it is, is the day the
publisher tells its readers. Two strengths of label:

- ``published``: the label names publication ("Veröffentlicht am", "Erschienen am",
  "Erscheinungsdatum", "Published", "Posted on", "Publié le", "Pubblicato il", ...) or the
  element is marked ``itemprop="datePublished"`` and prints a date;
- ``dated``: the label, with its colon, only dates the page ("Datum:", "Date:", "Stand:"), which
  may be the day of the last change.

The first labelled date of each strength in document order is kept (the article's header comes
before related-article lists and comments). Slashed dates are read only when unambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from newscorpus.dates.calendar import (
    MONTHS,
    alternation,
    day_of,
    iso_pattern,
    read_iso,
    read_slashed,
    slashed_pattern,
)

_MONTH = "(?:" + alternation(MONTHS) + r")\.?"

# A day as pages print it.
_DATE = re.compile(
    r"(?<![\d.])(?:"
    r"(?P<d1>\d{1,2})\.\s?(?P<m1>\d{1,2})\.\s?(?P<y1>\d{4})"  # 13.10.2021
    r"|"
    + iso_pattern("2")  # 2021-10-13
    + r"|(?P<d3>\d{1,2})(?:\.|st|nd|rd|th|er|º)?\s+(?:de\s+)?(?P<m3>"
    + _MONTH
    + r"),?\s+"
    r"(?:de\s+)?(?P<y3>\d{4})"  # 13. Oktober 2021, 6 de diciembre de 2020
    r"|(?P<m4>" + _MONTH + r")\s+(?P<d4>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y4>\d{4})"  # Oct 13, 2021
    r"|"
    + slashed_pattern("5")  # 13/10/2021 (unambiguous only)
    + r")(?!\d)",
    re.I,
)
_PUBLISHED_LABEL = (
    r"veröffentlicht|erschienen|erscheinungsdatum|veröffentlichungsdatum|publiziert"
    r"|published|first\s+published|posted|publication\s+date|date\s+published"
    r"|publié|date\s+de\s+publication|pubblicato|data\s+di\s+pubblicazione"
    r"|publicado|fecha\s+de\s+publicación|gepubliceerd|publicerad|opublikowano"
)
_DATED_LABEL = r"datum|date|stand|data|fecha"
# The label, an optional preposition and weekday, then the date: "Erschienen am: 13.10.2021",
# "Stand: 28.04.2020 18:00 Uhr", "Published on Tuesday, 5 May 2020".
_LABELLED = re.compile(
    r"(?<![\w-])(?:(?P<published>" + _PUBLISHED_LABEL + r")\s*:?"
    r"|(?P<dated>" + _DATED_LABEL + r")\s*:)"
    r"\s*(?:(?:am|on|le|il|el|em|den|op|vom|du|del)\b\s*)?:?\s*"
    r"(?:(?!" + _MONTH + r"\s)[^\W\d_]{2,12}\.?,?\s+)?(?=\d|[^\W\d_]{3,9}\.?\s+\d)",
    re.I,
)
_SKIPPED = ("script", "style", "noscript", "template", "head", "select", "option", "textarea")


@dataclass(slots=True)
class VisibleDates:
    published: dt.date | None = None  # first date labelled as publication
    dated: dt.date | None = None  # first date labelled only as the page's date


def parse_day(text: str) -> dt.date | None:
    """The first day written in ``text`` ("13.10.2021", "6 Dicembre 2020", "Oct 13, 2021")."""
    match = _DATE.search(text)
    return _to_day(match) if match else None


def _to_day(match: re.Match[str]) -> dt.date | None:
    g = match.groupdict()
    if g["y1"]:
        return day_of(int(g["y1"]), int(g["m1"]), int(g["d1"]))
    if g["year2"]:
        return read_iso(match, "2")
    if g["y3"] or g["y4"]:
        n = "3" if g["y3"] else "4"
        # re.I lets "ſept" (long s) match "sept": a name the table does not know is no date.
        month = MONTHS.get(g[f"m{n}"].lower().rstrip("."))
        return day_of(int(g[f"y{n}"]), month, int(g[f"d{n}"])) if month else None
    return read_slashed(match, "5")  # None for 05/06/2020: day and month cannot be told apart


def _body(html: str):
    import lxml.html
    from lxml import etree

    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    for element in list(doc.iter(etree.Comment, *_SKIPPED)):
        if element.getparent() is not None:
            element.drop_tree()
    return doc


def visible_dates(html: str) -> VisibleDates:
    """The first publication-labelled and the first date-labelled day the page prints."""
    found = VisibleDates()
    doc = _body(html)
    if doc is None:
        return found
    # Marked-up publication dates that print a full day; the printed day is local time.
    for element in doc.iterfind(".//*[@itemprop='datePublished']"):
        day = parse_day(element.text_content())
        if day is not None:
            found.published = day
            break
    # <time datetime> elements that print no full day ("vor 2 Stunden") stand for their stamp.
    for element in doc.iter("time"):
        stamp = parse_day(element.get("datetime") or "")
        if stamp is not None and parse_day(element.text_content()) is None:
            for child in list(element):
                child.drop_tree()
            element.text = stamp.isoformat()
    text = " ".join(" ".join(doc.itertext()).split())
    for match in _LABELLED.finditer(text):
        date = _DATE.match(text, match.end())
        day = _to_day(date) if date else None
        if day is None:
            continue
        if match.group("published"):
            if found.published is None:
                found.published = day
        elif found.dated is None:
            found.dated = day
        if found.published is not None and found.dated is not None:
            break
    return found
