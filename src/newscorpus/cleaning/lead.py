"""The article's lead (standfirst): the summary paragraph between the headline and the body.

trafilatura drops it on many news pages, because the class names that mark a lead ("teaser",
"intro", "excerpt") are also those of teaser boxes. The page still tells one from the other by
place: a lead is the first element so named that comes after the page's headline (its first
``<h1>``) and ends before the first line of the extracted body, outside navigation, written as
prose rather than links. Nothing is added when the body has no line the page shows after its
headline, or when the text already holds the lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .page import OUTSIDE_TAGS, line_key
from .shapes import ends_sentence, word_count

# Class or id words that name a lead, split on "-", "_" and spaces ("story-lead-text",
# "c-page-intro__copy", "af-chapo", "article-deck").
LEAD_WORDS = frozenset(
    ("lead", "intro", "teaser", "excerpt", "deck", "standfirst", "chapo", "summary", "abstract")
)
LEAD_MIN_WORDS = 8
LEAD_MAX_WORDS = 120  # longer is a part of the body or a whole teaser box
LEAD_MAX_LINK_SHARE = 0.5
FIRST_LINE_MIN_CHARS = 40  # the body's first line must be long enough to be found in the page
_HIDDEN = frozenset(("script", "style", "template", "noscript"))
_SPLIT = re.compile(r"[-_\s]+")


class _BodyFound(Exception):
    """The walk reached the body's first line: nothing after it matters."""


@dataclass(slots=True)
class _Region:
    """The page's visible text from its headline on, as one key string, until the body's
    first line; where the headline and each element named as a lead start and end in it."""

    key: str = ""
    headline_end: int = 0
    body_at: int = -1
    first: str | None = None  # key of the body's first line
    leads: list[tuple[int, int, object]] = field(default_factory=list)


def _named_lead(element) -> bool:
    words = _SPLIT.split(f"{element.get('class') or ''} {element.get('id') or ''}".lower())
    return not LEAD_WORDS.isdisjoint(words)


def _hidden(element) -> bool:
    return any(ancestor.tag in _HIDDEN for ancestor in element.iterancestors())


def _region(headline, text: str) -> _Region:
    """Walk the page in document order from ``headline`` until the body's first line of
    ``text`` shows (only that stretch is read: a page's navigation before it costs nothing)."""
    region = _Region()
    first: str | None = None

    def add(piece: str | None) -> None:
        if not piece:
            return
        searched = max(region.headline_end, len(region.key) - len(first or "") + 1)
        region.key += line_key(piece)
        if first is not None:
            at = region.key.find(first, searched)
            if at >= 0:
                region.body_at = at
                raise _BodyFound

    def visit(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _HIDDEN:
            return
        start = len(region.key)
        add(element.text)
        for child in element:
            visit(child)
            add(child.tail)
        if element is not headline and _named_lead(element):
            region.leads.append((start, len(region.key), element))

    visit(headline)
    region.headline_end = len(region.key)
    first = _body_line(text, region.key)
    if first is None:
        return region
    try:
        element = headline
        while element is not None:  # what follows the headline: tails, then later siblings
            add(element.tail)
            for sibling in element.itersiblings():
                visit(sibling)
                add(sibling.tail)
            element = element.getparent()
    except _BodyFound:
        region.first = first
    return region


def _body_line(text: str, headline: str) -> str | None:
    """Key of the body's first line that is long enough to find and is not the headline."""
    for line in text.splitlines():
        key = line_key(line)
        if len(key) >= FIRST_LINE_MIN_CHARS and key not in headline:
            return key
    return None


def find_lead(tree, text: str) -> tuple[str, str] | None:
    """The page's lead when ``text`` (the extracted body) lacks it, with the key of the body
    line it goes before; else None."""
    headline = next((h1 for h1 in tree.iter("h1") if not _hidden(h1)), None)
    if headline is None:
        return None
    region = _region(headline, text)
    if region.body_at < 0:
        return None
    # Leads were collected innermost first; the outermost of nested ones comes first on the page.
    for start, end, element in sorted(region.leads, key=lambda lead: (lead[0], -lead[1])):
        if start < region.headline_end or end > region.body_at or start == end:
            continue
        lead = " ".join(element.text_content().split())
        if not LEAD_MIN_WORDS <= word_count(lead) <= LEAD_MAX_WORDS or not ends_sentence(lead):
            continue
        if any(ancestor.tag in OUTSIDE_TAGS for ancestor in element.iterancestors()):
            continue
        linked = sum(len(line_key(a.text_content())) for a in element.iter("a") if a.get("href"))
        if linked > LEAD_MAX_LINK_SHARE * (end - start):
            continue
        return None if line_key(lead) in line_key(text) else (lead, region.first)
    return None


def with_lead(tree, text: str) -> str:
    """``text`` with the page's lead before the body's first line, when it lacks the lead."""
    found = find_lead(tree, text)
    if found is None:
        return text
    lead, first = found
    lines = text.splitlines()
    at = next(index for index, line in enumerate(lines) if line_key(line) == first)
    return "\n".join([*lines[:at], lead, *lines[at:]])
