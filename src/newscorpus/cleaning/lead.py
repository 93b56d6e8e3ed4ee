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


@dataclass(slots=True)
class _PageText:
    """The page's visible text as one key string, with where elements of interest start and
    end in it (offsets into ``key``)."""

    key: str = ""
    headline: tuple[int, int] | None = None
    leads: list[tuple[int, int, object]] = field(default_factory=list)


def _named_lead(element) -> bool:
    words = _SPLIT.split(f"{element.get('class') or ''} {element.get('id') or ''}".lower())
    return not LEAD_WORDS.isdisjoint(words)


def _page_text(tree) -> _PageText:
    page = _PageText()
    pieces: list[str] = []
    length = 0

    def add(text: str | None) -> None:
        nonlocal length
        if text:
            key = line_key(text)
            pieces.append(key)
            length += len(key)

    def visit(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and tag not in _HIDDEN:
            start = length
            add(element.text)
            for child in element:
                visit(child)
                add(child.tail)
            if tag == "h1" and page.headline is None:
                page.headline = (start, length)
            elif _named_lead(element):
                page.leads.append((start, length, element))

    visit(tree)
    page.key = "".join(pieces)
    return page


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
    page = _page_text(tree)
    if page.headline is None:
        return None
    after = page.headline[1]
    first = _body_line(text, page.key[page.headline[0] : after])
    body_at = page.key.find(first, after) if first else -1
    if body_at < 0:
        return None
    # Leads were collected innermost first; the outermost of nested ones comes first on the page.
    for start, end, element in sorted(page.leads, key=lambda lead: (lead[0], -lead[1])):
        if start < after or end > body_at or start == end:
            continue
        lead = " ".join(element.text_content().split())
        if not LEAD_MIN_WORDS <= word_count(lead) <= LEAD_MAX_WORDS or not ends_sentence(lead):
            continue
        if any(ancestor.tag in OUTSIDE_TAGS for ancestor in element.iterancestors()):
            continue
        linked = sum(len(line_key(a.text_content())) for a in element.iter("a") if a.get("href"))
        if linked > LEAD_MAX_LINK_SHARE * (end - start):
            continue
        return None if line_key(lead) in line_key(text) else (lead, first)
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
