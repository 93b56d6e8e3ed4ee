"""Annotate stage: sentences and entities of the clean text in one spaCy pass.

Sentence splitting (``senter``) and entity tagging (``ner``) share one tokenization and one model
load per batch job: on the BBC benchmark a separate sentence job cost about 3.5 s per shard
(tokenizing again, loading the model again) for a ``senter`` pass that adds almost nothing to
``ner``'s own time. Languages without a configured model get rule-based sentences and no
entities, and the documents say so. Entity labels, names and dates are then made usable: spans
without junk at their edges (``entities.spans``), place labels corrected and places resolved to
the gazetteer (``entities.toponyms``: ``place_id``, ``place_reason``; the place's row rides along
to assemble, which makes the ``places`` table of them), canonical names, ISO values of DATE
entities. Direct quotes and their speakers come right after, from the same sentences and
entities (:mod:`newscorpus.quotes`).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl

from newscorpus import quotes
from newscorpus.dates import values as date_values
from newscorpus.entities import gazetteer, names, places, spacy_models, spans, toponyms
from newscorpus.stages.common import Stage, log, progress, run_stage
from newscorpus.tables import schemas
from newscorpus.util.hashing import package_data_fingerprint

# names.yaml (people, aliases, titles) shapes both names and places: its hash is in the version.
# quotes.yaml (reporting cues) shapes the quotes.
_NAMES_DATA = package_data_fingerprint("names.yaml")
_QUOTES_DATA = package_data_fingerprint("quotes.yaml")
# The gazetteer's data version and the places_file hash are in the stage settings.
VERSION = (
    f"5.{names.VERSION}.{places.VERSION}.{date_values.VERSION}.{_NAMES_DATA}"
    f".{spans.VERSION}.{toponyms.VERSION}.q{quotes.VERSION}.{_QUOTES_DATA}"
)
TABLES = {
    "docs": schemas.ANNOTATED,
    "sentences": schemas.SENTENCE_ROWS,
    "entities": schemas.ENTITY_ROWS,
    "quotes": schemas.QUOTE_ROWS,
}

# A sentence never runs across a blank line: paragraphs, headings and list items end there even
# when the model's sentence boundary detector does not see it.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at blank lines and trim white space from every piece."""
    span = text[start:end]
    spans = []
    for piece in _PARAGRAPH_BREAK.split(span) if "\n" in span else [span]:
        stripped = piece.strip()
        if stripped:
            offset = text.index(stripped, start)
            spans.append((offset, offset + len(stripped)))
            start = offset + len(stripped)
    return spans


@dataclass(slots=True)
class Annotated:
    """What spaCy found in one text: sentence spans and ``(start, end, label)`` entities."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)


def pipeline_for(language: str | None, models: dict[str, str]):
    """The spaCy pipeline of a language and whether it tags entities."""
    package = models.get(language or "")
    if not package:
        return spacy_models.load_sentencizer(language), None
    return spacy_models.load_pipeline(package, ("senter", "ner")), package


def annotate(
    texts: list[str], pipeline, batch_size: int, n_process: int = 1
) -> Iterator[Annotated]:
    """Sentences and entities of every text, in order; long texts are cut into pieces.

    Offsets index the whole text (a piece's offsets are shifted by where it starts).
    """

    def pieces() -> Iterator[tuple[str, tuple[int, int, str]]]:
        for i, text in enumerate(texts):
            for offset, piece in spacy_models.chunks(text):
                yield piece, (i, offset, piece)

    current, found = 0, Annotated()
    # The piece itself is kept, not doc.text: spaCy rebuilds doc.text on every access.
    for doc, (i, offset, piece) in spacy_models.pipe(pipeline, pieces(), batch_size, n_process):
        while i > current:
            yield found
            current, found = current + 1, Annotated()
        for sent in doc.sents:
            found.sentences.extend(
                (offset + s, offset + e) for s, e in trimmed(piece, sent.start_char, sent.end_char)
            )
        found.entities.extend(
            (offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents
        )
    while current < len(texts):
        yield found
        current, found = current + 1, Annotated()


def _place_columns(gazetteer_: gazetteer.Gazetteer | None, mention) -> dict:
    if mention is None or mention.place is None or gazetteer_ is None:
        return {"place_id": None, "place_reason": mention.reason if mention else None}
    place = gazetteer_.place(mention.place)
    return {
        "place_id": place.place_id,
        "place_reason": mention.reason,
        "place_name": place.name,
        "place_country_code": place.country_code,
        "place_admin1": place.admin1,
        "place_admin1_name": place.admin1_name,
        "place_latitude": place.latitude,
        "place_longitude": place.longitude,
        "place_population": place.population,
        "place_feature": place.feature,
    }


def entity_rows(
    doc_id: str,
    key: str,
    text: str,
    found: Annotated,
    published,
    settings: dict,
    gazetteer_: gazetteer.Gazetteer | None = None,
) -> list[dict]:
    """Rows of one document: clean spans, place labels corrected and places resolved (with a
    gazetteer), canonical names, resolved dates."""
    raw = spans.clean_entities(text, found.entities)
    if gazetteer_ is not None:
        mentions = toponyms.correct_and_resolve(text, raw, gazetteer_)
        labels = [mention.label for mention in mentions]
    else:
        mentions = [None] * len(raw)
        labels = [label for _, _, label in raw]
    canonical = names.canonical_names(
        [(text[s:e], lab) for (s, e, _), lab in zip(raw, labels, strict=True)]
    )
    starts = [start for start, _ in found.sentences]
    rows = []
    for idx, ((start, end, model_label), label, name, mention) in enumerate(
        zip(raw, labels, canonical, mentions, strict=True)
    ):
        surface = text[start:end]
        rows.append(
            {
                "doc_id": doc_id,
                "key": key,
                "entity_idx": idx,
                "sentence_idx": max(bisect.bisect_right(starts, start) - 1, 0),
                "start": start,
                "end": end,
                "text": surface,
                "label": label,
                "model_label": model_label,
                "canonical": name,
                "date_value": date_values.resolve_date(surface, published)
                if label == "DATE"
                else None,
                **_place_columns(gazetteer_, mention),
            }
        )
    names.spell_out_acronyms(text, rows)
    return rows


def sentence_rows(doc_id: str, key: str, text: str, found: Annotated) -> list[dict]:
    return [
        {
            "doc_id": doc_id,
            "key": key,
            "sentence_idx": idx,
            "start": start,
            "end": end,
            "text": text[start:end],
        }
        for idx, (start, end) in enumerate(found.sentences)
    ]


def _annotate_language(
    records, language, settings, models, batch_size, n_process, out, places_file=None
):
    """Annotate one batch's documents of one language into ``out`` (every table of the stage)."""
    pipeline, package = pipeline_for(language, models)
    gazetteer_ = gazetteer.load(places_file) if package and settings["gazetteer"] else None
    reason = None
    if package is None:
        reason = (
            f"no spaCy model configured for language {language!r}"
            if language
            else "language unknown"
        )
    lexicon = quotes.load_lexicon(language, settings["quotes"]["extra_cues"])
    texts = [text for _, _, text, _ in records]
    found_all = annotate(texts, pipeline, batch_size, n_process)
    for (doc_id, key, text, published), found in progress(
        zip(records, found_all, strict=True), len(records), f"annotate ({language})"
    ):
        entities = (
            entity_rows(doc_id, key, text, found, published, settings, gazetteer_)
            if package
            else []
        )
        out["sentences"].extend(sentence_rows(doc_id, key, text, found))
        out["entities"].extend(entities)
        found_quotes = quotes.quote_rows(doc_id, key, text, found.sentences, entities, lexicon)
        out["quotes"].extend(found_quotes)
        out["docs"].append(
            {
                "doc_id": doc_id,
                "key": key,
                "n_sentences": len(found.sentences),
                "n_entities": len(entities),
                "n_quotes": len(found_quotes),
                "entities_model": package,
                "entities_reason": reason,
            }
        )


def _compute(
    todo: pl.DataFrame,
    settings: dict,
    models: dict[str, str],
    batch_size: int,
    n_process: int,
    places_file: str | None = None,
) -> dict[str, list[dict]]:
    new: dict[str, list[dict]] = {name: [] for name in TABLES}
    for (language,), group in todo.group_by(["language"], maintain_order=True):
        records = group.select("doc_id", "key", "text", "published").rows()
        done = len(new["docs"])
        try:
            _annotate_language(
                records, language, settings, models, batch_size, n_process, new, places_file
            )
        except Exception as exc:  # a broken model or batch: the documents say so, the run goes on
            log.exception("annotation failed for language %r", language)
            kept = {row["doc_id"] for row in new["docs"][:done]}
            new = {name: [r for r in rows if r["doc_id"] in kept] for name, rows in new.items()}
            error = f"annotation failed: {type(exc).__name__}: {exc}"[:500]
            new["docs"].extend(
                {
                    "doc_id": d,
                    "key": k,
                    "n_sentences": 0,
                    "n_entities": 0,
                    "n_quotes": 0,
                    "error": error,
                }
                for d, k, _, _ in records
            )
    return new


# Annotation reads the clean text, its language and publication date (DATE values are resolved
# against it); the models' versions are part of the settings.
STAGE = Stage(
    name="annotate",
    version=VERSION,
    sources=(
        "stages/annotate.py",
        "entities",
        "dates",
        "quotes",
        "data/names.yaml",
        "data/quotes.yaml",
        "data/places.yaml",
        "data/places_extra.csv",
    ),
    tables=TABLES,
    sort_keys={
        "docs": ["doc_id"],
        "sentences": ["doc_id", "sentence_idx"],
        "entities": ["doc_id", "entity_idx"],
        "quotes": ["doc_id", "quote_idx"],
    },
    key_columns=("text", "language", "published"),
    failed=lambda: pl.col("error").is_not_null(),
    compute=lambda todo, settings: {},
    counts=lambda out: {
        "sentences": out["sentences"].height,
        "entities": out["entities"].height,
        "quotes": out["quotes"].height,
    },
)


def run(
    cleaned: str,
    detected: str,
    settings: dict,
    models: dict[str, str],
    batch_size: int,
    n_process: int,
    cache_dir: str,
    batch: str,
    out_docs: str,
    out_sentences: str,
    out_entities: str,
    out_quotes: str,
    reuse: bool = True,
    places_file: str | None = None,
) -> None:
    detect = pl.read_parquet(detected, columns=["doc_id", "language", "published", "error"])
    frame = (
        detect.filter(pl.col("error").is_null())
        .drop("error")
        .join(pl.read_parquet(cleaned, columns=["doc_id", "text"]), on="doc_id")
    )
    stage = dataclasses.replace(
        STAGE,
        compute=functools.partial(
            _compute,
            models=models,
            batch_size=batch_size,
            n_process=n_process,
            places_file=places_file,
        ),
    )
    outputs = {
        "docs": out_docs,
        "sentences": out_sentences,
        "entities": out_entities,
        "quotes": out_quotes,
    }
    run_stage(stage, frame, settings, cache_dir, batch, outputs, reuse)
