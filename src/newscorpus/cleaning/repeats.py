"""Repeated prose: exact repeats by hash, fragments of earlier paragraphs by a shingle index.

Only sentence-length prose counts as a repeat. List items, table rows and short labels recur in
real articles ("Eat every 2-3 hours" on each day of a meal plan, "Yes." in an interview), so
they are never removed as repeats. Both checks are linear in the text: one hash per line, one
hash per word n-gram.
"""

from __future__ import annotations

import re

from newscorpus.util.text import fold

from .shapes import ends_sentence, is_bullet, word_count
from .text import Line

MIN_REPEAT_CHARS = 12  # shorter repeats ("Yes.", "Q:", "–") are often legitimate
MIN_SENTENCE_WORDS = 8  # a closed sentence of this length is prose
MIN_PROSE_WORDS = 10  # so is an open line of this length; shorter ones are labels or entries
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
        prose = is_repeatable_prose(line.text)
        words = words_of(line.text)
        key = " ".join(words)
        if len(key) >= MIN_REPEAT_CHARS:
            if prose and key in seen_exact:
                line.kind, line.rule = "duplicate", "repeat:same-text"
                continue
            seen_exact.add(key)
        shingles = {
            hash(tuple(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)
        }
        if prose and len(words) >= SHINGLE_WORDS + 2 and shingles <= seen_shingles:
            line.kind, line.rule = "duplicate", "repeat:fragment-of-earlier"
            continue
        seen_shingles |= shingles


def is_repeatable_prose(text: str) -> bool:
    """A sentence-length paragraph: not a list item, a table row or a label."""
    if is_bullet(text) or "|" in text:
        return False
    words = word_count(text, MIN_PROSE_WORDS)
    closed = ends_sentence(text) or text.endswith(":")
    return words >= MIN_PROSE_WORDS or (closed and words >= MIN_SENTENCE_WORDS)
