"""Main text and metadata of an HTML page, extracted by trafilatura (offline, never raises)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from .lead import with_lead
from .page import Hint, page_hints

LOG = logging.getLogger(__name__)

# trafilatura is unsure when its text is under this share of the page's prose (the text of its
# <p> elements of a sentence's length); readability-lxml then gives a second opinion, taken
# when it holds nearly all of trafilatura's text and much more (trafilatura stopped early).
UNSURE_SHARE = 0.5
PROSE_WORDS = 8
MIN_COVERAGE = 0.9
MIN_GAIN = 1.5
HIDDEN_ARTICLE_WORDS = 150  # a <noscript> with more words holds the article, not a notice
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "blockquote")


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None
    date: dt.date | None = None
    hints: dict[str, Hint] = field(default_factory=dict)  # see page.py


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract(raw: str, settings: dict) -> Extracted:
    """trafilatura's main text (comments out, tables in); empty text when nothing is found.

    ``raw`` is a string already decoded, so trafilatura never fetches or guesses an encoding.
    """
    if not raw.strip():
        return Extracted("")
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(raw)
        if tree is None:
            return Extracted("")
        # What a browser with scripts never shows: trafilatura keeps <noscript> and <template>
        # text ("Please enable JavaScript", widget markup) as if it were content. Some pages
        # put the whole article in <noscript> for readers without scripts: that one stays.
        for hidden in list(tree.iter("noscript", "template")):
            if len("".join(hidden.itertext()).split()) < HIDDEN_ARTICLE_WORDS:
                _remove(hidden)
        hints = page_hints(tree)
        document = trafilatura.bare_extraction(
            tree,
            include_comments=False,
            include_tables=True,
            include_formatting=False,
            favor_precision=bool(settings["favor_precision"]),
            favor_recall=bool(settings["favor_recall"]),
            with_metadata=True,
        )
    except Exception as exc:  # broken markup of any sort: the caller marks the document
        LOG.warning("trafilatura failed: %s: %s", type(exc).__name__, exc)
        return Extracted("")
    if document is None:
        return Extracted("")
    text = document.text or ""
    if _chars(text) < UNSURE_SHARE * _prose_chars(tree):
        text = _second_opinion(raw, text)
    text = with_lead(tree, text)
    return Extracted(
        text=text,
        title=document.title or None,
        author=document.author or None,
        sitename=document.sitename or None,
        url=document.url or None,
        date=_date(document.date),
        hints=hints,
    )


def _chars(text: str) -> int:
    return len("".join(text.split()))


def _prose_chars(tree) -> int:
    total = 0
    for paragraph in tree.iter("p"):
        words = "".join(paragraph.itertext()).split()
        if len(words) >= PROSE_WORDS:
            total += len("".join(words))
    return total


def _word_shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))}


def _second_opinion(raw: str, text: str) -> str:
    """readability-lxml's article when it contains trafilatura's and much more, else ``text``."""
    try:
        import lxml.html
        from readability import Document

        summary = Document(raw).summary(html_partial=True)
        tree = lxml.html.fromstring(summary)
        for block in tree.iter(*_BLOCKS):
            block.tail = "\n" + (block.tail or "")
            if block.tag != "br":
                block.text = "\n" + (block.text or "")
        other = tree.text_content()
    except Exception as exc:  # a second opinion that fails changes nothing
        LOG.info("readability failed: %s: %s", type(exc).__name__, exc)
        return text
    ours = _word_shingles(text)
    if not ours or _chars(other) < MIN_GAIN * _chars(text):
        return text
    coverage = len(ours & _word_shingles(other)) / len(ours)
    return other if coverage >= MIN_COVERAGE else text


def _remove(element) -> None:
    """Remove ``element`` and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
