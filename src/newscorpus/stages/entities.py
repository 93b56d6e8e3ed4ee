"""Entities stage: spaCy NER over the clean text, then labels, names and dates made usable."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from newscorpus import datevalues, names, nlp, places, schemas
from newscorpus.files import write_parquet
from newscorpus.reuse import StageCache
from newscorpus.stages.common import log, log_counts, progress, with_keys

# names.yaml (people, aliases, titles) shapes both names and places: its hash is in the version.
VERSION = f"3.{names.VERSION}.{places.VERSION}.{datevalues.VERSION}.{names.data_fingerprint()[:16]}"
TABLES = {"docs": schemas.ENTITY_DOCS, "rows": schemas.ENTITY_ROWS}


def _raw_entities(
    pipeline, texts: list[str], batch_size: int, n_process: int
) -> Iterator[list[tuple[int, int, str]]]:
    """``(start, end, label)`` per entity, per text, in order; long texts are chunked."""

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for i, text in enumerate(texts):
            for offset, piece in nlp.chunks(text):
                yield piece, (i, offset)

    current, found = 0, []
    for doc, (i, offset) in nlp.pipe(pipeline, pieces(), batch_size, n_process):
        while i > current:
            yield found
            current, found = current + 1, []
        found.extend((offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents)
    while current < len(texts):
        yield found
        current, found = current + 1, []


def postprocess(
    doc_id: str,
    key: str,
    text: str,
    raw: list[tuple[int, int, str]],
    published,
    settings: dict,
) -> list[dict]:
    """Rows of one document: place labels corrected, canonical names, resolved dates."""
    labels = (
        places.correct_labels([(text[start:end], label) for start, end, label in raw])
        if settings["gazetteer"]
        else [label for _, _, label in raw]
    )
    canonical = names.canonical_names(
        [(text[s:e], lab) for (s, e, _), lab in zip(raw, labels, strict=True)]
    )
    rows = []
    for idx, ((start, end, model_label), label, name) in enumerate(
        zip(raw, labels, canonical, strict=True)
    ):
        surface = text[start:end]
        rows.append(
            {
                "doc_id": doc_id,
                "key": key,
                "entity_idx": idx,
                "start": start,
                "end": end,
                "text": surface,
                "label": label,
                "model_label": model_label,
                "canonical": name,
                "date_value": datevalues.resolve_date(surface, published)
                if label == "DATE"
                else None,
            }
        )
    return rows


def run(
    cleaned: str,
    detected: str,
    settings: dict,
    models: dict[str, str],
    batch_size: int,
    n_process: int,
    cache_dir: str,
    shard: int,
    out_docs: str,
    out_rows: str,
) -> None:
    detect = pl.read_parquet(detected, columns=["doc_id", "language", "published", "error"])
    # Entities do not wait for sentences: both read the clean text, and assemble_shard gives each
    # entity its sentence_idx, so the two spaCy stages of a shard can run side by side.
    ok = (
        detect.filter(pl.col("error").is_null())
        .drop("error")
        .join(pl.read_parquet(cleaned, columns=["doc_id", "text"]), on="doc_id")
    )
    ok = with_keys(ok, "entities", VERSION, settings, ["text", "language", "published"])
    cache = StageCache(cache_dir, "entities", shard, TABLES)
    cached, todo = cache.lookup(ok.select("doc_id", "key"))
    todo = ok.join(todo.select("doc_id"), on="doc_id", how="semi").sort("doc_id")

    doc_rows, entity_rows = [], []
    for (lang,), group in todo.group_by(["language"], maintain_order=True):
        package = models.get(lang or "")
        records = group.select("doc_id", "key", "text", "published").rows()
        if not package:
            reason = (
                f"no spaCy model configured for language {lang!r}" if lang else "language unknown"
            )
            doc_rows.extend(
                {"doc_id": d, "key": k, "n_entities": 0, "entities_reason": reason}
                for d, k, _, _ in records
            )
            continue
        try:
            pipeline = nlp.load_pipeline(package, ("ner",))
            raw_iter = _raw_entities(pipeline, [r[2] for r in records], batch_size, n_process)
            for (doc_id, key, text, published), raw in progress(
                zip(records, raw_iter, strict=True),
                len(records),
                f"entities shard {shard} ({lang})",
            ):
                rows = postprocess(doc_id, key, text, raw, published, settings)
                entity_rows.extend(rows)
                doc_rows.append(
                    {
                        "doc_id": doc_id,
                        "key": key,
                        "n_entities": len(rows),
                        "entities_model": package,
                    }
                )
        except Exception as exc:  # a broken model or batch: the documents say so, the run goes on
            log.exception("entity tagging failed for language %r", lang)
            done = {row["doc_id"] for row in doc_rows}
            entity_rows = [row for row in entity_rows if row["doc_id"] in done]
            doc_rows.extend(
                {
                    "doc_id": d,
                    "key": k,
                    "n_entities": 0,
                    "error": f"entity tagging failed: {type(exc).__name__}: {exc}"[:500],
                }
                for d, k, _, _ in records
                if d not in done
            )
    out = {
        "docs": pl.concat(
            [cached["docs"], pl.DataFrame(doc_rows, schema=schemas.ENTITY_DOCS)]
        ).sort("doc_id"),
        "rows": pl.concat(
            [cached["rows"], pl.DataFrame(entity_rows, schema=schemas.ENTITY_ROWS)]
        ).sort("doc_id", "entity_idx"),
    }
    write_parquet(out["docs"], out_docs)
    write_parquet(out["rows"], out_rows)
    failed = out["docs"].filter(pl.col("error").is_not_null())
    cache.store({name: f.join(failed, on="doc_id", how="anti") for name, f in out.items()})
    log_counts(
        f"entities shard {shard}",
        documents_in=ok.height,
        reused=ok.height - todo.height,
        computed=todo.height,
        failed=failed.height,
        entities=out["rows"].height,
    )
