"""The whole-corpus index kept between runs, and one run's update of it.

The index (``{results_dir}/stories/index/``, :mod:`.store`) holds, for every document with text,
its content key, exact hash, shingle count, MinHash signature and LSH band keys, looked up by band
key. A run drops the entries of edited and removed documents, then signs and indexes the new and
changed documents a chunk at a time, each chunk paired with every document indexed before it by
their shared band keys and exact hashes; the candidate pairs are checked and every other link is
kept. So a run reads and writes what its documents touch, not the corpus. Because every link
decision looks at two documents only and the story's first member is chosen by data, the result
equals a build from scratch of the same corpus.

The workflow uses :func:`update_changes` (one call per change set): the batch documents are
signed, every other document's signature comes from the index (keyed by doc_id and source
hash; a missing one is computed from the published text), the stored links are the published
``duplicates`` rows, and the result names exactly the documents whose story columns or
duplicates rows differ from the published ones. :func:`update` is the whole-corpus form the
evaluation script and the unit tests call; it keeps its links in the index.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from newscorpus import __version__
from newscorpus.stories import pairs, signatures, text
from newscorpus.stories.assign import assign
from newscorpus.stories.store import SignatureIndex
from newscorpus.tables.schemas import DUPLICATES, STORY_ROWS
from newscorpus.util.hashing import settings_hash

log = logging.getLogger(__name__)

VERSION = "3"
LINKS = DUPLICATES


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


def _signature_rows(docs: pl.DataFrame, lists: pl.DataFrame, settings: dict):
    """``doc_id, key, exact_hash, n_shingles`` of ``docs`` and their MinHash matrix."""
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
    )
    return rows, matrix


def open_index(index_dir: str | Path, settings: dict) -> SignatureIndex:
    """The signature index of ``settings`` in ``index_dir`` (rebuilt when made otherwise)."""
    for older in ("manifest.json", "signatures.parquet", "bands.parquet", "links.parquet"):
        Path(index_dir, older).unlink(missing_ok=True)  # an earlier version's Parquet index
    return SignatureIndex(
        index_dir,
        _fingerprint(settings),
        settings["num_perm"],
        lambda matrix: signatures.band_keys(matrix, settings["bands"], settings["rows"]),
    )


def _reconcile(index: SignatureIndex, present: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Drop every entry that is not a document of ``present`` (``doc_id, key``) as it is now
    (edited, removed, or left by a killed run); returns the documents of ``present`` that are not
    indexed, and how many entries were dropped."""
    entries = index.entries()
    valid = entries.join(present, on=["doc_id", "key"], how="semi")
    stale = entries.join(valid.select("docno"), on="docno", how="anti")
    index.drop(stale["doc_id"].to_list())
    return present.join(valid.select("doc_id"), on="doc_id", how="anti"), stale.height


# New documents are signed, indexed and paired with the corpus this many at a time: articles
# written to one template share band keys by the thousand, and all their candidate pairs at once
# do not fit in memory. The pairs kept are the same whatever the chunk size.
CANDIDATE_CHUNK_DOCS = 2000


class _Pairing:
    """Signs and indexes documents a chunk at a time and, for new ones, finds their pairs as each
    chunk is indexed: with every document indexed before and within the chunk, so each pair is
    met once whatever the chunk size. ``texts(doc_ids)`` reads ``doc_id, title, text`` of
    indexed documents outside the chunk that a checked pair needs."""

    def __init__(self, index: SignatureIndex, texts, settings: dict) -> None:
        self.index, self.texts, self.settings = index, texts, settings
        self.exact: list[pl.DataFrame] = [pl.DataFrame(schema=pairs.PAIR)]
        self.near: list[pl.DataFrame] = [_empty(LINKS)]
        self.signed = self.candidates = self.checked = 0

    def add(self, docs: pl.DataFrame, find_pairs: bool) -> None:
        """Index ``docs`` (``doc_id, key, title, text``); pair them when ``find_pairs``."""
        chunk_docs = CANDIDATE_CHUNK_DOCS
        for at in range(0, docs.height, chunk_docs):
            chunk = docs.slice(at, chunk_docs)
            lists = shingle_lists(chunk, self.settings)
            rows, matrix = _signature_rows(chunk, lists, self.settings)
            docnos, keys = self.index.add(rows, matrix)
            self.signed += chunk.height
            if find_pairs:
                self._pair(chunk, lists, docnos, keys)

    def _pair(self, chunk, lists, docnos, keys) -> None:
        settings = self.settings
        exact = self.index.exact_pairs(docnos)
        found = self.index.band_pairs(docnos, keys).join(exact, on=["docno", "other"], how="anti")
        self.candidates += found.height
        keep = pairs.plausible(
            self.index.signature_matrix(),
            found["row"].to_numpy(),
            found["other_row"].to_numpy(),
            found["n_shingles"].to_numpy(),
            found["other_n_shingles"].to_numpy(),
            settings["containment_low"],
        )
        checked = found.filter(keep).select("docno", "other")
        self.checked += checked.height
        kept = pl.concat([exact, checked])
        if kept.height == 0:
            return
        doc_ids = self.index.doc_ids(pl.concat([kept["docno"], kept["other"]]).unique().to_numpy())

        def by_doc_id(frame: pl.DataFrame) -> pl.DataFrame:
            if frame.height == 0:
                return pl.DataFrame(schema=pairs.PAIR)
            named = frame.select(
                doc_id=pl.col("docno").replace_strict(doc_ids, return_dtype=pl.String),
                other_doc_id=pl.col("other").replace_strict(doc_ids, return_dtype=pl.String),
            )
            return pairs.ordered(named, "doc_id", "other_doc_id")

        self.exact.append(by_doc_id(exact))
        if checked.height == 0:
            return
        checked = by_doc_id(checked)
        needed = pl.concat([checked["doc_id"], checked["other_doc_id"]]).unique()
        others = needed.filter(~needed.is_in(chunk["doc_id"].implode())).to_list()
        if others:
            lists = pl.concat([lists, shingle_lists(self.texts(others), settings)])
        self.near.append(pairs.decide(pairs.measure(checked, lists), settings).cast(LINKS))

    def links(self, kept: pl.DataFrame) -> pl.DataFrame:
        """``kept`` links with the exact and checked near pairs found."""
        exact = pl.concat(self.exact).unique()
        return _merge_links(kept, exact, pl.concat(self.near))


def update(docs: pl.DataFrame, index_dir: str | Path, settings: dict) -> Result:
    """Stories of the corpus ``docs`` (``doc_id, title, text, published``: every document with
    text), using and renewing the index in ``index_dir``."""
    docs = docs.select("doc_id", "title", "text", "published").sort("doc_id")
    docs = docs.with_columns(content_keys(docs))

    def texts(doc_ids: list[str]) -> pl.DataFrame:
        return docs.filter(pl.col("doc_id").is_in(doc_ids))

    with open_index(index_dir, settings) as index:
        new_docs, left = _reconcile(index, docs.select("doc_id", "key"))
        kept_links = index.links(LINKS)
        pairing = _Pairing(index, texts, settings)
        pairing.add(docs.join(new_docs.select("doc_id"), on="doc_id", how="semi"), True)
        links = pairing.links(kept_links)
        index.set_links(links)
    stories = assign(docs.select("doc_id", "published"), links)
    counts = {
        "documents": docs.height,
        "signed": pairing.signed,
        "left_index": left,
        "candidates": pairing.candidates,
        "checked": pairing.checked,
        "exact_pairs": links.filter(pl.col("kind") == "exact").height,
        "near_pairs": links.filter(pl.col("kind") == "near").height,
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
    new_docs = (
        new_docs.select("doc_id", "title", "text", "published", "source_sha256")
        .rename({"source_sha256": "key"})
        .sort("doc_id")
    )
    rest = rest.select("doc_id", "published", key="source_sha256").sort("doc_id")

    def texts(doc_ids: list[str]) -> pl.DataFrame:
        """Texts of the batch documents from the batch, of the others from the tables."""
        batch = new_docs.filter(pl.col("doc_id").is_in(doc_ids)).select("doc_id", "title", "text")
        in_batch = set(batch["doc_id"].to_list())
        published = [d for d in doc_ids if d not in in_batch]
        return pl.concat([batch, texts_of(published)]) if published else batch

    with open_index(index_dir, settings) as index:
        missing, _ = _reconcile(index, rest.select("doc_id", "key"))
        pairing = _Pairing(index, texts, settings)
        # Published documents the index lacks (a first run of this version, a lost index): their
        # links are published already, so they are indexed, not paired.
        if missing.height:
            pairing.add(texts(missing["doc_id"].to_list()).join(missing, on="doc_id"), False)
        pairing.add(new_docs, True)
    rest_ids = rest.select("doc_id")
    kept_links = (
        old_links.select(list(LINKS))
        .cast(LINKS)
        .join(rest_ids, on="doc_id", how="semi")
        .join(rest_ids, left_on="other_doc_id", right_on="doc_id", how="semi")
    )
    links = pairing.links(kept_links)
    corpus = pl.concat([rest.select("doc_id", "published"), new_docs.select("doc_id", "published")])
    # Only documents in a link form stories of more than one; every other is its own story.
    in_links = pl.concat([links["doc_id"], links["other_doc_id"]]).implode()
    linked = assign(corpus.filter(pl.col("doc_id").is_in(in_links)), links)
    assigned = (
        corpus.select("doc_id")
        .join(linked, on="doc_id", how="left")
        .with_columns(
            story_id=pl.col("story_id").fill_null(pl.col("doc_id")),
            story_size=pl.col("story_size").fill_null(1),
        )
        .cast(STORY_ROWS)
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
        "signed": pairing.signed,
        "links": links.height,
        "restoried": len(restoried),
        "duplicates_rows_replaced": len(dup_ids),
        "candidates": pairing.candidates,
        "checked": pairing.checked,
    }
    return Changes(
        stories=stories_rows.cast(STORY_ROWS),
        duplicates=links.filter(pl.col("doc_id").is_in(dup_ids)),
        documents_ids=sorted(restoried),
        duplicates_ids=dup_ids,
        counts=counts,
    )
