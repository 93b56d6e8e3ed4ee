"""Repeated paragraphs: exact repeats by hash, fragments of earlier paragraphs by a shingle index.

Both are linear in the text: one hash per line, one hash per word n-gram.
"""

from __future__ import annotations

import re

from newscorpus.util.text import fold

from .text import Line

MIN_REPEAT_CHARS = 12  # shorter repeats ("Yes.", "Q:", "–") are often legitimate
SHINGLE_WORDS = 6  # a fragment must be at least this long to be matched by shingles
_WORD = re.compile(r"\w+")


def words_of(text: str) -> list[str]:
    """Case-folded words; quote style, punctuation and white space do not count."""
    return _WORD.findall(fold(text, keep_accents=True).replace("'", ""))


def mark_repeats(lines: list[Line]) -> None:
    """Keep the first occurrence; later exact repeats and fragments become duplicates."""
    seen_exact: set[str] = set()
    seen_shingles: set[int] = set()
    for line in lines:
        if line.kind is not None:
            continue
        words = words_of(line.text)
        key = " ".join(words)
        if len(key) >= MIN_REPEAT_CHARS:
            if key in seen_exact:
                line.kind, line.rule = "duplicate", "repeat:same-text"
                continue
            seen_exact.add(key)
        shingles = {
            hash(tuple(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)
        }
        if len(words) >= SHINGLE_WORDS + 2 and shingles <= seen_shingles:
            line.kind, line.rule = "duplicate", "repeat:fragment-of-earlier"
            continue
        seen_shingles |= shingles
