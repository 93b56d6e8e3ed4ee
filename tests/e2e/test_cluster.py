"""The workflow through an executor plugin, unchanged: every job submitted as its own process.

profiles/cluster-generic-local/submit.sh stands in for a scheduler's submit command. The tables
must equal those of a local run, and be readable through a ``file://`` URI as object storage
would be through ``s3://``.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from conftest import REPO, SAMPLE_SEEDS, Workflow, copy_seeds
from polars.testing import assert_frame_equal

from newscorpus import TABLES
from newscorpus.tables.load import load, table_uri
from newscorpus.tables.schemas import SORT_KEYS

pytestmark = pytest.mark.e2e

SUBMIT = REPO / "profiles" / "cluster-generic-local" / "submit.sh"


def tables(workdir: Path) -> dict[str, pl.DataFrame]:
    return {
        name: load(name, str(workdir / "results")).collect().sort(SORT_KEYS[name])
        for name in TABLES
    }


@pytest.fixture(scope="module")
def local_and_cluster(tmp_path_factory) -> tuple[Path, Path, str]:
    local, cluster = (
        Workflow(root, seeds=copy_seeds(SAMPLE_SEEDS, root / "seeds"), results=root / "results")
        for root in (tmp_path_factory.mktemp("local"), tmp_path_factory.mktemp("cluster"))
    )
    local.snakemake()
    # Each job is submitted as its own process; allow for the slower start of each.
    cluster.timeout = 600
    done = cluster.snakemake(
        extra=[
            "--executor",
            "cluster-generic",
            "--cluster-generic-submit-cmd",
            str(SUBMIT),
            "--jobs",
            "2",
            "--latency-wait",
            "5",
        ]
    )
    return local.workdir, cluster.workdir, done.stdout + done.stderr


def test_jobs_are_submitted_through_the_executor_plugin(local_and_cluster):
    _, cluster, log = local_and_cluster
    assert "cluster-generic" in log or "Submitted job" in log, log[-2000:]
    assert "Submitted job" in log
    assert (cluster / "results" / "tables" / "_published.json").is_file()


def test_cluster_tables_equal_the_local_run(local_and_cluster):
    local, cluster, _ = local_and_cluster
    local_tables, cluster_tables = tables(local), tables(cluster)
    for name in TABLES:
        assert local_tables[name].height > 0 or name in ("removed", "duplicates"), (
            f"{name} is empty"
        )
        assert_frame_equal(cluster_tables[name], local_tables[name], check_row_order=True)


def test_published_tables_read_through_a_file_uri(local_and_cluster):
    local, _, _ = local_and_cluster
    uri = (local / "results").as_uri()
    assert uri.startswith("file:///")
    assert table_uri("documents", uri) == f"{uri}/tables/documents"
    for name in TABLES:
        through_uri = load(name, uri).collect().sort(SORT_KEYS[name])
        assert_frame_equal(through_uri, tables(local)[name])
        assert_frame_equal(
            pl.scan_delta(table_uri(name, uri)).collect().sort(SORT_KEYS[name]), through_uri
        )
