"""The signature index kept between runs: one DuckDB file, queried by band key.

For every indexed document it holds the content key its signature was made from, the exact hash,
the shingle count and the MinHash signature (``signatures``), and its LSH band keys (``bands``), so
a run sends the band keys of its new documents and gets back the documents sharing one, and
writes only the rows of the documents it signs or drops. ``links`` holds the linked pairs for the
whole-corpus form (:func:`newscorpus.stories.index.update`); the workflow's links are the
published ``duplicates`` table.

A run changes the file in one transaction, so a run killed anywhere leaves the index as it was
before it. The settings' fingerprint is stored in ``meta``: an index built with other settings, or
a file that is not a readable index, is deleted and rebuilt, never mixed.

DuckDB rather than SQLite: a lookup of 2,000 documents' 128,000 band keys is one hash join over
the band column; SQLite's B-tree insert and probe per key took about 3 minutes to build the index
of 200,000 documents, DuckDB about 10 s.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import polars as pl

log = logging.getLogger(__name__)

INDEX_FILE = "signatures.duckdb"
_SCHEMA = """
CREATE TABLE meta (name VARCHAR NOT NULL, value VARCHAR NOT NULL);
CREATE TABLE signatures (
    docno INTEGER NOT NULL,
    doc_id VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    exact_hash VARCHAR NOT NULL,
    n_shingles INTEGER NOT NULL,
    signature UINTEGER[] NOT NULL
);
CREATE TABLE bands (key BIGINT NOT NULL, docno INTEGER NOT NULL);
CREATE TABLE links (
    doc_id VARCHAR NOT NULL,
    other_doc_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    similarity DOUBLE NOT NULL
);
"""
ENTRIES = {"docno": pl.Int32, "doc_id": pl.String, "key": pl.String}
PAIRS = {"doc_id": pl.String, "other_doc_id": pl.String}
# The probe's documents among the indexed ones.
_PROBED = "SELECT docno FROM signatures WHERE doc_id IN (SELECT doc_id FROM probe)"


class SignatureIndex:
    """The index in ``index_dir`` for one run: open it, change it, leave the ``with`` block to
    keep the changes, all at once (an exception leaves the index as it was)."""

    def __init__(
        self,
        index_dir: str | Path,
        fingerprint: str,
        num_perm: int,
        band_keys,
        threads: int = 1,
        memory_mb: int = 512,
    ) -> None:
        self.path = Path(index_dir) / INDEX_FILE
        self.num_perm = num_perm
        self._band_keys = band_keys  # signature matrix -> (documents, bands) uint64 keys
        self._config = {"threads": threads, "memory_limit": f"{memory_mb}MB"}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = self._open(fingerprint)
        self._run("BEGIN TRANSACTION")

    def _open(self, fingerprint: str):
        import duckdb

        try:
            db = duckdb.connect(str(self.path), config=self._config)
        except duckdb.Error as error:
            log.info("stories: %s is not a readable index (%s), rebuilding it", self.path, error)
        else:
            try:
                found = db.execute("SELECT value FROM meta WHERE name = 'settings'").fetchall()
            except duckdb.Error:
                found = []
            if found == [(fingerprint,)]:
                return db
            log.info("stories: %s was built otherwise or not finished, rebuilding it", self.path)
            db.close()
        for suffix in ("", ".wal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        db = duckdb.connect(str(self.path), config=self._config)
        for statement in ("BEGIN TRANSACTION", _SCHEMA):
            db.execute(statement).fetchall()
        db.execute("INSERT INTO meta VALUES ('settings', ?)", [fingerprint]).fetchall()
        db.execute("COMMIT").fetchall()
        return db

    def __enter__(self) -> SignatureIndex:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        try:
            self._run("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self.db.close()

    # -- reading -------------------------------------------------------------------------------

    def entries(self) -> pl.DataFrame:
        """``docno, doc_id, key`` of every indexed document."""
        return self.db.sql("SELECT docno, doc_id, key FROM signatures").pl().cast(ENTRIES)

    def signatures(self, doc_ids: list[str]) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """``doc_id -> row``, the ``(rows, num_perm)`` signature matrix and the shingle counts of
        the indexed documents among ``doc_ids``."""
        self._probe(doc_ids)
        rows = self.db.sql(
            "SELECT doc_id, n_shingles, signature FROM signatures"
            " WHERE doc_id IN (SELECT doc_id FROM probe) ORDER BY docno"
        ).pl()
        matrix = (
            rows["signature"].cast(pl.List(pl.UInt32)).list.to_array(self.num_perm).to_numpy()
            if rows.height
            else np.zeros((0, self.num_perm), dtype=np.uint32)
        )
        sizes = rows["n_shingles"].to_numpy().astype(np.float64)
        return {d: i for i, d in enumerate(rows["doc_id"].to_list())}, matrix, sizes

    def exact_pairs(self, doc_ids: list[str]) -> pl.DataFrame:
        """``doc_id, other_doc_id``: an indexed document with the exact hash of one of
        ``doc_ids`` (each pair as found, in either order)."""
        self._probe(doc_ids)
        return self._pairs(
            "SELECT q.doc_id, s.doc_id AS other_doc_id FROM signatures q"
            " JOIN signatures s ON s.exact_hash = q.exact_hash AND s.docno <> q.docno"
            " WHERE q.doc_id IN (SELECT doc_id FROM probe)"
        )

    def band_pairs(self, docnos: np.ndarray, keys: np.ndarray) -> pl.DataFrame:
        """``doc_id, other_doc_id``: an indexed document sharing a band key with one of the
        documents ``docnos`` (``keys``: their band keys, a row each; as :meth:`add` returned)."""
        self._register("probe_keys", _band_rows(docnos, keys))
        return self._pairs(
            "SELECT q.doc_id, o.doc_id AS other_doc_id FROM ("
            "  SELECT DISTINCT p.docno AS docno, b.docno AS other FROM probe_keys p"
            "  JOIN bands b ON b.key = p.key AND b.docno <> p.docno"
            ") found JOIN signatures q ON q.docno = found.docno"
            " JOIN signatures o ON o.docno = found.other"
        )

    def links(self, schema: dict) -> pl.DataFrame:
        query = "SELECT doc_id, other_doc_id, kind, similarity FROM links"
        return self.db.sql(query).pl().cast(schema)

    # -- changing ------------------------------------------------------------------------------

    def add(self, rows: pl.DataFrame, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index ``rows`` (``doc_id, key, exact_hash, n_shingles``) with their signature
        ``matrix``; returns their docnos and band keys (for :meth:`band_pairs`)."""
        ((start,),) = self._run("SELECT COALESCE(MAX(docno), 0) FROM signatures")
        docnos = np.arange(start + 1, start + 1 + rows.height, dtype=np.int32)
        signed = rows.select("doc_id", "key", "exact_hash", "n_shingles").with_columns(
            docno=pl.Series(docnos),
            signature=pl.Series(matrix.astype(np.uint32)).cast(pl.List(pl.UInt32))
            if rows.height
            else pl.Series([], dtype=pl.List(pl.UInt32)),
        )
        self._register("added", signed)
        self._run(
            "INSERT INTO signatures"
            " SELECT docno, doc_id, key, exact_hash, n_shingles, signature FROM added"
        )
        keys = self._band_keys(matrix)
        self._register("added_bands", _band_rows(docnos, keys))
        self._run("INSERT INTO bands SELECT key, docno FROM added_bands")
        return docnos, keys

    def drop(self, doc_ids: list[str]) -> None:
        """Remove the documents ``doc_ids``: their signatures, band keys and links."""
        if not doc_ids:
            return
        self._probe(doc_ids)
        self._run(f"DELETE FROM bands WHERE docno IN ({_PROBED})")
        self._run(
            "DELETE FROM links WHERE doc_id IN (SELECT doc_id FROM probe)"
            " OR other_doc_id IN (SELECT doc_id FROM probe)"
        )
        self._run("DELETE FROM signatures WHERE doc_id IN (SELECT doc_id FROM probe)")

    def set_links(self, links: pl.DataFrame) -> None:
        self._run("DELETE FROM links")
        self._register("new_links", links.select("doc_id", "other_doc_id", "kind", "similarity"))
        self._run("INSERT INTO links SELECT * FROM new_links")

    # -- helpers -------------------------------------------------------------------------------

    def _run(self, statement: str, parameters=None) -> list[tuple]:
        # Every result is fetched whole: DuckDB refuses other work on a connection until then.
        return self.db.execute(statement, parameters).fetchall()

    def _register(self, name: str, frame: pl.DataFrame) -> None:
        self.db.unregister(name)
        self.db.register(name, frame.to_arrow())

    def _probe(self, doc_ids: list[str]) -> None:
        self._register("probe", pl.DataFrame({"doc_id": doc_ids}, schema={"doc_id": pl.String}))

    def _pairs(self, query: str) -> pl.DataFrame:
        return self.db.sql(query).pl().cast(PAIRS)


def _band_rows(docnos: np.ndarray, keys: np.ndarray) -> pl.DataFrame:
    """``key, docno``: one row per band key of each document (keys as signed 64-bit integers)."""
    return pl.DataFrame(
        {
            "key": np.ascontiguousarray(keys).view(np.int64).ravel(),
            "docno": np.repeat(np.asarray(docnos, dtype=np.int32), keys.shape[1]),
        },
        schema={"key": pl.Int64, "docno": pl.Int32},
    )
