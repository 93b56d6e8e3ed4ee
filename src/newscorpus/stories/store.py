"""The signature index kept between runs: a DuckDB file queried by band key, beside a file of
the MinHash signatures read by row.

For every indexed document the DuckDB file (``signatures.duckdb``) holds the content key its
signature was made from, the exact hash, the shingle count and the row of its signature in the
signatures file (``signatures``), and its LSH band keys (``bands``), so a run sends the band keys
of its new documents and gets back the documents sharing one, and writes only the rows of the
documents it signs or drops. ``links`` holds the linked pairs for the whole-corpus form
(:func:`newscorpus.stories.index.update`); the workflow's links are the published ``duplicates``
table.

The signatures file (``signatures.<generation>.u32``) holds ``num_perm`` little-endian uint32
values per row, a row per signed document, and is read through a memory map: checking a run's
candidates reads their rows only, where a signature column in DuckDB was read and decompressed
whole on the first look-up (about 90 ms of a 200-document run at 20,000). Rows are only ever
appended past the rows the DuckDB file counts (``meta.rows``); a row is never rewritten while
the DuckDB file names it. When dropped documents' rows outnumber the live ones, the live rows
are copied, in order, to the next generation's file.

A run changes the DuckDB file in one transaction, with the signature rows it appended flushed to
disk first, so a run killed anywhere leaves the index as it was before it: rows appended by a
killed run lie past ``meta.rows`` and are written over by the next, and a file of another
generation is deleted when the index is opened. The settings' fingerprint is stored in ``meta``:
an index built with other settings, a file that is not a readable index, or a signatures file
shorter than its rows, is deleted and rebuilt, never mixed.

DuckDB rather than SQLite: a lookup of 2,000 documents' 128,000 band keys is one hash join over
the band column; SQLite's B-tree insert and probe per key took about 3 minutes to build the index
of 200,000 documents, DuckDB about 10 s.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import polars as pl

log = logging.getLogger(__name__)

INDEX_FILE = "signatures.duckdb"
ROWS_FILE = "signatures.{generation}.u32"
_ROW_DTYPE = np.dtype("<u4")
_SCHEMA = """
CREATE TABLE meta (name VARCHAR NOT NULL, value VARCHAR NOT NULL);
CREATE TABLE signatures (
    docno INTEGER NOT NULL,
    doc_id VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    exact_hash VARCHAR NOT NULL,
    n_shingles INTEGER NOT NULL,
    row BIGINT NOT NULL
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
DOCNO_PAIRS = {"docno": pl.Int32, "other": pl.Int32}
# A candidate pair of docnos (docno < other) with the signature row and shingle count of each.
CANDIDATES = {
    **DOCNO_PAIRS,
    "row": pl.Int64,
    "other_row": pl.Int64,
    "n_shingles": pl.Int32,
    "other_n_shingles": pl.Int32,
}
# Generations are compacted only past this many dropped rows: a copy costs a pass over the file.
_COMPACT_MIN_DEAD = 10_000


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
        self.folder = Path(index_dir)
        self.path = self.folder / INDEX_FILE
        self.num_perm = num_perm
        self._row_bytes = num_perm * _ROW_DTYPE.itemsize
        self._band_keys = band_keys  # signature matrix -> (documents, bands) uint64 keys
        self._config = {"threads": threads, "memory_limit": f"{memory_mb}MB"}
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db = self._open(fingerprint)
        self._generation = int(self._meta("generation"))
        self._rows = int(self._meta("rows"))
        self._remove_other_generations()
        self._file = os.open(self._rows_path(self._generation), os.O_RDWR | os.O_CREAT, 0o644)
        self._run("BEGIN TRANSACTION")

    def _open(self, fingerprint: str):
        import duckdb

        try:
            db = duckdb.connect(str(self.path), config=self._config)
        except duckdb.Error as error:
            log.info("stories: %s is not a readable index (%s), rebuilding it", self.path, error)
        else:
            try:
                found = dict(db.execute("SELECT name, value FROM meta").fetchall())
            except duckdb.Error:
                found = {}
            if found.get("settings") == fingerprint and self._rows_file_holds(found):
                return db
            log.info("stories: %s was built otherwise or not finished, rebuilding it", self.path)
            db.close()
        for suffix in ("", ".wal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        for path in self.folder.glob(ROWS_FILE.format(generation="*")):
            path.unlink()
        db = duckdb.connect(str(self.path), config=self._config)
        for statement in ("BEGIN TRANSACTION", _SCHEMA):
            db.execute(statement).fetchall()
        meta = [("settings", fingerprint), ("generation", "0"), ("rows", "0")]
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta)
        db.execute("COMMIT").fetchall()
        return db

    def _rows_file_holds(self, meta: dict) -> bool:
        """Whether the signatures file ``meta`` names holds every row it counts."""
        try:
            path = self._rows_path(int(meta["generation"]))
            return path.stat().st_size >= int(meta["rows"]) * self._row_bytes
        except (KeyError, ValueError, OSError):
            return False

    def _rows_path(self, generation: int) -> Path:
        return self.folder / ROWS_FILE.format(generation=generation)

    def _remove_other_generations(self) -> None:
        # Left by a run killed while compacting, before (the new one) or after (the old) commit.
        current = self._rows_path(self._generation)
        for path in self.folder.glob(ROWS_FILE.format(generation="*")):
            if path != current:
                path.unlink()

    def __enter__(self) -> SignatureIndex:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                old = self._compact_if_sparse()
                os.fsync(self._file)
                self._run("COMMIT")
                if old is not None:
                    old.unlink(missing_ok=True)
            else:
                self._run("ROLLBACK")
        finally:
            os.close(self._file)
            self.db.close()

    # -- reading -------------------------------------------------------------------------------

    def entries(self) -> pl.DataFrame:
        """``docno, doc_id, key`` of every indexed document."""
        return self.db.sql("SELECT docno, doc_id, key FROM signatures").pl().cast(ENTRIES)

    def signature_matrix(self) -> np.ndarray:
        """The signatures file as a ``(rows, num_perm)`` uint32 array (a read-only map):
        index it with the ``row`` columns of :meth:`band_pairs`."""
        if self._rows == 0:
            return np.zeros((0, self.num_perm), dtype=_ROW_DTYPE)
        return np.memmap(
            self._rows_path(self._generation),
            dtype=_ROW_DTYPE,
            mode="r",
            shape=(self._rows, self.num_perm),
        )

    def doc_ids(self, docnos: np.ndarray) -> dict[int, str]:
        """``docno -> doc_id`` of the indexed documents among ``docnos``."""
        self._probe_docnos(docnos)
        found = self.db.sql(
            "SELECT docno, doc_id FROM signatures WHERE docno IN (SELECT docno FROM probe_docnos)"
        ).fetchall()
        return dict(found)

    def exact_pairs(self, docnos: np.ndarray) -> pl.DataFrame:
        """``docno, other`` (``docno < other``): an indexed document with the exact hash of one
        of the documents ``docnos``."""
        self._probe_docnos(docnos)
        query = (
            "SELECT DISTINCT LEAST(q.docno, s.docno) AS docno, GREATEST(q.docno, s.docno) AS other"
            " FROM signatures q JOIN signatures s"
            " ON s.exact_hash = q.exact_hash AND s.docno <> q.docno"
            " WHERE q.docno IN (SELECT docno FROM probe_docnos)"
        )
        return self.db.sql(query).pl().cast(DOCNO_PAIRS)

    def band_pairs(self, docnos: np.ndarray, keys: np.ndarray) -> pl.DataFrame:
        """:data:`CANDIDATES`: each pair of an indexed document sharing a band key with one of
        the documents ``docnos`` (``keys``: their band keys, a row each; as :meth:`add`
        returned), once."""
        self._register("probe_keys", _band_rows(docnos, keys))
        query = (
            "SELECT found.docno, found.other, q.row, o.row AS other_row,"
            " q.n_shingles, o.n_shingles AS other_n_shingles FROM ("
            "  SELECT DISTINCT LEAST(p.docno, b.docno) AS docno,"
            "  GREATEST(p.docno, b.docno) AS other FROM probe_keys p"
            "  JOIN bands b ON b.key = p.key AND b.docno <> p.docno"
            ") found JOIN signatures q ON q.docno = found.docno"
            " JOIN signatures o ON o.docno = found.other"
        )
        return self.db.sql(query).pl().cast(CANDIDATES)

    def links(self, schema: dict) -> pl.DataFrame:
        query = "SELECT doc_id, other_doc_id, kind, similarity FROM links"
        return self.db.sql(query).pl().cast(schema)

    # -- changing ------------------------------------------------------------------------------

    def add(self, rows: pl.DataFrame, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index ``rows`` (``doc_id, key, exact_hash, n_shingles``) with their signature
        ``matrix``; returns their docnos and band keys (for :meth:`band_pairs`)."""
        ((start,),) = self._run("SELECT COALESCE(MAX(docno), 0) FROM signatures")
        docnos = np.arange(start + 1, start + 1 + rows.height, dtype=np.int32)
        first_row = self._append_rows(matrix)
        signed = rows.select("doc_id", "key", "exact_hash", "n_shingles").with_columns(
            docno=pl.Series(docnos),
            row=pl.Series(np.arange(first_row, first_row + rows.height, dtype=np.int64)),
        )
        self._register("added", signed)
        self._run(
            "INSERT INTO signatures"
            " SELECT docno, doc_id, key, exact_hash, n_shingles, row FROM added"
        )
        keys = self._band_keys(matrix)
        self._register("added_bands", _band_rows(docnos, keys))
        self._run("INSERT INTO bands SELECT key, docno FROM added_bands")
        return docnos, keys

    def drop(self, doc_ids: list[str]) -> None:
        """Remove the documents ``doc_ids``: their signatures, band keys and links (their rows
        in the signatures file stay until it is compacted)."""
        if not doc_ids:
            return
        self._register("probe", pl.DataFrame({"doc_id": doc_ids}, schema={"doc_id": pl.String}))
        probed = "SELECT docno FROM signatures WHERE doc_id IN (SELECT doc_id FROM probe)"
        self._run(f"DELETE FROM bands WHERE docno IN ({probed})")
        self._run(
            "DELETE FROM links WHERE doc_id IN (SELECT doc_id FROM probe)"
            " OR other_doc_id IN (SELECT doc_id FROM probe)"
        )
        self._run("DELETE FROM signatures WHERE doc_id IN (SELECT doc_id FROM probe)")

    def set_links(self, links: pl.DataFrame) -> None:
        self._run("DELETE FROM links")
        self._register("new_links", links.select("doc_id", "other_doc_id", "kind", "similarity"))
        self._run("INSERT INTO links SELECT * FROM new_links")

    # -- the signatures file -------------------------------------------------------------------

    def _append_rows(self, matrix: np.ndarray) -> int:
        """Write ``matrix`` after the rows counted so far; returns the first one's row."""
        first = self._rows
        data = np.ascontiguousarray(matrix, dtype=_ROW_DTYPE)
        if data.shape[0]:
            _write_all(self._file, data.tobytes(), first * self._row_bytes)
            self._rows += data.shape[0]
            self._set_meta("rows", self._rows)
        return first

    def _compact_if_sparse(self) -> Path | None:
        """Copy the live rows to the next generation's file when the dropped ones outnumber them
        (and are many); returns the file to delete once committed."""
        ((live,),) = self._run("SELECT COUNT(*) FROM signatures")
        dead = self._rows - live
        if dead < max(live, _COMPACT_MIN_DEAD):
            return None
        kept = self.db.sql("SELECT docno, row FROM signatures ORDER BY row").pl()
        matrix = self.signature_matrix()[kept["row"].to_numpy()]
        old, self._generation = self._rows_path(self._generation), self._generation + 1
        os.close(self._file)
        self._file = os.open(self._rows_path(self._generation), os.O_RDWR | os.O_CREAT, 0o644)
        os.ftruncate(self._file, 0)
        self._rows = 0
        self._append_rows(matrix)
        renumbered = kept.select("docno", new_row=pl.int_range(pl.len(), dtype=pl.Int64))
        self._register("renumbered", renumbered)
        self._run(
            "UPDATE signatures SET row = renumbered.new_row FROM renumbered"
            " WHERE signatures.docno = renumbered.docno"
        )
        self._set_meta("generation", self._generation)
        log.info("stories: signatures compacted, %d rows dropped", dead)
        return old

    # -- helpers -------------------------------------------------------------------------------

    def _meta(self, name: str) -> str:
        ((value,),) = self._run("SELECT value FROM meta WHERE name = ?", [name])
        return value

    def _set_meta(self, name: str, value) -> None:
        self._run("UPDATE meta SET value = ? WHERE name = ?", [str(value), name])

    def _run(self, statement: str, parameters=None) -> list[tuple]:
        # Every result is fetched whole: DuckDB refuses other work on a connection until then.
        return self.db.execute(statement, parameters).fetchall()

    def _register(self, name: str, frame: pl.DataFrame) -> None:
        self.db.unregister(name)
        self.db.register(name, frame.to_arrow())

    def _probe_docnos(self, docnos: np.ndarray) -> None:
        """Register ``docnos`` as the view ``probe_docnos`` (one column, ``docno``)."""
        self._register("probe_docnos", pl.DataFrame({"docno": docnos}, schema={"docno": pl.Int32}))


def _write_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _band_rows(docnos: np.ndarray, keys: np.ndarray) -> pl.DataFrame:
    """``key, docno``: one row per band key of each document (keys as signed 64-bit integers)."""
    return pl.DataFrame(
        {
            "key": np.ascontiguousarray(keys).view(np.int64).ravel(),
            "docno": np.repeat(np.asarray(docnos, dtype=np.int32), keys.shape[1]),
        },
        schema={"key": pl.Int64, "docno": pl.Int32},
    )
