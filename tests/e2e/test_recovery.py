"""A run killed with SIGKILL at any point is finished by the next ``newscorpus run``, alone.

Each test kills the whole process group of a ``newscorpus run`` (newscorpus, Snakemake and its
jobs, as a power cut or ``systemctl kill`` would), then starts a plain ``newscorpus run`` and
compares the tables with those of an uninterrupted run.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from conftest import REFERENCE_CONFIG, Workflow, assert_tables_equal
from deltalake import DeltaTable

from newscorpus import TABLES

pytestmark = pytest.mark.e2e

# Holds the publish job after one table commit (see its sitecustomize.py).
CRASH_HOOK = Path(__file__).parent / "crash_hook"


def _wait_for(path_glob: tuple[Path, str], process, timeout_s: float = 240) -> Path:
    folder, pattern = path_glob
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"run ended before {pattern} appeared:\n{out}\n{err[-4000:]}")
        time.sleep(0.05)
    raise AssertionError(f"{pattern} did not appear in {timeout_s} s")


def _kill_group(process) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.communicate()


def _recover(workflow: Workflow) -> str:
    result = workflow.newscorpus_run(jobs=2, config=REFERENCE_CONFIG)
    assert result.returncode == 0
    return result.stdout


def test_run_killed_during_a_shard_job_is_redone_by_the_next_run(shared_workflow, reference_tables):
    workflow = shared_workflow
    run = workflow.popen(workflow.newscorpus_command(jobs=2, config=REFERENCE_CONFIG))
    # The entity job's log appears when the job starts; spaCy takes seconds to load after it.
    _wait_for((workflow.results / "logs" / "annotate", "*.log"), run)
    _kill_group(run)
    assert not (workflow.results / "tables" / "_published.json").exists()
    assert any((workflow.workdir / ".snakemake" / "locks").iterdir()), "no stale lock to clear"
    # What a write killed before its rename leaves: a temporary beside the intact file.
    [batch] = [p for p in (workflow.results / "batches").iterdir() if p.is_dir()]
    torn = batch / ".ingested.parquet.x1y2z3.newscorpus-tmp"
    torn.write_bytes(b"PAR1 torn")

    stdout = _recover(workflow)

    assert "cleared a stale Snakemake lock" in stdout
    assert "unfinished temporary file(s)" in stdout
    assert not list(workflow.results.rglob("*.newscorpus-tmp"))
    assert "newscorpus run done: 5 documents (added 5," in stdout.splitlines()[-1]
    assert_tables_equal(workflow.tables(), reference_tables)


def test_run_killed_between_two_table_commits_is_finished_without_repeating_commits(
    shared_workflow, reference_tables
):
    workflow = shared_workflow
    committed = "entities"  # publish order: sentences, entities, removed, documents
    marker = workflow.workdir / "held"
    run = workflow.popen(
        workflow.newscorpus_command(jobs=2, config=REFERENCE_CONFIG),
        env={
            "NEWSCORPUS_HOLD_AT": f"publish:after:{committed}",
            "NEWSCORPUS_HOLD_FILE": str(marker),
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(CRASH_HOOK), os.environ.get("PYTHONPATH")])
            ),
        },
    )
    _wait_for((workflow.workdir, "held"), run)
    _kill_group(run)
    tables = workflow.results / "tables"
    assert not (tables / "documents").exists(), "documents is published last"
    assert DeltaTable(str(tables / committed)).version() == 0

    _recover(workflow)

    # Tables committed before the crash keep their version: they carry the change set already.
    assert {t: DeltaTable(str(tables / t)).version() for t in TABLES} == dict.fromkeys(TABLES, 0)
    assert_tables_equal(workflow.tables(), reference_tables)
