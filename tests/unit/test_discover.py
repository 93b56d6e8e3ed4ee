"""Discovery of the seeds folder, and the ingest stage's own checks on what it opens."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from newscorpus.ingest import discover as discover_module
from newscorpus.ingest.discover import discover
from newscorpus.ingest.manifest import entry_of, render
from newscorpus.stages import ingest

SETTINGS = {"max_doc_bytes": 1000, "allow_symlinks_outside_root": False}


def _by_id(seeds) -> dict:
    return {seed.doc_id: seed for seed in seeds}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "seeds"
    for name in [
        "a.txt",
        "nested/deep/b.txt",
        "x.txt/inner.txt",
        ".hidden.txt",
        ".cache/c.txt",
        "{shard}.txt",
        "-dash $(x).txt",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("Some text.")
    (tmp_path / "outside.txt").write_text("OUTSIDE")
    os.symlink(tmp_path / "outside.txt", root / "out.txt")
    os.symlink("a.txt", root / "in.txt")
    os.symlink("missing.txt", root / "broken.txt")
    os.symlink(tmp_path, root / "dirlink")
    os.mkfifo(root / "pipe.txt")
    return root


def test_every_visible_entry_is_listed_once_with_its_status(corpus):
    found = _by_id(discover(corpus))
    assert {k: v.status for k, v in found.items()} == {
        "a.txt": None,
        "nested/deep/b.txt": None,
        "x.txt/inner.txt": None,
        "{shard}.txt": None,
        "-dash $(x).txt": None,
        "in.txt": None,
        "out.txt": "outside_root",
        "broken.txt": "error",
        "dirlink": "outside_root",
        "pipe.txt": "unsupported",
    }


def test_a_symlink_outside_the_root_is_read_only_when_allowed(corpus):
    assert _by_id(discover(corpus, allow_outside_root=True))["out.txt"].status is None


def test_result_is_sorted_and_independent_of_listing_order(corpus, monkeypatch):
    forward = discover(corpus)
    real_scandir = os.scandir
    monkeypatch.setattr(
        discover_module.os, "scandir", lambda path: list(reversed(list(real_scandir(path))))
    )
    assert discover(corpus) == forward
    assert [s.doc_id for s in forward] == sorted(s.doc_id for s in forward)


def test_paths_keep_the_folder_as_given_joined_with_the_doc_id(corpus, monkeypatch):
    monkeypatch.chdir(corpus.parent)
    for seed in discover("seeds"):
        if seed.status is None:
            assert seed.path == os.path.join("seeds", seed.doc_id)


def test_a_file_name_that_is_not_utf8_gets_a_row_and_is_never_opened(tmp_path):
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text("x")
    [seed] = discover(tmp_path)
    assert (seed.doc_id, seed.status) == ("caf\\xe9.txt", "unsupported")
    seed.doc_id.encode("utf-8")  # storable in Polars and Delta


def write_manifests(seeds, folder: Path) -> str:
    """One batch manifest of every discovered seed, as the change set writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "0.jsonl"
    path.write_text(render(entry_of(seed) for seed in seeds), encoding="utf-8")
    return str(path)


def _ingest(corpus: Path, tmp_path: Path, settings: dict = SETTINGS) -> pl.DataFrame:
    """Discover ``corpus`` into one batch manifest and run the ingest stage on it."""
    manifest = write_manifests(discover(corpus), tmp_path / "manifests")
    return ingest.run(manifest, str(corpus), "0", settings, str(tmp_path / "out.parquet"))


def _status(frame: pl.DataFrame, doc_id: str) -> str:
    return frame.filter(pl.col("doc_id") == doc_id)["status"].item()


def test_ingest_refuses_a_link_re_pointed_outside_after_discovery(corpus, tmp_path):
    write_manifests(discover(corpus), tmp_path / "manifests")
    os.remove(corpus / "in.txt")
    os.symlink(tmp_path / "outside.txt", corpus / "in.txt")  # swapped after discovery
    frame = ingest.run(
        str(tmp_path / "manifests" / "0.jsonl"),
        str(corpus),
        "0",
        SETTINGS,
        str(tmp_path / "out.parquet"),
    )
    assert _status(frame, "in.txt") == "outside_root"
    assert not frame["raw_text"].fill_null("").str.contains("OUTSIDE").any()


def test_ingest_does_not_block_on_a_fifo_put_in_place_of_a_file(corpus, tmp_path):
    write_manifests(discover(corpus), tmp_path / "manifests")
    os.remove(corpus / "a.txt")
    os.mkfifo(corpus / "a.txt")  # nobody writes to it: a blocking open would hang
    frame = ingest.run(
        str(tmp_path / "manifests" / "0.jsonl"),
        str(corpus),
        "0",
        SETTINGS,
        str(tmp_path / "out.parquet"),
    )
    assert _status(frame, "a.txt") == "unsupported"


def test_ingest_gives_every_entry_one_row_and_reads_brace_named_files(corpus, tmp_path):
    frame = _ingest(corpus, tmp_path)
    assert frame["doc_id"].to_list() == sorted(s.doc_id for s in discover(corpus))
    assert frame.filter(pl.col("doc_id") == "{shard}.txt")["raw_text"].to_list() == ["Some text."]
    assert _status(frame, "out.txt") == "outside_root"
    assert _status(frame, "pipe.txt") == "unsupported"


def test_ingest_reads_outside_links_only_when_allowed(corpus, tmp_path):
    settings = {**SETTINGS, "allow_symlinks_outside_root": True}
    write_manifests(discover(corpus, allow_outside_root=True), tmp_path / "manifests")
    frame = ingest.run(
        str(tmp_path / "manifests" / "0.jsonl"),
        str(corpus),
        "0",
        settings,
        str(tmp_path / "out.parquet"),
    )
    assert frame.filter(pl.col("doc_id") == "out.txt")["raw_text"].to_list() == ["OUTSIDE"]


def test_ingest_caps_memory_with_max_doc_bytes(tmp_path):
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    (corpus / "big.txt").write_bytes(b"x" * 5000)
    row = _ingest(corpus, tmp_path).row(0, named=True)
    assert (row["status"], row["size_bytes"], row["raw_text"]) == ("too_large", 5000, None)
    assert row["source_sha256"] is not None
