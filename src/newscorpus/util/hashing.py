"""Stable hashes: shard assignment, content hashes and reuse keys.

Everything here must give the same answer on every machine, Python version and run, so it uses
sha256 over explicit byte encodings and never Python's randomised ``hash()``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, BinaryIO

_CHUNK = 1 << 20


def shard_of(doc_id: str, shards: int) -> int:
    """The shard a document belongs to: a stable function of its id and the shard count."""
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % shards


def sha256_stream(handle: BinaryIO, limit: int) -> tuple[str, bytes | None, int]:
    """Hash an open binary file in chunks; also return its bytes when it is at most ``limit``.

    Bounded memory: a file over the limit is hashed as a stream and its bytes are not kept.
    Returns ``(hex digest, content or None, size)``.
    """
    digest = hashlib.sha256()
    kept: list[bytes] | None = []
    size = 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if kept is not None:
            if size > limit:
                kept = None
            else:
                kept.append(chunk)
    return digest.hexdigest(), (b"".join(kept) if kept is not None else None), size


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no white space: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def settings_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()[:16]


def package_data_fingerprint(*names: str) -> str:
    """Hash of data files shipped in ``newscorpus/data``: rules kept in data shape results too."""
    from importlib import resources

    digest = hashlib.sha256()
    for name in names:
        digest.update(resources.files("newscorpus").joinpath("data", name).read_bytes())
    return digest.hexdigest()[:16]
