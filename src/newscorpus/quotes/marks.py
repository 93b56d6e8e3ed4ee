"""Quoted spans: pairing quotation marks into pieces of text, one piece per paragraph.

Three families of marks pair independently, so that one nests inside another: double marks
(``"`` ``“`` ``”`` ``„``), guillemets (``«`` ``»`` ``‹`` ``›``) and single marks (``'`` ``‘``
``’`` ``‚``). A straight mark opens or closes by what is around it (a space or an opening
bracket before: opens; a space or punctuation after: closes). A single mark between two letters
or digits is an apostrophe ("don't", "Russia‘s"), and a closing-looking single mark with nothing
open is one too ("the players' union").

Quotes over several paragraphs: every paragraph opens again and only the last one closes, and
a text often writes the paragraphs of one quote on one line (``"A. "B."``): an opening mark
while a quote is open ends the open piece just before it. A quote never runs over a paragraph
break: it is cut there into one piece per paragraph; a piece left open at a paragraph's end is
kept only when the quote goes on (the next paragraph opens again or closes it) or when it opened
the paragraph, otherwise its mark was a stray one and is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FAMILY = {
    '"': "double",
    "\u201c": "double",
    "\u201d": "double",
    "\u201e": "double",
    "\u00ab": "angle",
    "\u00bb": "angle",
    "\u2039": "angle",
    "\u203a": "angle",
    "'": "single",
    "\u2018": "single",
    "\u2019": "single",
    "\u201a": "single",
}
MARKS = "".join(_FAMILY)
_MARK = re.compile(f"[{re.escape(MARKS)}]")
_ALWAYS_OPEN = frozenset("\u201e\u00ab\u2039\u201a")
_ALWAYS_CLOSE = frozenset("\u00bb\u203a")
_OPEN_BEFORE = frozenset("([{\u2014\u2013-/\u2022*\u00b7") | frozenset(MARKS)
_CLOSE_AFTER = frozenset(".,;:!?)]}\u2014\u2013-/\u2026") | frozenset(MARKS)
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
# What may stand between a paragraph's start and its opening mark: bullets, dashes, space.
_LEAD = re.compile(r"[\s\u2022\u00b7*\u2013\u2014-]*")


@dataclass(frozen=True, slots=True)
class Piece:
    """Text between marks: ``start``/``end`` index the text, trimmed of white space."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark (or of the paragraph start when none)
    close_mark: int | None  # offset of the closing mark; None when the piece runs on
    family: str


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of text that is not blank."""
    spans, start = [], 0
    for match in _PARAGRAPH.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _role(text: str, i: int) -> str | None:
    """ "open", "close", "either" or None (an apostrophe, not a mark)."""
    char = text[i]
    before = text[i - 1] if i else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if _FAMILY[char] == "single" and before.isalnum() and after.isalnum():
        return None
    if char in _ALWAYS_OPEN:
        return "open"
    if char in _ALWAYS_CLOSE:
        return "close"
    space_before = before.isspace() or before in _OPEN_BEFORE
    space_after = after.isspace() or after in _CLOSE_AFTER
    if char == "'" and space_before and after.isdigit():
        return None  # '90s
    if space_before and not space_after:
        return "open"
    if space_after and not space_before:
        return "close"
    if char in "\u201c\u2018":
        return "open"
    if char in "\u201d\u2019":
        return "close"
    return "either"


def _trimmed(text: str, start: int, end: int, *, lead: bool = False) -> tuple[int, int]:
    while start < end and (text[start].isspace() or (lead and text[start] in "\u2022\u00b7*")):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_pieces(text: str) -> list[Piece]:
    """Every quoted piece of ``text`` (all families), in text order."""
    paras = paragraphs(text)
    events: dict[str, list[tuple[int, str, int]]] = {"double": [], "angle": [], "single": []}
    index = 0
    for match in _MARK.finditer(text):
        pos = match.start()
        while index < len(paras) - 1 and pos >= paras[index][1]:
            index += 1
        role = _role(text, pos)
        if role is not None:
            events[_FAMILY[text[pos]]].append((pos, role, index))
    pieces: list[Piece] = []
    for family, marks in events.items():
        pieces.extend(_pair(text, family, marks, paras))
    pieces.sort(key=lambda piece: (piece.start, -piece.end))
    return pieces


def _opens_paragraph(text: str, pos: int, para: tuple[int, int]) -> bool:
    return _LEAD.match(text, para[0]).end() >= pos


def _pair(
    text: str, family: str, marks: list[tuple[int, str, int]], paras: list[tuple[int, int]]
) -> list[Piece]:
    pieces: list[Piece] = []
    pending: tuple[int, int] | None = None  # (mark offset, paragraph index)

    def emit(start: int, end: int, open_mark: int, close_mark: int | None) -> None:
        start, end = _trimmed(text, start, end, lead=True)
        if end > start:
            pieces.append(Piece(start, end, open_mark, close_mark, family))

    for pos, role, para in marks:
        if pending is not None and para != pending[1]:
            open_pos, open_para = pending
            # The quote goes on when the next paragraph opens again, or when it or the one
            # after closes it (a list of items inside one pair of marks).
            closes_here = role in ("close", "either") and not (
                role == "either" and _opens_paragraph(text, pos, paras[para])
            )
            reopens = role in ("open", "either") and _opens_paragraph(text, pos, paras[para])
            if (closes_here and para - open_para <= 2) or (reopens and para == open_para + 1):
                emit(open_pos + 1, paras[open_para][1], open_pos, None)
                for middle in range(open_para + 1, para):
                    emit(paras[middle][0], paras[middle][1], paras[middle][0], None)
                if closes_here:
                    emit(paras[para][0], pos, paras[para][0], pos)
                    pending = None
                    continue
            elif _opens_paragraph(text, open_pos, paras[open_para]):
                emit(open_pos + 1, paras[open_para][1], open_pos, None)
            pending = None
        if role == "open" or (role == "either" and pending is None):
            if pending is not None:  # "A. "B." on one line: the first piece ends here
                emit(pending[0] + 1, pos, pending[0], None)
            pending = (pos, para)
        elif pending is not None:  # close, or either with a quote open
            emit(pending[0] + 1, pos, pending[0], pos)
            pending = None
    if pending is not None and _opens_paragraph(text, pending[0], paras[pending[1]]):
        emit(pending[0] + 1, paras[pending[1]][1], pending[0], None)
    return pieces
