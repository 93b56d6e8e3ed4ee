"""What a line looks like: sentence, headline, teaser, bullet item. Used by tails and joins."""

from __future__ import annotations

import re

SENTENCE_END = ".!?\"”’'»)]"
CLOSERS = "\"”’'»)]"
TEASER_END = ("…", "...")
_SENTENCE_INSIDE = re.compile(r"[.!?][\"”’'»)]*\s+[\"“‘'«(]*[A-ZÀ-Þ]")
_FIELD = re.compile(r"^[\w\-]+:\s")
_LEAD_IN = re.compile(r"\w:$")
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙*+\-–—]\s|\d{1,3}[.)]\s)")


def ends_sentence(text: str) -> bool:
    """Closes with . ! or ? (closing quotes and brackets after it allowed), not an ellipsis."""
    core = text.rstrip(CLOSERS)
    return bool(core) and core[-1] in ".!?" and not core.endswith(TEASER_END)


def is_question(text: str) -> bool:
    """Closes with ? (closing quotes and brackets after it allowed)."""
    return text.rstrip(CLOSERS).endswith("?")


def is_teaser(text: str) -> bool:
    """A truncated summary: ends with an ellipsis."""
    return text.endswith(TEASER_END)


def is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def word_count(text: str, limit: int = 10_000) -> int:
    """Words in ``text`` (counting stops at ``limit``, so a huge line costs no more)."""
    return len(text[: limit * 20].split(" ", limit))


def is_field(text: str) -> bool:
    """A one-word label and its value: "Autor: ...", "Telefon: ...", "Earcuff: ..."."""
    return bool(_FIELD.match(text))


def is_lead_in(text: str) -> bool:
    """A line announcing what follows: ends with a word and a colon ("Mehr Themen:")."""
    return bool(_LEAD_IN.search(text))


def is_headline(text: str) -> bool:
    """Short line without closing punctuation: a headline, link text or subheading."""
    return (
        not ends_sentence(text)
        and not is_teaser(text)
        and not is_bullet(text)
        and not text.endswith(":")
        and "|" not in text
        and not is_field(text)
        and word_count(text) <= 30
    )


def is_body(text: str) -> bool:
    """Prose paragraph: a sentence of some length that ends with closing punctuation."""
    return ends_sentence(text) and word_count(text) >= 12


def is_prose(text: str) -> bool:
    """Body text no headline or teaser resembles: a long sentence, or more than one."""
    if not ends_sentence(text):
        return False
    return word_count(text) >= 25 or bool(_SENTENCE_INSIDE.search(text[:2000]))
