"""Kept lines back into text: broken paragraphs rejoined, paragraphs separated by a blank line."""

from __future__ import annotations

import re

from .shapes import SENTENCE_END, is_bullet
from .text import Line

# "... has lost momentum. T" + "he illegally annexed ..." -> "... momentum. The illegally ..."
_SPLIT_WORD_START = re.compile(r"(?:^|[.!?]\s)[A-ZÀ-Þ]$")


def _continues(previous: str, following: str) -> bool:
    """``following`` carries on the sentence ``previous`` left open."""
    if not previous or not following or not following[0].islower():
        return False
    return previous[-1] not in SENTENCE_END and previous[-1] not in ":;…"


def assemble(lines: list[Line]) -> str:
    paragraphs: list[list[str]] = []  # each paragraph: lines joined by "\n" (list items)
    previous: Line | None = None
    for line in lines:
        if line.kind is not None:
            continue
        text = line.text
        if previous is not None and _continues(paragraphs[-1][-1], text):
            last = paragraphs[-1][-1]
            glue = "" if _SPLIT_WORD_START.search(last[-3:]) else " "
            paragraphs[-1][-1] = last + glue + text
        elif (
            previous is not None
            and previous.paragraph == line.paragraph
            and is_bullet(text)
            and (is_bullet(previous.text) or previous.text.endswith(":"))
        ):
            paragraphs[-1].append(text)
        else:
            paragraphs.append([text])
        previous = line
    return "\n\n".join("\n".join(items) for items in paragraphs)
