"""Sentences stage: sentence spans over the clean text (spaCy ``senter``)."""

from __future__ import annotations

import re

import polars as pl

from newscorpus import nlp, schemas
from newscorpus.files import write_parquet
from newscorpus.reuse import StageCache
from newscorpus.stages.common import log, log_counts, progress, with_keys

VERSION = "3"

# A sentence never runs across a blank line: paragraphs, headings and list items end there even
# when the model's sentence boundary detector does not see it.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at blank lines and trim white space from every piece."""
    spans = []
    for piece in (
        _PARAGRAPH_BREAK.split(text[start:end]) if "\n" in text[start:end] else [text[start:end]]
    ):
        stripped = piece.strip()
        if stripped:
            offset = text.index(stripped, start)
            spans.append((offset, offset + len(stripped)))
            start = offset + len(stripped)
    return spans


TABLES = {"docs": schemas.SENTENCE_DOCS, "rows": schemas.SENTENCE_ROWS}


def split(
    texts: list[str], language: str | None, models: dict[str, str], batch_size: int = 64
) -> list[list[tuple[int, int]]]:
    """Sentence ``(start, end)`` offsets for texts of one language, trimmed of white space."""
    package = models.get(language or "")
    pipeline = (
        nlp.load_pipeline(package, ("senter",)) if package else nlp.load_sentencizer(language)
    )
    pieces = [
        (piece, (i, offset, piece))
        for i, text in enumerate(texts)
        for offset, piece in nlp.chunks(text)
    ]
    spans: list[list[tuple[int, int]]] = [[] for _ in texts]
    docs = progress(nlp.pipe(pipeline, pieces, batch_size), len(pieces), f"sentences ({language})")
    # The piece itself, not doc.text: spaCy rebuilds doc.text from the tokens on every access.
    for doc, (i, offset, piece) in docs:
        for sent in doc.sents:
            spans[i].extend(
                (offset + s, offset + e) for s, e in _trimmed(piece, sent.start_char, sent.end_char)
            )
    return spans


def run(
    cleaned: str,
    detected: str,
    settings: dict,
    models: dict[str, str],
    batch_size: int,
    cache_dir: str,
    shard: int,
    out_docs: str,
    out_rows: str,
) -> None:
    detect = pl.read_parquet(detected).filter(pl.col("error").is_null())
    texts = pl.read_parquet(cleaned, columns=["doc_id", "text"])
    ok = detect.select("doc_id", "language").join(texts, on="doc_id")
    ok = with_keys(ok, "sentences", VERSION, settings, ["text", "language"])
    cache = StageCache(cache_dir, "sentences", shard, TABLES)
    cached, todo = cache.lookup(ok.select("doc_id", "key"))
    todo = ok.join(todo.select("doc_id"), on="doc_id", how="semi").sort("doc_id")
    doc_rows, sentence_rows = [], []
    for (lang,), group in todo.group_by(["language"], maintain_order=True):
        log.info("sentences shard %s: %d documents in language %s", shard, group.height, lang)
        ids, keys, texts_ = (
            group["doc_id"].to_list(),
            group["key"].to_list(),
            group["text"].to_list(),
        )
        try:
            spans = split(texts_, lang, models, batch_size)
            errors = [None] * len(ids)
        except Exception as exc:
            log.exception("sentence splitting failed for language %r", lang)
            spans = [[] for _ in ids]
            errors = [f"sentence splitting failed: {type(exc).__name__}: {exc}"[:500]] * len(ids)
        for doc_id, key, text, doc_spans, error in zip(
            ids, keys, texts_, spans, errors, strict=True
        ):
            doc_rows.append(
                {"doc_id": doc_id, "key": key, "n_sentences": len(doc_spans), "error": error}
            )
            sentence_rows.extend(
                {
                    "doc_id": doc_id,
                    "key": key,
                    "sentence_idx": idx,
                    "start": start,
                    "end": end,
                    "text": text[start:end],
                }
                for idx, (start, end) in enumerate(doc_spans)
            )
    out = {
        "docs": pl.concat(
            [cached["docs"], pl.DataFrame(doc_rows, schema=schemas.SENTENCE_DOCS)]
        ).sort("doc_id"),
        "rows": pl.concat(
            [cached["rows"], pl.DataFrame(sentence_rows, schema=schemas.SENTENCE_ROWS)]
        ).sort("doc_id", "sentence_idx"),
    }
    write_parquet(out["docs"], out_docs)
    write_parquet(out["rows"], out_rows)
    failed = out["docs"].filter(pl.col("error").is_not_null())
    cache.store({name: f.join(failed, on="doc_id", how="anti") for name, f in out.items()})
    log_counts(
        f"sentences shard {shard}",
        documents_in=ok.height,
        reused=ok.height - todo.height,
        computed=todo.height,
        failed=failed.height,
        sentences=out["rows"].height,
    )
