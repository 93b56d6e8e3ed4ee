"""Listing entries and batch manifests: what the main process hands to a batch's jobs.

Discovery runs once per workflow run, in the main Snakemake process. Every entry of the folder
becomes an :class:`Entry` (doc_id, size, modification time, and why it is not to be opened); the
entries of one batch of the change set go to ``{results_dir}/batches/{batch}.jsonl``
(:mod:`newscorpus.ingest.changes`). The batch's ingest job takes that manifest as input, so
Snakemake tracks one file per batch instead of every seed, and a cluster job never rescans the
folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newscorpus.ingest.discover import Seed

_NS_PER_DAY = 86_400 * 10**9


def mtime_day(mtime_ns: int) -> dt.date:
    """The UTC day of a modification time: a publication date cannot be after it."""
    return dt.date(1970, 1, 1) + dt.timedelta(days=mtime_ns // _NS_PER_DAY)


@dataclass(frozen=True, slots=True)
class Entry:
    doc_id: str
    size: int | None
    mtime_ns: int | None
    status: str | None  # None: a regular file to read; else why it is not opened
    detail: str


def entry_of(seed: Seed) -> Entry:
    """The listing entry of a discovered seed (one ``stat``; the file is not opened)."""
    if seed.status is not None:
        return Entry(seed.doc_id, None, None, seed.status, seed.detail)
    if seed.size is not None:
        return Entry(seed.doc_id, seed.size, seed.mtime_ns, None, "")
    try:
        st = os.stat(seed.path)
    except OSError as exc:  # vanished or unreadable between listing and stat
        return Entry(seed.doc_id, None, None, "error", f"cannot stat: {exc.strerror}")
    return Entry(seed.doc_id, st.st_size, st.st_mtime_ns, None, "")


def render(entries: Iterable[Entry]) -> str:
    # ensure_ascii keeps undecodable file-name bytes (lone surrogates) round-trippable.
    return "".join(
        json.dumps([e.doc_id, e.size, e.mtime_ns, e.status, e.detail], ensure_ascii=True) + "\n"
        for e in sorted(entries, key=lambda e: e.doc_id)
    )


def parse(text: str) -> list[Entry]:
    return [Entry(*json.loads(line)) for line in text.splitlines() if line]


def read(path: str | Path) -> list[Entry]:
    return parse(Path(path).read_text(encoding="utf-8"))
