"""Repeated prose: exact repeats by hash, fragments of earlier paragraphs by a shingle index.

Only sentence-length prose counts as a repeat. List items, table rows and short labels recur in
real articles ("Eat every 2-3 hours" on each day of a meal plan, "Yes." in an interview), so
they are never removed as repeats. An exact repeat is a copy, except a refrain: a paragraph that
comes back three times or more, each time far from the last occurrence and between other
paragraphs (the same question asked of each person interviewed), or one sentence of a template
the text fills in three times or more with one word changed ("Vote for Olga on the last page!"
under each contestant, two of them named Olga). A repeat a few lines after an
earlier occurrence (a scrape that pasted a paragraph again, with other quote marks) or inside a
run of lines copied in order (a block pasted twice) is a copy whatever its count.
Both checks are linear in the text: one hash per line, one hash per word n-gram.
"""

from __future__ import annotations

import re
from collections import Counter

from newscorpus.util.text import fold

from .shapes import ends_sentence, is_bullet, word_count
from .text import Line

MIN_REPEAT_CHARS = 12  # shorter repeats ("Yes.", "Q:", "–") are often legitimate
MIN_SENTENCE_WORDS = 8  # a closed sentence of this length is prose
MIN_PROSE_WORDS = 10  # so is an open line of this length; shorter ones are labels or entries
SHINGLE_WORDS = 6  # a fragment must be at least this long to be matched by shingles
NEAR_LINES = 3  # a repeat at most this many lines after an occurrence is a copy of it
REFRAIN_MIN = 3  # occurrences from which a paragraph far from its last one is a refrain
TEMPLATE_MAX_WORDS = 16  # a sentence filled in per item is short; a longer paragraph one word
# apart from others is a copy or an edit of one (an updated figure), not a template
_WORD = re.compile(r"\w+")


def words_of(text: str) -> list[str]:
    """Case-folded words; quote style, punctuation and white space do not count."""
    return _WORD.findall(fold(text, keep_accents=True).replace("'", ""))


def _template_counts(keys: list[str | None]) -> Counter:
    """For each key, how many lines share its words but for one (itself and its repeats too):
    the lines of one template filled in per item."""
    slots: Counter = Counter()
    variants: dict[str, list] = {}
    for key in keys:
        if key is None or key in variants:
            continue
        words = key.split(" ")
        variants[key] = (
            [(i, *words[:i], *words[i + 1 :]) for i in range(len(words))]
            if 2 < len(words) <= TEMPLATE_MAX_WORDS
            else []
        )
    for key in keys:
        if key is not None:
            slots.update(variants[key])
    return Counter(
        {key: max((slots[v] for v in found), default=0) for key, found in variants.items()}
    )


def _copies(keys: list[str | None]) -> tuple[set[int], set[int]]:
    """Positions whose key occurred before, and among them the copies: every repeat of a key
    seen fewer than REFRAIN_MIN times (its own or its template's); of the others, those within
    NEAR_LINES of the last occurrence or beside a line that repeats the line beside it (a run
    copied in order)."""
    last: dict[str, int] = {}
    earlier: list[int | None] = []  # the last occurrence of each position's key before it
    for position, key in enumerate(keys):
        earlier.append(None if key is None else last.get(key))
        if key is not None:
            last[key] = position

    def copied_beside(position: int, step: int) -> bool:
        neighbour, original = position + step, earlier[position] + step
        return (
            0 <= neighbour < len(keys)
            and 0 <= original < len(keys)
            and original != neighbour
            and keys[neighbour] is not None
            and keys[neighbour] == keys[original]
        )

    repeated = {position for position, before in enumerate(earlier) if before is not None}
    counts = Counter(key for key in keys if key is not None)
    if repeated:
        templates = _template_counts(keys)
        counts = Counter({key: max(n, templates[key]) for key, n in counts.items()})
    copies = {
        position
        for position in repeated
        if counts[keys[position]] < REFRAIN_MIN
        or position - earlier[position] <= NEAR_LINES
        or copied_beside(position, -1)
        or copied_beside(position, 1)
    }
    return repeated, copies


def mark_repeats(lines: list[Line]) -> None:
    """Keep the first occurrence; later copies (exact repeats near their original or in a
    copied run) and fragments of earlier prose become duplicates."""
    open_lines = [line for line in lines if line.kind is None]
    line_words = [words_of(line.text) for line in open_lines]
    keys = []
    for words in line_words:
        key = " ".join(words)
        keys.append(key if len(key) >= MIN_REPEAT_CHARS else None)
    repeated, copies = _copies(keys)
    seen_shingles: set[int] = set()
    for position, line in enumerate(open_lines):
        prose = is_repeatable_prose(line.text)
        if prose and position in copies:
            line.kind, line.rule = "duplicate", "repeat:same-text"
            continue
        if position in repeated:
            continue  # a refrain: its words are in the index already
        words = line_words[position]
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
