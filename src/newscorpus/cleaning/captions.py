"""Photo captions and credits, also when glued to a sentence ("... regionPhoto: AFP")."""

from __future__ import annotations

import re

from .markers import Markers
from .text import Line

MAX_CREDIT_CHARS = 200
MAX_CREDIT_WORDS = 25
LONG_LINE = 5000
CREDIT_WINDOW = MAX_CREDIT_CHARS + 60
MAX_CAPTION_WORDS = 40  # caption text before the credit; longer means it is prose, keep it
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)]*(?=\s|[A-ZÀ-Þ])")


def find_caption(raw: str, line: Line, markers: Markers) -> tuple[int, int, str] | None:
    """Raw span and label of the caption in ``line``, or None.

    The caption is the credit (label to line end) plus the caption text glued before it,
    back to the last sentence end of the line; with no sentence end before it the whole line
    is the caption.
    """
    # A credit runs to the end of the line, so on a long line only its end can hold one.
    window = line.start if line.end - line.start <= LONG_LINE else line.end - CREDIT_WINDOW
    match = markers.caption.search(raw, window, line.end)
    if match is None:
        return None
    label = match.group(0).rstrip(": ").strip()
    start = match.start()
    before = raw[line.start : start]
    if before.rstrip().endswith("("):
        close = raw.find(")", match.end(), min(line.end, match.end() + MAX_CREDIT_CHARS))
        if close != -1:  # "(Photo: AFP)" inside a sentence: only the parenthesis goes
            return line.start + len(before.rstrip()) - 1, close + 1, label
    credit = raw[match.end() : line.end]
    if len(credit) > MAX_CREDIT_CHARS or len(credit.split()) > MAX_CREDIT_WORDS:
        return None
    if not credit.strip() and not before.strip():
        return None
    window_start = max(0, len(before) - MAX_CAPTION_WORDS * 12)
    breaks = list(_SENTENCE_BREAK.finditer(before, window_start))
    if breaks:
        caption_start = line.start + breaks[-1].end()
    elif window_start == 0:
        caption_start = line.start
    else:
        caption_start = start
    if len(raw[caption_start:start].split()) > MAX_CAPTION_WORDS:
        caption_start = start
    while caption_start < start and raw[caption_start].isspace():
        caption_start += 1
    return caption_start, line.end, label
