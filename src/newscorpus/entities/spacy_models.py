"""spaCy pipelines with only the components a stage needs, and bounded-size chunks of text.

The small English and French models give ``senter`` and ``ner`` embeddings of their own, so a
stage that needs sentences loads ``senter`` alone and one that needs entities loads ``ner`` alone:
no tok2vec, tagger, parser or lemmatizer runs. Components that listen to a shared ``tok2vec``
(other models) get it added automatically.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Doc

T = TypeVar("T")

log = logging.getLogger(__name__)

# spaCy's memory grows with the text in a batch; longer texts are cut at paragraph, line or word
# boundaries into pieces of at most this many characters (news articles are shorter, so they go
# whole), and a batch holds at most BATCH_CHARS characters.
MAX_CHUNK_CHARS = 20_000
BATCH_CHARS = 200_000


def _listens_to(config: dict, component: str) -> set[str]:
    """Upstream components that ``component``'s model listens to (Tok2VecListener)."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("@architectures", "")).startswith("spacy.Tok2VecListener"):
                found.add(str(node.get("upstream", "tok2vec")).replace("*", "tok2vec"))
            for value in node.values():
                walk(value)

    walk(config["components"][component].get("model", {}))
    return found


@functools.cache
def load_pipeline(package: str, components: tuple[str, ...]):
    """Load ``package`` with only ``components`` (and what they listen to) enabled."""
    import spacy
    from spacy.util import get_package_path, load_config

    # Model packages keep their data in a versioned sub-folder (``name-3.8.0/config.cfg``).
    root = get_package_path(package)
    config_path = next(
        p for p in [root / "config.cfg", *sorted(root.glob("*/config.cfg"))] if p.exists()
    )
    config = load_config(config_path, interpolate=False)
    pipeline = list(config["nlp"]["pipeline"])
    missing = [name for name in components if name not in pipeline]
    if missing:
        raise ValueError(f"spaCy model {package} has no component {', '.join(missing)}")
    keep = set(components)
    for name in components:
        keep |= _listens_to(config, name)
    nlp = spacy.load(package, exclude=[name for name in pipeline if name not in keep])
    for name in keep:
        if name in nlp.disabled:
            nlp.enable_pipe(name)
    nlp.max_length = MAX_CHUNK_CHARS + 1
    log.info("loaded %s with %s", package, nlp.pipe_names)
    return nlp


@functools.cache
def load_sentencizer(language: str | None):
    """Rule-based sentence splitting for languages without a configured model."""
    import spacy

    try:
        nlp = spacy.blank(language or "xx")
    except Exception:  # languages whose tokenizer needs extra packages (ja, ko, th, vi, ...)
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    nlp.max_length = MAX_CHUNK_CHARS + 1
    return nlp


def pipe(
    pipeline, items: Iterable[tuple[str, T]], batch_size: int, n_process: int = 1
) -> Iterator[tuple[Doc, T]]:
    """``pipeline.pipe`` over ``(text, context)`` pairs with batches bounded in characters too.

    A batch closes at ``batch_size`` texts or :data:`BATCH_CHARS` characters, whichever comes
    first, so a shard of long documents runs in the memory of a shard of short ones. With
    ``n_process`` > 1 spaCy's own batching is used (its worker processes split the stream).
    """
    if n_process > 1:
        yield from pipeline.pipe(items, as_tuples=True, batch_size=batch_size, n_process=n_process)
        return
    batch: list[tuple[str, T]] = []
    chars = 0
    for item in items:
        if batch and (len(batch) >= batch_size or chars + len(item[0]) > BATCH_CHARS):
            yield from pipeline.pipe(batch, as_tuples=True, batch_size=len(batch))
            batch, chars = [], 0
        batch.append(item)
        chars += len(item[0])
    if batch:
        yield from pipeline.pipe(batch, as_tuples=True, batch_size=len(batch))


def chunks(text: str, limit: int = MAX_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into ``(offset, piece)`` pieces of at most ``limit`` characters.

    Cuts prefer a paragraph break, then a line break, then a space; a run with none of them (a
    2 MB line of one word) is cut hard. Pieces are consecutive: offset + len(piece) is the next
    offset, so spaCy offsets map back by adding ``offset``.
    """
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > limit // 2:
                cut += len(separator)
                break
        if cut <= 0:
            cut = limit
        yield start, text[start : start + cut]
        start += cut
    if start < len(text):
        yield start, text[start:]
