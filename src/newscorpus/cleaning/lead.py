"""The article's lead (standfirst): the summary paragraph between the headline and the body.

trafilatura drops it on many news pages, because the class names that mark a lead ("teaser",
"intro", "excerpt") are also those of teaser boxes. The page still tells one from the other by
place: a lead is an element so named that comes after the body's headline (the nearest ``<h1>``
before the body's first line: a logo's or a teaser card's comes earlier) and ends before that line,
within a short stretch of the headline. It must read as a lead: prose of 8 to 120 words ending a
sentence, not mostly links, outside navigation and figures, with no form (a newsletter box) and no
heading of its own (a teaser card), and not also named as an image, caption, newsletter, paywall or
promo box. The outermost element so named is the lead, without what inner elements named as a
byline, an author or a date hold, and without short labels. Nothing is added when the body has no
line the page shows after a headline, or when the text already holds a line of the lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .page import HEADING_TAGS, OUTSIDE_TAGS, line_key
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
# How far after the headline the body's first line is looked for (characters of text without
# white space, about 900 words): a lead sits right under the headline, and the walk stays short
# on any page.
MAX_STRETCH_CHARS = 5000
MAX_STRETCH_ELEMENTS = 10_000  # the same bound for markup without text
MAX_CANDIDATES = 50
# Words of a class or id inside a lead's element that mark what is no part of the lead text.
META_WORDS = frozenset(
    ("byline", "author", "authors", "date", "time", "dateline", "meta", "credit", "credits")
)
MAX_HEADLINES = 10  # <h1>s tried, nearest the end first
MAX_HEADLINE_CHARS = 1000  # an <h1> holding more text holds the page, not its headline
# Words of a class or id that make a lead-named element something else: "lead-image",
# "newsletter-teaser", "paywall-teaser", "teaser-caption".
NOT_LEAD_WORDS = frozenset(
    (
        "image",
        "img",
        "photo",
        "picture",
        "media",
        "video",
        "gallery",
        "caption",
        "credit",
        "newsletter",
        "subscribe",
        "subscription",
        "paywall",
        "promo",
        "ad",
        "ads",
        "sponsored",
    )
)
_HIDDEN = frozenset(("script", "style", "template", "noscript"))
_FIGURE = frozenset(("figure", "figcaption"))
_NO_LEAD_INSIDE = _FIGURE | frozenset(("form", "input", "button", "select"))
_BLOCKS = (
    frozenset(
        (
            "p",
            "div",
            "li",
            "br",
            "hr",
            "tr",
            "td",
            "th",
            "dd",
            "dt",
            "dl",
            "blockquote",
            "section",
            "article",
            "header",
            "footer",
            "main",
            "aside",
            "nav",
            "figure",
            "ul",
            "ol",
            "table",
            "pre",
            "address",
        )
    )
    | HEADING_TAGS
)
_SPLIT = re.compile(r"[-_\s]+")


class _StopWalk(Exception):
    """The walk reached the body's first line, or went further than a lead can be."""


@dataclass(slots=True)
class _Region:
    """The page's visible text from its headline on, until the body's first line, as key
    pieces; where the headline ends and each element named as a lead starts and ends in it."""

    headline_end: int = 0
    body_at: int = -1
    first: str | None = None  # key of the body's first line
    leads: list[tuple[int, int, object]] = field(default_factory=list)


def _words(element) -> list[str]:
    return _SPLIT.split(f"{element.get('class') or ''} {element.get('id') or ''}".lower())


def _named(element, words: frozenset[str]) -> bool:
    return isinstance(element.tag, str) and not words.isdisjoint(_words(element))


def _named_lead(element) -> bool:
    words = _words(element)
    return not LEAD_WORDS.isdisjoint(words) and NOT_LEAD_WORDS.isdisjoint(words)


def _hidden(element) -> bool:
    return any(ancestor.tag in _HIDDEN for ancestor in element.iterancestors())


def _headlines(tree):
    """The page's shown ``<h1>`` elements, last first: the body's headline is the nearest one
    before it (a logo's or a teaser card's ``<h1>`` comes earlier, a sidebar's later)."""
    shown = [h1 for h1 in tree.iter("h1") if not _hidden(h1)]
    return shown[::-1][:MAX_HEADLINES]


def _region(headline, text: str) -> _Region:
    """Walk the page in document order from ``headline`` until the body's first line of
    ``text`` shows, and no further than MAX_STRETCH_CHARS of text or MAX_STRETCH_ELEMENTS
    elements past the headline (a page's navigation before the headline, and everything after
    the body's start, cost nothing)."""
    region = _Region()
    pieces: list[str] = []
    length = 0
    tail = ""  # the last characters read, so a line cut across pieces is still found

    def add(piece: str | None) -> None:
        nonlocal length, tail
        if not piece:
            return
        key = line_key(piece)
        pieces.append(key)
        if region.first is not None:
            window = tail + key
            at = window.find(region.first)
            if at >= 0:
                region.body_at = length - len(tail) + at
                raise _StopWalk
            tail = window[-(len(region.first) - 1) :]
            if length + len(key) - region.headline_end > MAX_STRETCH_CHARS:
                raise _StopWalk
        length += len(key)

    visited = 0

    def visit(element) -> None:
        nonlocal visited
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _HIDDEN:
            return
        if region.first is not None:
            visited += 1
            if visited > MAX_STRETCH_ELEMENTS:
                raise _StopWalk
        start = length
        add(element.text)
        for child in element:
            visit(child)
            add(child.tail)
        if element is not headline and _named_lead(element):
            region.leads.append((start, length, element))

    visit(headline)
    region.headline_end = length
    if length > MAX_HEADLINE_CHARS:
        return region
    region.first = _body_line(text, "".join(pieces))
    if region.first is None:
        return region
    try:
        element = headline
        while element is not None:  # what follows the headline: tails, then later siblings
            add(element.tail)
            for sibling in element.itersiblings():
                visit(sibling)
                add(sibling.tail)
            element = element.getparent()
    except _StopWalk:
        pass
    return region


def _body_line(text: str, headline: str) -> str | None:
    """Key of the body's first line that is long enough to find and is not the headline."""
    for line in text.split("\n"):
        key = line_key(line)
        if len(key) >= FIRST_LINE_MIN_CHARS and key not in headline:
            return key
    return None


def _visible_lines(element, join: str = "\n", skip_meta: bool = False) -> str:
    """``element``'s text as a reader sees it: script and style text left out, each block
    (paragraph, list item, heading) a line of its own, white space collapsed. ``skip_meta``:
    leave out what inner elements named as a byline, author, date or the like hold."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _HIDDEN or (skip_meta and node is not element and _named(node, META_WORDS)):
            return
        block = tag in _BLOCKS
        if block:
            flush()
        if tag and node.text:
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(element)
    flush()
    return join.join(lines)


def _reads_as_lead(element, key_chars: int) -> str | None:
    """The element's text when it reads as a lead, else None."""
    # (A form around it proves nothing: some sites wrap the whole page in one.)
    if element.tag in _NO_LEAD_INSIDE or any(
        ancestor.tag in OUTSIDE_TAGS or ancestor.tag in _FIGURE
        for ancestor in element.iterancestors()
    ):
        return None
    if any(
        inner.tag in _NO_LEAD_INSIDE or inner.tag in HEADING_TAGS
        for inner in element.iterdescendants()
    ):
        return None  # a newsletter form, a figure, or a teaser card with its own headline
    # Its lines without inner bylines and dates, and without short labels ("Minister").
    lines = [
        line
        for line in _visible_lines(element, skip_meta=True).split("\n")
        if ends_sentence(line) or word_count(line, LEAD_MIN_WORDS) >= LEAD_MIN_WORDS
    ]
    lead = "\n".join(lines)
    if not LEAD_MIN_WORDS <= word_count(lead.replace("\n", " ")) <= LEAD_MAX_WORDS:
        return None
    if not ends_sentence(lead):
        return None
    linked = sum(len(line_key(a.text_content())) for a in element.iter("a") if a.get("href"))
    if linked > LEAD_MAX_LINK_SHARE * key_chars:
        return None
    return lead


def find_lead(tree, text: str) -> tuple[str, str] | None:
    """The page's lead (its lines joined by newlines) when ``text`` (the extracted body) lacks
    it, with the key of the body line it goes before; else None."""
    for headline in _headlines(tree):
        region = _region(headline, text)
        if region.first is not None and region.body_at >= 0:
            break
    else:
        return None
    passing = []
    for start, end, element in sorted(region.leads, key=lambda lead: lead[0])[:MAX_CANDIDATES]:
        if start < region.headline_end or end > region.body_at or start == end:
            continue
        lead = _reads_as_lead(element, end - start)
        if lead is not None:
            passing.append((element, lead))
    # The outermost: a wrapper's own lead paragraphs, kicker and all, are its lead.
    found = [
        lead
        for element, lead in passing
        if not any(
            other is not element and other in element.iterancestors() for other, _ in passing
        )
    ]
    if not found:
        return None
    lead = found[0]
    body = line_key(text)
    keys = [line_key(line) for line in lead.split("\n")]
    long_keys = [key for key in keys if len(key) >= FIRST_LINE_MIN_CHARS] or ["".join(keys)]
    if any(key in body for key in long_keys):
        return None  # the text holds (part of) the lead already
    return lead, region.first


def with_lead(tree, text: str) -> str:
    """``text`` with the page's lead before the body's first line, when it lacks the lead."""
    found = find_lead(tree, text)
    if found is None:
        return text
    lead, first = found
    lines = text.split("\n")
    at = next(index for index, line in enumerate(lines) if line_key(line) == first)
    return "\n".join([*lines[:at], lead, *lines[at:]])
