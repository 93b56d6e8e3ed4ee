"""Shard manifests: rewritten only when the listing changed, round-trip any file name."""

from __future__ import annotations

import os

from newscorpus.ingest.discover import discover
from newscorpus.ingest.manifest import read, write_manifests


def _seeds(tmp_path, shards=2):
    return discover(tmp_path / "seeds", shards)


def test_unchanged_listing_keeps_the_manifest_untouched(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("Kyiv.")
    assert write_manifests(_seeds(tmp_path), tmp_path / "m", 2) == [0, 1]
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "m").iterdir()}
    assert write_manifests(_seeds(tmp_path), tmp_path / "m", 2) == []
    assert stamps == {p.name: p.stat().st_mtime_ns for p in (tmp_path / "m").iterdir()}


def test_an_edit_rewrites_only_the_shard_of_the_edited_file(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (seeds / name).write_text(name)
    listing = _seeds(tmp_path, 4)
    write_manifests(listing, tmp_path / "m", 4)
    edited = next(s for s in listing if s.doc_id == "c.txt")
    (seeds / "c.txt").write_text("a longer text than before")
    assert write_manifests(_seeds(tmp_path, 4), tmp_path / "m", 4) == [edited.shard]


def test_odd_file_names_round_trip(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    names = ["a b.txt", "q'\"uote.txt", "semi;colon $(x) `y` {z}.txt", "-lead.txt", "naïve.txt"]
    for name in names:
        (seeds / name).write_text("x")
    raw = os.fsencode(str(seeds)) + b"/bad\xff.txt"
    with open(raw, "wb") as handle:
        handle.write(b"x")
    write_manifests(_seeds(tmp_path, 1), tmp_path / "m", 1)
    entries = {entry.doc_id: entry for entry in read(tmp_path / "m" / "0.jsonl")}
    assert sorted(entries) == sorted([*names, "bad\\xff.txt"])
    # A name that is not UTF-8 cannot be a table value: shown escaped, never opened.
    assert entries["bad\\xff.txt"].status == "unsupported"
    assert all(entries[name].status is None and entries[name].size == 1 for name in names)


def test_fewer_shards_delete_the_extra_manifests(tmp_path):
    (tmp_path / "seeds").mkdir()
    write_manifests(_seeds(tmp_path, 4), tmp_path / "m", 4)
    write_manifests(_seeds(tmp_path, 2), tmp_path / "m", 2)
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["0.jsonl", "1.jsonl"]
