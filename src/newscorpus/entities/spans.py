"""Entity spans without junk at their edges, so that ``text[start:end]`` is the clean name.

The model's spans can carry white space ("Bakhmut\\n\\n"), a hyphen ("Bakhmut-" before a dash
clause), a possessive ("Russia‘s", "Prigozhin’s", any apostrophe) or quote marks. The span is
narrowed, never rewritten: ``start``/``end`` still slice the document's text exactly, and the
entity text is that slice. A possessive that belongs to the name ("McDonald's", the
``keep_possessive`` list of ``data/names.yaml``) is kept. A span that is nothing but junk is
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

VERSION = "1"

_QUOTES = "\"'\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2018\u2019\u201a\u201b`\u00b4\u02bc"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_EDGE = _QUOTES + _DASHES
_POSSESSIVE = re.compile(r"(?<=[^\W\d_])[\u2019\u2018\u201b'`\u00b4\u02bc]s$", re.IGNORECASE)
_PLURAL_POSSESSIVE = re.compile(r"(?<=s)[\u2019\u2018\u201b'`\u00b4\u02bc]$", re.IGNORECASE)


def clean_span(
    text: str, start: int, end: int, keep: Callable[[str], bool] | None = None
) -> tuple[int, int] | None:
    """The span narrowed past white space, quotes, dashes and a possessive; None if empty.

    ``keep(surface)``: True when a trailing possessive belongs to the name.
    """
    previous = None
    while (start, end) != previous:
        previous = (start, end)
        while start < end and (text[start].isspace() or text[start] in _EDGE):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _DASHES):
            end -= 1
        surface = text[start:end]
        possessive = _POSSESSIVE.search(surface)
        if possessive and not (keep and keep(surface)):
            end = start + possessive.start()
            continue
        if _PLURAL_POSSESSIVE.search(surface) or (end > start and text[end - 1] in _QUOTES):
            end -= 1
    return (start, end) if end > start else None


@cache
def _keeps_possessive() -> Callable[[str], bool]:
    from newscorpus.entities.gazetteer import fold_name
    from newscorpus.entities.lexicon import lists

    kept = {fold_name(name) for name in lists().keep_possessive}
    return lambda surface: fold_name(surface) in kept


def clean_entities(
    text: str, entities: Iterable[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The entities of one text with clean spans, in order; junk-only spans dropped."""
    keep = _keeps_possessive()
    out = []
    for start, end, label in entities:
        span = clean_span(text, start, end, keep)
        if span is not None:
            out.append((span[0], span[1], label))
    return out
