"""Folding text for matching: the one place that decides which spellings count as the same.

Every matcher (marker phrases, repeated paragraphs, names, places, DATE values) compares
:func:`fold` keys, so "Don’t", "Don't" and "DON`T" match everywhere or nowhere.
"""

from __future__ import annotations

import unicodedata

# Apostrophes and single quotes written in other characters: ’ ‘ ‛ ` ´ ʼ ʹ.
QUOTE_MARKS = "\u2019\u2018\u201b`\u00b4\u02bc\u02b9"
# Hyphens written in other characters: hyphen, non-breaking hyphen, figure dash, minus sign.
HYPHENS = "\u2010\u2011\u2012\u2212"
PLAIN_MARKS = str.maketrans({**dict.fromkeys(QUOTE_MARKS, "'"), **dict.fromkeys(HYPHENS, "-")})


def strip_accents(text: str) -> str:
    """``text`` without combining marks after compatibility decomposition: "Kyïv" -> "Kyiv"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str, *, keep_accents: bool = False) -> str:
    """The matching key of ``text``: case folded, accents removed, quote marks written ', hyphens
    written -, white space collapsed to single spaces and trimmed.

    ``keep_accents``: compose accents (NFC) instead of removing them, for matchers where an
    accent tells words apart (marker phrases of several languages, repeated paragraphs).
    """
    if text.isascii():  # most text: casefold is lower, and ` the one quote mark to map
        return " ".join(text.lower().replace("`", "'").split())
    # Quote marks are mapped before normalising (decomposition turns ´ into a space and an
    # accent) and after it (it turns ŉ into ʼn and a non-breaking hyphen into a hyphen).
    text = text.translate(PLAIN_MARKS)
    text = unicodedata.normalize("NFC", text) if keep_accents else strip_accents(text)
    return " ".join(text.casefold().translate(PLAIN_MARKS).split())
