"""The change set: which documents a run must (re)compute, cut into batches.

The main Snakemake process lists the seeds folder once, compares every entry with the catalog
of what is published (``{results_dir}/state/catalog``: size, modification time, content hash and
the fingerprint of the code and settings that made its rows) and keeps exactly the new, changed
and removed documents. Unchanged files are not opened: a file whose size and modification time
match is taken as unchanged, as rsync and Snakemake do (``verify`` re-hashes them). A file of
the same size with another modification time on the same UTC day (a scraper that rewrites what
it fetched again) is hashed: the same content is unchanged, and its new time goes to the catalog
with the next change set, so later runs trust it again. Another day changes the document, since
a publication date is never after its file's day. A new code
version or a changed setting changes the fingerprint, so every document enters the change set;
the stages' reuse keys then recompute only from the stage the change affects on.

The changed documents, sorted by doc_id, are cut into batches of bounded documents and bytes;
each batch is a manifest named by a digest of its content and of the fingerprint, so a killed
run's finished batches are found again, and a no-op run has no batch at all. The change set
itself (its batches and removed doc_ids) goes to ``{results_dir}/changes/{id}.json``; ``id`` is
a digest of those and of the change set published before it (the same changes made again later
are a new step), and it is what the publish step records in every table's commit, so a publish
cut between two table commits is finished without repeating one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newscorpus.ingest.manifest import Entry, mtime_day, render
from newscorpus.util.files import write_json, write_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """How a change set is cut: at most ``max_docs`` documents and ``max_bytes`` bytes per batch,
    spread over up to ``spread`` batches when it is large, never below ``min_docs`` per batch
    only to fill them (a quiet day is one small job)."""

    max_docs: int = 5000
    max_bytes: int = 100_000_000
    min_docs: int = 500
    spread: int = 8


@dataclass
class ChangeSet:
    id: str | None  # None: nothing to do
    batches: dict[str, list[Entry]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    previous: str | None = None  # the change set the catalog was last published with
    # Unchanged content under a new modification time: {doc_id: [size, mtime_ns]} for the
    # catalog. A hint only (a file found touched again is hashed again), so not in the id.
    touched: dict[str, list[int]] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "id": self.id,
            "batches": sorted(self.batches),
            "removed": self.removed,
            "touched": self.touched,
            "counts": self.counts,
        }


def read_catalog(state_uri: str, tables_uri: str) -> tuple[dict[str, tuple], str | None]:
    """``{doc_id: (size, mtime_ns, status, detail, source_sha256, fingerprint)}`` of the last
    publish, and the change set it recorded; empty when there is none or the tables at
    ``tables_uri`` are not the ones it describes (deleted or foreign tables are rebuilt, not
    trusted; a project folder moved whole is the same tables)."""
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    from newscorpus.tables.publish import holds_changeset, recorded_changeset, storage_options

    try:
        catalog = DeltaTable(state_uri)
    except TableNotFoundError:
        return {}, None
    changeset = recorded_changeset(catalog)
    if changeset is None:
        return {}, None
    documents = f"{tables_uri.rstrip('/')}/documents"
    try:
        published = DeltaTable(documents, storage_options=storage_options(documents))
    except TableNotFoundError:
        return {}, None
    # The tables at tables_uri are the ones the catalog describes when their history holds the
    # change set it recorded, wherever they are now (a project folder moved whole); others (another
    # project's, or tables rebuilt since) are rebuilt, never trusted.
    if not holds_changeset(published, changeset):
        return {}, None
    import polars as pl

    frame = pl.read_delta(state_uri)
    rows = frame.select(
        "doc_id",
        "size",
        "mtime_ns",
        "listing_status",
        "listing_detail",
        "source_sha256",
        "fingerprint",
    ).rows()
    return {row[0]: row[1:] for row in rows}, changeset


def _rehash_differs(path: str, published_sha256: str | None) -> bool:
    from newscorpus.util.hashing import sha256_stream

    try:
        with open(path, "rb") as handle:
            digest, _, _ = sha256_stream(handle, 0)
    except OSError:
        return True
    return digest != published_sha256


def changed_entries(
    entries: Sequence[Entry],
    catalog: dict[str, tuple],
    fingerprint: str,
    seeds_dir: str,
    *,
    verify: bool,
    force: bool,
    pending: frozenset[str] = frozenset(),
) -> tuple[list[Entry], list[str], dict[str, int], dict[str, list[int]]]:
    """The entries to compute, the doc_ids to remove, counts of each kind, and the unchanged
    files found under a new modification time (``{doc_id: [size, mtime_ns]}``).

    ``pending``: doc_ids a killed publish may have committed to some tables but not to the
    catalog. Those still listed are computed again, the others removed, so no table keeps a row
    the catalog does not know of.
    """
    counts = dict.fromkeys(("new", "changed", "removed", "unchanged", "touched"), 0)
    todo = []
    touched = {}
    listed = set()
    for entry in entries:
        listed.add(entry.doc_id)
        old = catalog.get(entry.doc_id)
        if old is None or entry.doc_id in pending:
            counts["new" if old is None else "changed"] += 1
            todo.append(entry)
            continue
        size, mtime_ns, status, detail, sha256, old_fingerprint = old
        comparable = (
            not force
            and old_fingerprint == fingerprint
            and (size, status, detail or "") == (entry.size, entry.status, entry.detail or "")
        )
        same = comparable and mtime_ns == entry.mtime_ns
        # Another day is another result: no publication date may be after the file's day.
        retimed = (
            comparable
            and not same
            and entry.status is None
            and mtime_ns is not None
            and mtime_day(mtime_ns) == mtime_day(entry.mtime_ns)
        )
        if retimed or (same and verify and entry.status is None):
            same = not _rehash_differs(os.path.join(seeds_dir, entry.doc_id), sha256)
        if same:
            counts["unchanged"] += 1
            if retimed:
                counts["touched"] += 1
                touched[entry.doc_id] = [entry.size, entry.mtime_ns]
        else:
            counts["changed"] += 1
            todo.append(entry)
    removed = sorted((set(catalog) | pending) - listed)
    counts["removed"] = len(removed)
    return sorted(todo, key=lambda e: e.doc_id), removed, counts, touched


def cut(entries: Sequence[Entry], limits: Limits) -> list[list[Entry]]:
    """Cut entries (in doc_id order) into batches within ``limits``; deterministic.

    The batches carry equal shares of the bytes, each a run of consecutive doc_ids: a job's time
    follows the length of its texts, and a batch with more of them than the others would leave
    cores idle at the end of a run (documents of unknown size count as one byte; of equal sizes,
    the batches are of equal counts, give or take one). When a large change set is spread over
    more batches than its limits need, their number is rounded down to a power of two, so that
    they divide evenly over 2, 4 or 8 cores and each keeps ``min_docs`` (every job loads its
    models once). A share that would still break ``max_docs`` or ``max_bytes`` is cut again.
    """
    if not entries:
        return []
    total_bytes = sum(e.size or 0 for e in entries)
    needed = max(
        math.ceil(len(entries) / limits.max_docs),
        math.ceil(total_bytes / limits.max_bytes),
        1,
    )
    spread = min(limits.spread, math.ceil(len(entries) / limits.min_docs))
    if spread > needed:
        spread = 1 << (spread.bit_length() - 1)
    n = min(len(entries), max(needed, spread))
    weights = [(e.size or 0) + 1 for e in entries]
    total = sum(weights)
    batches: list[list[Entry]] = []
    share, before, size = -1, 0, 0
    for entry, weight in zip(entries, weights, strict=True):
        # The share holding this entry's middle byte: consecutive, never more than n.
        at = min(n - 1, (n * (2 * before + weight)) // (2 * total))
        before += weight
        full = bool(batches) and (
            len(batches[-1]) >= limits.max_docs or size + (entry.size or 0) > limits.max_bytes
        )
        if at != share or full:
            batches.append([])
            share, size = at, 0
        batches[-1].append(entry)
        size += entry.size or 0
    return batches


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def plan(
    entries: Sequence[Entry],
    catalog: dict[str, tuple],
    previous: str | None,
    fingerprint: str,
    seeds_dir: str,
    limits: Limits,
    tables_uri: str,
    *,
    verify: bool,
    force: bool,
    pending: frozenset[str] = frozenset(),
) -> ChangeSet:
    """The change set of ``entries`` against the ``catalog`` (``verify``, ``force``: the config
    switches of the same names; ``pending``: doc_ids of a publish cut before its catalog)."""
    todo, removed, counts, touched = changed_entries(
        entries, catalog, fingerprint, seeds_dir, verify=verify, force=force, pending=pending
    )
    batches = {}
    for batch in cut(todo, limits):
        text = render(batch)
        batches[_digest(fingerprint, "force" if force else "", text)] = batch
    if catalog and not batches and not removed and not pending:
        return ChangeSet(None, counts=counts, previous=previous)
    # A first run (no catalog) publishes even an empty corpus: the tables then exist. The id
    # names a step from the last published change set: the same changes made again later (a
    # file removed, put back and removed again; a setting switched back and forth) are a new
    # step with a new id, while a run killed before its catalog commit is redone under its own.
    change_id = _digest(
        fingerprint,
        tables_uri,
        previous or "",
        *sorted(batches),
        "\x1e",
        *removed,
        "" if catalog else "create",
    )
    return ChangeSet(change_id, batches, removed, counts, previous, touched)


def write(changes: ChangeSet, results_dir: str | Path) -> None:
    """Write the batch manifests and the change set's file; drop those of older runs.

    Files of the change set last published are kept (Snakemake finds the publish job that made
    them up to date), and so are the current ones: everything else is from runs that are over.
    """
    results = Path(results_dir)
    batches_dir, changes_dir = results / "batches", results / "changes"
    for batch, entries in changes.batches.items():
        path = batches_dir / f"{batch}.jsonl"
        text = render(entries)
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except OSError:
            pass
        write_text(text, path)
    keep_batches = set(changes.batches)
    keep_changes = {c for c in (changes.id, changes.previous) if c}
    if changes.previous:
        try:
            previous = json.loads((changes_dir / f"{changes.previous}.json").read_text())
            keep_batches |= set(previous["batches"])
        except (OSError, ValueError, KeyError):
            pass
    if changes.id:
        path = changes_dir / f"{changes.id}.json"
        if not path.exists():
            write_json(changes.summary(), path)
    for stale in batches_dir.glob("*.jsonl") if batches_dir.is_dir() else []:
        if stale.stem not in keep_batches:
            stale.unlink(missing_ok=True)
    for stale in batches_dir.iterdir() if batches_dir.is_dir() else []:
        if stale.is_dir() and stale.name not in changes.batches:
            shutil.rmtree(stale, ignore_errors=True)
    for stale in changes_dir.glob("*") if changes_dir.is_dir() else []:
        if stale.name.split(".")[0] not in keep_changes:
            stale.unlink(missing_ok=True)
