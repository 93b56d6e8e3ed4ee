"""The whole-corpus index kept between runs, and one run's update of it.

The index (``{results_dir}/stories/index/``) holds, for every document with text, its content
key, exact hash, shingle count and MinHash signature (``signatures.parquet``), its LSH band keys
(``bands.parquet``) and every linked pair among indexed documents (``links.parquet``); a
manifest with the files' sha256 and the settings is written last, so an index torn by a crash or
built with other settings is ignored and rebuilt, never mixed.

A run computes signatures for new and changed documents only, finds their candidates among all
indexed documents by their band keys, checks those pairs and keeps every other stored link. An
edited or removed document leaves the index with its links. Because every link decision looks at
two documents only and the story's first member is chosen by data, the result equals a build
from scratch of the same corpus.

The workflow uses :func:`update_changes` (one call per change set): the batch documents are
signed, every other document's signature comes from the index (keyed by doc_id and source
hash; a missing one is computed from the published text), the stored links are the published
``duplicates`` rows, and the result names exactly the documents whose story columns or
duplicates rows differ from the published ones. :func:`update` is the whole-corpus form the
evaluation script and the unit tests call.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from newscorpus import __version__
from newscorpus.stories import pairs, signatures, text
from newscorpus.stories.assign import assign
from newscorpus.tables.schemas import DUPLICATES, STORY_ROWS
from newscorpus.util.files import write_json, write_parquet
from newscorpus.util.hashing import settings_hash

log = logging.getLogger(__name__)

VERSION = "1"
SIGNATURES = {
    "doc_id": pl.String,
    "key": pl.String,
    "exact_hash": pl.String,
    "n_shingles": pl.Int32,
    "signature": pl.List(pl.UInt32),
}
BANDS = {"doc_id": pl.String, "key": pl.UInt64}
LINKS = DUPLICATES
_FILES = {"signatures": SIGNATURES, "bands": BANDS, "links": LINKS}


@dataclass
class Result:
    stories: pl.DataFrame  # doc_id, story_id, duplicate_of, story_size
    duplicates: pl.DataFrame  # doc_id, other_doc_id, kind, similarity
    counts: dict[str, int]


def _merge_links(kept: pl.DataFrame, exact: pl.DataFrame, near: pl.DataFrame) -> pl.DataFrame:
    """The linked pairs kept from before, with the new exact pairs and checked near pairs."""
    return (
        pl.concat(
            [
                kept,
                exact.with_columns(kind=pl.lit("exact"), similarity=pl.lit(1.0)).cast(LINKS),
                near.cast(LINKS),
            ]
        )
        .unique(["doc_id", "other_doc_id"], keep="first")
        .sort("doc_id", "other_doc_id")
    )


def _empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def _fingerprint(settings: dict) -> str:
    # The package version too, as in every stage's reuse key: an upgrade may change the words.
    return settings_hash({"package": __version__, "version": VERSION, **settings})


def read_index(index_dir: Path, settings: dict) -> dict[str, pl.DataFrame]:
    """The stored index, or empty tables when it is missing, torn or built otherwise."""
    empty = {name: _empty(schema) for name, schema in _FILES.items()}
    try:
        manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if manifest.get("settings") != _fingerprint(settings):
        log.info("stories: index built with other settings, rebuilding it")
        return empty
    frames = {}
    for name, schema in _FILES.items():
        path = index_dir / f"{name}.parquet"
        try:
            data = path.read_bytes()
        except OSError:
            return empty
        if hashlib.sha256(data).hexdigest() != manifest.get("files", {}).get(name):
            log.info("stories: %s does not match the index manifest, rebuilding", path)
            return empty
        frame = pl.read_parquet(data)
        if dict(frame.schema) != schema:
            return empty
        frames[name] = frame
    return frames


def write_index(index_dir: Path, settings: dict, frames: dict[str, pl.DataFrame]) -> None:
    (index_dir / "manifest.json").unlink(missing_ok=True)  # the old files are void from here
    digests = {}
    for name, frame in frames.items():
        path = index_dir / f"{name}.parquet"
        write_parquet(frame, path)
        digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    write_json({"settings": _fingerprint(settings), "files": digests}, index_dir / "manifest.json")


def content_keys(docs: pl.DataFrame) -> pl.Series:
    """A key per document of what shapes its signature: title and text."""
    keys = [
        hashlib.sha256(
            f"{title or ''}\x1f{body or ''}".encode("utf-8", "surrogatepass")
        ).hexdigest()
        for title, body in docs.select("title", "text").iter_rows()
    ]
    return pl.Series("key", keys, dtype=pl.String)


def shingle_lists(docs: pl.DataFrame, settings: dict) -> pl.DataFrame:
    """``doc_id, shingles, lead, headline`` of ``docs`` (``doc_id, title, text``)."""
    return text.shingles(text.words(docs), settings["shingle_words"], settings["lead_words"])


def _signatures(docs: pl.DataFrame, lists: pl.DataFrame, settings: dict):
    matrix = signatures.minhash(
        lists["shingles"], settings["num_perm"], settings["seed"], settings["minhash"]
    )
    rows = docs.select(
        "doc_id",
        "key",
        exact_hash=text.exact_form(
            pl.concat_str(pl.col("title").fill_null(""), pl.col("text"), separator="\n")
        ),
    ).with_columns(
        exact_hash=pl.col("exact_hash").map_elements(
            lambda value: hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest(),
            return_dtype=pl.String,
        ),
        n_shingles=lists["shingles"].list.len().cast(pl.Int32),
        signature=pl.Series(matrix).cast(pl.List(pl.UInt32))
        if len(matrix)
        else pl.Series([], dtype=pl.List(pl.UInt32)),
    )
    keys = signatures.band_keys(matrix, settings["bands"], settings["rows"])
    bands = pl.DataFrame(
        {
            "doc_id": np.repeat(docs["doc_id"].to_numpy(), keys.shape[1]),
            "key": keys.ravel(),
        },
        schema=BANDS,
    )
    return rows.cast(SIGNATURES), bands


# New documents are paired with the corpus this many at a time: articles written to one template
# share band keys by the thousand, and all their candidate pairs at once do not fit in memory.
# The pairs kept are the same whatever the chunk size.
CANDIDATE_CHUNK_DOCS = 2000


def _candidates(
    new_signatures: pl.DataFrame,
    new_bands: pl.DataFrame,
    all_signatures: pl.DataFrame,
    all_bands: pl.DataFrame,
    settings: dict,
    chunk_docs: int | None = None,
) -> tuple[pl.DataFrame, int, pl.DataFrame]:
    """The exact pairs of the new documents, how many LSH candidates they have (sharing a band,
    not exact), and the candidates that pass the estimated-Jaccard prefilter, which the
    exact-shingle check then decides."""
    exact = pairs.exact_pairs(
        new_signatures.select("doc_id", "exact_hash"), all_signatures.select("doc_id", "exact_hash")
    )
    new_ids = new_signatures["doc_id"].to_list()
    chunk_docs = chunk_docs or CANDIDATE_CHUNK_DOCS
    n_candidates, checked_parts = 0, []
    for at in range(0, len(new_ids), chunk_docs):
        chunk = new_bands.filter(pl.col("doc_id").is_in(new_ids[at : at + chunk_docs]))
        found = pairs.band_candidates(chunk, all_bands).join(
            exact, on=["doc_id", "other_doc_id"], how="anti"
        )
        found = _first_chunk_only(found, new_ids[:at])
        n_candidates += found.height
        involved = pl.concat([found["doc_id"], found["other_doc_id"]]).unique()
        rows = all_signatures.filter(pl.col("doc_id").is_in(involved.implode()))
        doc_index = {d: i for i, d in enumerate(rows["doc_id"].to_list())}
        matrix = (
            np.asarray(rows["signature"].to_list(), dtype=np.uint32)
            if rows.height
            else np.zeros((0, settings["num_perm"]), dtype=np.uint32)
        )
        n_shingles = rows["n_shingles"].to_numpy().astype(np.float64)
        checked_parts.append(
            pairs.prefilter(found, doc_index, matrix, n_shingles, settings["containment_low"])
        )
    checked = (
        pl.concat(checked_parts).sort("doc_id", "other_doc_id")
        if checked_parts
        else pl.DataFrame(schema=pairs.PAIR)
    )
    return exact, n_candidates, checked


def _first_chunk_only(found: pl.DataFrame, earlier: list[str]) -> pl.DataFrame:
    """A pair of two new documents is met in the chunk of each: keep it in the earlier one."""
    if not earlier:
        return found
    return found.filter(~(pl.col("doc_id").is_in(earlier) | pl.col("other_doc_id").is_in(earlier)))


def update(docs: pl.DataFrame, index_dir: str | Path, settings: dict) -> Result:
    """Stories of the corpus ``docs`` (``doc_id, title, text, published``: every document with
    text), using and renewing the index in ``index_dir``."""
    index_dir = Path(index_dir)
    docs = docs.select("doc_id", "title", "text", "published").sort("doc_id")
    docs = docs.with_columns(content_keys(docs))
    stored = read_index(index_dir, settings)
    kept = stored["signatures"].join(docs.select("doc_id", "key"), on=["doc_id", "key"], how="semi")
    new_docs = docs.join(kept.select("doc_id"), on="doc_id", how="anti")
    new_lists = shingle_lists(new_docs, settings)
    new_signatures, new_bands = _signatures(new_docs, new_lists, settings)
    kept_ids = kept.select("doc_id")
    all_signatures = pl.concat([kept, new_signatures]).sort("doc_id")
    all_bands = pl.concat(
        [stored["bands"].join(kept_ids, on="doc_id", how="semi"), new_bands]
    ).sort("doc_id", "key")
    old_links = (
        stored["links"]
        .join(kept_ids, on="doc_id", how="semi")
        .join(kept_ids, left_on="other_doc_id", right_on="doc_id", how="semi")
    )

    exact, candidates, checked = _candidates(
        new_signatures, new_bands, all_signatures, all_bands, settings
    )
    # Old documents in a pair need their shingles again (the index keeps signatures only).
    needed = pl.concat([checked["doc_id"], checked["other_doc_id"]]).unique()
    old_needed = docs.filter(
        pl.col("doc_id").is_in(needed.implode())
        & ~pl.col("doc_id").is_in(new_docs["doc_id"].implode())
    )
    lists = pl.concat([new_lists, shingle_lists(old_needed, settings)])
    near = pairs.decide(pairs.measure(checked, lists), settings)
    links = _merge_links(old_links, exact, near)
    stories = assign(docs.select("doc_id", "published"), links)
    write_index(
        index_dir, settings, {"signatures": all_signatures, "bands": all_bands, "links": links}
    )
    counts = {
        "documents": docs.height,
        "signed": new_docs.height,
        "left_index": stored["signatures"].height - kept.height,
        "candidates": candidates,
        "checked": checked.height,
        "exact_pairs": exact.height,
        "near_pairs": near.height,
        "links": links.height,
        "copies": int(stories["duplicate_of"].is_not_null().sum()),
    }
    return Result(stories=stories.cast(STORY_ROWS), duplicates=links, counts=counts)


@dataclass
class Changes:
    """One change set's stories: what publish replaces, and only that."""

    stories: pl.DataFrame  # doc_id, story_id, duplicate_of, story_size: batch docs + restoried
    duplicates: pl.DataFrame  # every link whose doc_id is in ``duplicates_ids``
    documents_ids: list[str]  # documents outside the batches whose story columns changed
    duplicates_ids: list[str]  # doc_ids whose duplicates rows change (batches and removed too)
    counts: dict[str, int]


def _same(left: str, right: str) -> pl.Expr:
    return pl.col(left).eq_missing(pl.col(right))


def update_changes(
    new_docs: pl.DataFrame,
    rest: pl.DataFrame,
    old_links: pl.DataFrame,
    old_stories: pl.DataFrame,
    texts_of,
    index_dir: str | Path,
    settings: dict,
    changed_ids: list[str],
) -> Changes:
    """Stories after one change set, computed for the whole corpus from signatures of the batch
    documents only.

    ``new_docs`` (``doc_id, title, text, published, source_sha256``) are the change set's
    documents with text; ``rest`` (``doc_id, published, source_sha256``) every other published
    document with text; ``old_links`` and ``old_stories`` the published ``duplicates`` rows and
    ``documents`` story columns; ``texts_of(doc_ids)`` reads ``doc_id, title, text`` of published
    documents (only those an old signature is missing for or a checked pair needs);
    ``changed_ids`` every doc_id of the change set (batch documents and removed ones). The index
    in ``index_dir`` holds signatures keyed by ``doc_id`` and ``source_sha256``: a cache, never
    the truth (which is the published tables).
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    new_docs = (
        new_docs.select("doc_id", "title", "text", "published", "source_sha256")
        .rename({"source_sha256": "key"})
        .sort("doc_id")
    )
    rest = rest.select("doc_id", "published", key="source_sha256").sort("doc_id")
    stored = read_index(index_dir, settings)
    kept = stored["signatures"].join(rest.select("doc_id", "key"), on=["doc_id", "key"], how="semi")
    missing_ids = rest.join(kept.select("doc_id"), on="doc_id", how="anti")
    missing = (
        texts_of(missing_ids["doc_id"].to_list()).join(missing_ids, on="doc_id")
        if missing_ids.height
        else new_docs.clear()
    )
    missing = missing.select(new_docs.columns)
    missing_signatures, missing_bands = _signatures(
        missing, shingle_lists(missing, settings), settings
    )
    new_lists = shingle_lists(new_docs, settings)
    new_signatures, new_bands = _signatures(new_docs, new_lists, settings)
    kept_ids = kept.select("doc_id")
    all_signatures = pl.concat([kept, missing_signatures, new_signatures]).sort("doc_id")
    all_bands = pl.concat(
        [stored["bands"].join(kept_ids, on="doc_id", how="semi"), missing_bands, new_bands]
    ).sort("doc_id", "key")
    rest_ids = rest.select("doc_id")
    kept_links = (
        old_links.select(list(LINKS))
        .cast(LINKS)
        .join(rest_ids, on="doc_id", how="semi")
        .join(rest_ids, left_on="other_doc_id", right_on="doc_id", how="semi")
    )

    exact, candidates, checked = _candidates(
        new_signatures, new_bands, all_signatures, all_bands, settings
    )
    needed = pl.concat([checked["doc_id"], checked["other_doc_id"]]).unique()
    old_needed = needed.filter(~needed.is_in(new_docs["doc_id"].implode())).to_list()
    old_texts = (
        texts_of(old_needed).join(rest, on="doc_id").select(new_docs.columns)
        if old_needed
        else new_docs.clear()
    )
    lists = pl.concat([new_lists, shingle_lists(old_texts, settings)])
    near = pairs.decide(pairs.measure(checked, lists), settings)
    links = _merge_links(kept_links, exact, near)
    corpus = pl.concat([rest.select("doc_id", "published"), new_docs.select("doc_id", "published")])
    assigned = assign(corpus, links)
    write_index(
        index_dir,
        settings,
        {"signatures": all_signatures, "bands": all_bands, "links": _empty(LINKS)},
    )

    new_ids = set(new_docs["doc_id"].to_list())
    # Documents outside the change set whose story columns differ from the published ones.
    compared = assigned.join(
        old_stories.select("doc_id", old_story="story_id", old_duplicate="duplicate_of"),
        on="doc_id",
        how="left",
    ).filter(~pl.col("doc_id").is_in(list(new_ids)))
    restoried = compared.filter(
        ~(_same("story_id", "old_story") & _same("duplicate_of", "old_duplicate"))
    )["doc_id"].to_list()
    # doc_ids whose duplicates rows differ (a link added or gone), besides the change set's.
    old_rows = old_links.select("doc_id", "other_doc_id")
    new_rows = links.select("doc_id", "other_doc_id")
    differing = pl.concat(
        [
            old_rows.join(new_rows, on=["doc_id", "other_doc_id"], how="anti"),
            new_rows.join(old_rows, on=["doc_id", "other_doc_id"], how="anti"),
        ]
    )["doc_id"].to_list()
    dup_ids = sorted(set(differing) | set(changed_ids))
    stories_rows = assigned.filter(pl.col("doc_id").is_in(sorted(new_ids | set(restoried))))
    counts = {
        "documents": corpus.height,
        "signed": new_docs.height + missing.height,
        "links": links.height,
        "restoried": len(restoried),
        "duplicates_rows_replaced": len(dup_ids),
        "exact_pairs": exact.height,
        "near_pairs": near.height,
    }
    return Changes(
        stories=stories_rows.cast(STORY_ROWS),
        duplicates=links.filter(pl.col("doc_id").is_in(dup_ids)),
        documents_ids=sorted(restoried),
        duplicates_ids=dup_ids,
        counts=counts,
    )
