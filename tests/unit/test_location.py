"""Where the tables live: one function, fed by the same config sources as the workflow."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.cli import build_parser, tables_location
from newscorpus.config import configfiles_in
from newscorpus.tables.location import configured_tables_root, table_uri, tables_root


def test_tables_live_under_results_unless_tables_uri_is_set():
    assert tables_root("out") == "out/tables"
    assert table_uri("documents", "out") == "out/tables/documents"
    assert table_uri("documents", "out", "s3://bucket/corpus/") == "s3://bucket/corpus/documents"
    assert table_uri("entities", "ignored", "/srv/tables") == "/srv/tables/entities"
    # a results folder given as a URI (readers of a cluster's results) keeps tables/ under it
    assert table_uri("removed", "s3://bucket/results/") == "s3://bucket/results/tables/removed"


def test_unknown_tables_are_refused_with_the_known_names():
    with pytest.raises(ValueError, match="documents, sentences, entities, removed"):
        table_uri("people")


def _yaml(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_config_files_count_in_order_and_overrides_win(tmp_path):
    defaults = _yaml(tmp_path / "config.yaml", 'results_dir: results\ntables_uri: ""\n')
    mine = _yaml(tmp_path / "mine.yaml", "tables_uri: file:///srv/corpus/tables\n")
    missing = tmp_path / "absent.yaml"
    assert configured_tables_root([defaults], ["results_dir=out"]) == "out/tables"
    assert configured_tables_root([defaults, mine, missing]) == "file:///srv/corpus/tables"
    assert configured_tables_root([mine, defaults]) == "results/tables"
    assert configured_tables_root([defaults, mine], ["tables_uri=s3://b/t"]) == "s3://b/t"


def test_configfiles_are_found_among_snakemake_arguments_in_both_spellings():
    args = ["-n", "--configfile", "a.yaml", "b.yaml", "--forceall", "--configfiles=c.yaml"]
    assert configfiles_in(args) == ["a.yaml", "b.yaml", "c.yaml"]
    assert configfiles_in(["--configfile", "a.yaml", "-p", "target"]) == ["a.yaml"]


@pytest.fixture
def workflow_dir(tmp_path) -> Path:
    """A workflow whose config/config.yaml publishes to S3."""
    (tmp_path / "Snakefile").write_text("")
    _yaml(tmp_path / "config" / "config.yaml", "tables_uri: s3://bucket/from-config-yaml\n")
    return tmp_path


def test_run_sees_tables_uri_of_the_workflows_config_yaml(workflow_dir):
    args = build_parser().parse_args(["run", "--snakefile", str(workflow_dir / "Snakefile")])
    assert tables_location(args) == "s3://bucket/from-config-yaml"


def test_run_sees_tables_uri_of_a_configfile_given_to_snakemake(workflow_dir, tmp_path):
    mine = _yaml(tmp_path / "mine.yaml", "tables_uri: file:///srv/mine\n")
    snakefile = str(workflow_dir / "Snakefile")
    args = build_parser().parse_args(
        ["run", "--snakefile", snakefile, "--", "--configfile", str(mine)]
    )
    assert tables_location(args) == "file:///srv/mine"
    args = build_parser().parse_args(
        ["run", "--snakefile", snakefile, "--config", "tables_uri=s3://b/cli", "--", "-n"]
    )
    assert tables_location(args) == "s3://b/cli"


@pytest.mark.parametrize("command", ["history documents", "vacuum"])
def test_history_and_vacuum_read_the_same_sources_as_run(command, workflow_dir, tmp_path):
    base = [*command.split(), "--snakefile", str(workflow_dir / "Snakefile")]
    assert tables_location(build_parser().parse_args(base)) == "s3://bucket/from-config-yaml"
    mine = _yaml(tmp_path / "mine.yaml", "tables_uri: file:///srv/mine\n")
    args = build_parser().parse_args([*base, "--configfile", str(mine)])
    assert tables_location(args) == "file:///srv/mine"
    args = build_parser().parse_args([*base, "--configfile", str(mine), "--tables-uri", "/x/t"])
    assert tables_location(args) == "/x/t"
    (workflow_dir / "config" / "config.yaml").write_text('tables_uri: ""\n')
    args = build_parser().parse_args([*base, "--results", "elsewhere"])
    assert tables_location(args) == "elsewhere/tables"
