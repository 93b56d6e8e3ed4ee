"""Lines with their offsets in the raw text, and the character-level normalisation of a line.

Cleaning decides on normalised text but records removals as offsets into the text it started
from, so every line keeps the span of the raw text it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Invisible characters scrapes leave inside words: zero-width space, word joiner, BOM, soft
# hyphen, Mongolian vowel separator. ZWJ and ZWNJ stay: they change how some scripts and emoji
# render, so removing them would change the wording.
INVISIBLE = "\u200b\u2060\ufeff\u00ad\u180e"
# Every character for which str.isspace() is true, written out: computing it at import walked all
# 1.1 million code points and cost 0.1 s in every stage process (a unit test keeps it exact).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
BLANK = WHITESPACE + INVISIBLE

_LINE_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile(f"[{INVISIBLE}]+")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Line:
    """One non-blank line: raw span, normalised text, and the decision taken on it."""

    start: int  # raw offsets of the line without its surrounding white space
    end: int
    text: str  # normalised (NFC, invisible characters dropped, white space collapsed)
    paragraph: int  # index of the blank-line separated block the line belongs to
    kind: str | None = None  # set when the line is removed
    rule: str | None = None


def normalise(text: str) -> str:
    """NFC, invisible characters removed, every run of white space one space, trimmed."""
    if text.isascii():
        return " ".join(text.split())
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return unicodedata.normalize("NFC", text)


def split_lines(raw: str, offset: int = 0) -> list[Line]:
    """Non-blank lines of ``raw[offset:]``; any line ending (CRLF, CR, LF, U+2028...) splits."""
    lines: list[Line] = []
    paragraph = 0
    blank_before = False
    position = offset
    spans = [(m.start(), m.end()) for m in _LINE_BREAK.finditer(raw, offset)]
    spans.append((len(raw), len(raw)))
    for break_start, break_end in spans:
        piece = raw[position:break_start]
        left = piece.lstrip(BLANK)
        if left:
            if blank_before and lines:
                paragraph += 1
            blank_before = False
            start = position + len(piece) - len(left)
            end = start + len(left.rstrip(BLANK))
            lines.append(Line(start, end, normalise(raw[start:end]), paragraph))
        else:
            blank_before = True
        position = break_end
    return lines


def line_with_span(raw: str, line: Line, start: int, end: int) -> Line:
    """The same line narrowed to raw[start:end] (trimmed again), text renormalised."""
    piece = raw[start:end]
    left = piece.lstrip(BLANK)
    start += len(piece) - len(left)
    end = start + len(left.rstrip(BLANK))
    return Line(start, end, normalise(raw[start:end]), line.paragraph)
