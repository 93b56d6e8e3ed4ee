"""Shard manifests: the listing of the seeds folder, one small file per shard.

Discovery runs once per workflow run, in the main Snakemake process. Each shard's listing
(doc_id, size, modification time, and why an entry is not to be opened) goes to
``{results_dir}/manifests/{shard}.jsonl``, rewritten only when it changed. The shard's ingest job
takes its manifest as input, so Snakemake tracks 1 file per shard instead of every seed: adding,
removing or editing a seed changes its shard's manifest and reruns that shard; the DAG of a
200,000-file corpus is as small as that of a 10-file one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newscorpus.ingest.discover import Seed
from newscorpus.util.files import write_text


@dataclass(frozen=True, slots=True)
class Entry:
    doc_id: str
    size: int | None
    mtime_ns: int | None
    status: str | None  # None: a regular file to read; else why it is not opened
    detail: str


def _entry(seed: Seed) -> Entry:
    if seed.status is not None:
        return Entry(seed.doc_id, None, None, seed.status, seed.detail)
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


def write_manifests(seeds: Iterable[Seed], folder: str | Path, shards: int) -> list[int]:
    """Write every shard's manifest whose content changed; return those shards.

    An unchanged manifest keeps its modification time, so Snakemake reruns nothing for it.
    Manifests of shards that no longer exist (the shard count went down) are deleted.
    """
    folder = Path(folder)
    grouped: dict[int, list[Entry]] = {shard: [] for shard in range(shards)}
    for seed in seeds:
        grouped[seed.shard].append(_entry(seed))
    changed = []
    for shard, entries in grouped.items():
        path = folder / f"{shard}.jsonl"
        text = render(entries)
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except OSError:
            pass
        write_text(text, path)
        changed.append(shard)
    for stale in folder.glob("*.jsonl"):
        if stale.stem.isdigit() and int(stale.stem) >= shards:
            stale.unlink(missing_ok=True)
    return changed
