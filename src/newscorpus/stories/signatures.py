"""MinHash signatures of the shingle sets and their LSH band keys.

Two documents are candidates when they share a band key: ``bands`` bands of ``rows`` MinHash
values each, so a pair of Jaccard ``j`` becomes a candidate with probability
``1 - (1 - j**rows)**bands``. Syndicated copies share few shingles (a trimmed copy with a new
headline, dateline and footer can sit at Jaccard 0.25), hence many short bands; candidates are
then checked on their exact shingles (:mod:`newscorpus.stories.pairs`).

Signatures come from ``rensa`` (Rust) or ``datasketch``, over the 64-bit shingle hashes of
:mod:`newscorpus.stories.text`; both are seeded, so a signature is a function of the shingle set
and the settings, and the band keys stored in the index stay valid across runs.
"""

from __future__ import annotations

import numpy as np
import polars as pl

BACKENDS = ("rensa", "datasketch")


def _offsets(lists: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    lengths = lists.list.len().to_numpy().astype(np.uint64)
    offsets = np.zeros(len(lengths) + 1, dtype=np.uint64)
    np.cumsum(lengths, out=offsets[1:])
    flat = lists.explode(empty_as_null=False, keep_nulls=False).to_numpy().astype(np.uint64)
    return flat, offsets


def minhash(shingle_lists: pl.Series, num_perm: int, seed: int, backend: str) -> np.ndarray:
    """A ``(documents, num_perm)`` uint32 matrix of MinHash values, one row per list."""
    if len(shingle_lists) == 0:
        return np.zeros((0, num_perm), dtype=np.uint32)
    if backend == "rensa":
        import rensa

        flat, offsets = _offsets(shingle_lists)
        matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, num_perm, seed)
        return np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(-1, num_perm)
    if backend == "datasketch":
        from datasketch import MinHash

        # The shingles are already 64-bit hashes: datasketch takes their low 32 bits as is.
        hashes = MinHash.bulk(
            shingle_lists.to_list(), num_perm=num_perm, seed=seed, hashfunc=_low_bits
        )
        return np.asarray([h.hashvalues for h in hashes], dtype=np.uint64).astype(np.uint32)
    raise ValueError(f"stories.minhash: unknown backend {backend!r}; expected one of {BACKENDS}")


def _low_bits(value: int) -> int:
    return value & 0xFFFFFFFF


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """A ``(documents, bands)`` uint64 matrix: each band's ``rows`` values mixed into one key,
    the band's number mixed in too so that equal values in different bands do not collide."""
    if signatures.shape[1] < bands * rows:
        raise ValueError(
            f"stories: bands x rows = {bands * rows} exceeds num_perm = {signatures.shape[1]}"
        )
    values = signatures[:, : bands * rows].astype(np.uint64).reshape(-1, bands, rows)
    keys = np.broadcast_to(
        np.arange(1, bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15),
        values.shape[:2],
    ).copy()
    with np.errstate(over="ignore"):
        for row in range(rows):
            keys = (keys ^ values[:, :, row]) * np.uint64(0xFF51AFD7ED558CCD)
            keys ^= keys >> np.uint64(29)
    return keys


def estimated_jaccard(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Share of equal MinHash values of paired rows: an unbiased estimate of their Jaccard."""
    return (left == right).mean(axis=1)
