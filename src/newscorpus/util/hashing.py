"""Stable hashes: content hashes, reuse keys and code fingerprints.

Everything here must give the same answer on every machine, Python version and run, so it uses
sha256 over explicit byte encodings and never Python's randomised ``hash()``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, BinaryIO

_CHUNK = 1 << 20


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


# Parts of the package that never shape a table: the command line and the report's figures.
_NOT_RESULT_CODE = ("cli.py", "report")


def code_fingerprint(*parts: str) -> str:
    """Hash of the package's source and data files under ``parts`` (folders or files relative to
    the package; none: the whole package but the command line and the report).

    Reuse keys and the change set carry it, so an edited rule, a new code version or an edited
    data file recomputes what it shapes even when nobody bumped a version string.
    """
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    if parts:
        targets = [root / part for part in parts]
    else:
        targets = [p for p in root.iterdir() if p.name not in _NOT_RESULT_CODE]
    files = sorted(
        path
        for target in targets
        for path in ([target] if target.is_file() else target.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".yaml", ".json", ".txt")
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
