"""Direct quotes and their speakers, from quote marks, entities and a lexicon of cues.

``marks`` pairs quotation marks into pieces of text, ``attribution`` finds the cue and speaker
of each, ``lexicon`` reads the cues of ``data/quotes.yaml``. :func:`quote_rows` gives the rows of
one document for the ``quotes`` table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newscorpus.quotes.attribution import Quote, extract_quotes
from newscorpus.quotes.lexicon import Lexicon, load_lexicon

VERSION = "1"

__all__ = ["VERSION", "Lexicon", "Quote", "extract_quotes", "load_lexicon", "quote_rows"]


def quote_rows(
    doc_id: str,
    key: str,
    text: str,
    sentences: Sequence[tuple[int, int]],
    entities: Sequence[Mapping],
    lexicon: Lexicon,
) -> list[dict]:
    """Rows of the ``quotes`` table for one document (``quote_idx`` in text order)."""
    return [
        {
            "doc_id": doc_id,
            "key": key,
            "quote_idx": idx,
            "start": quote.start,
            "end": quote.end,
            "text": quote.text,
            "speaker": quote.speaker,
            "speaker_canonical": quote.speaker_canonical,
            "speaker_entity_idx": quote.speaker_entity_idx,
            "cue": quote.cue,
            "sentence_idx": quote.sentence_idx,
        }
        for idx, quote in enumerate(extract_quotes(text, sentences, entities, lexicon))
    ]
