"""Two scheduled runs that start at once on the same results: both exit 0, one does the work."""

from __future__ import annotations

import time

import pytest
from conftest import REFERENCE_CONFIG, assert_tables_equal
from deltalake import DeltaTable

pytestmark = pytest.mark.e2e


def test_second_of_two_simultaneous_runs_steps_aside(shared_workflow, reference_tables):
    workflow = shared_workflow
    command = workflow.newscorpus_command(jobs=2, config=REFERENCE_CONFIG, wait=0)
    first, second = workflow.popen(command), workflow.popen(command)
    results = [
        process.communicate(timeout=300) + (process.returncode,) for process in (first, second)
    ]

    assert [code for _, _, code in results] == [0, 0]
    last_lines = [out.strip().splitlines()[-1] for out, _, _ in results]
    stepped_aside = [line for line in last_lines if "stepping aside" in line]
    did_work = [line for line in last_lines if line.startswith("newscorpus run done:")]
    assert len(stepped_aside) == 1 and len(did_work) == 1, last_lines
    assert "added 5," in did_work[0]
    assert DeltaTable(str(workflow.results / "tables" / "documents")).version() == 0
    assert_tables_equal(workflow.tables(), reference_tables)


def test_run_that_waits_for_the_lock_finds_the_work_done(shared_workflow, reference_tables):
    workflow = shared_workflow
    command = workflow.newscorpus_command(jobs=2, config=REFERENCE_CONFIG, wait=600)
    first = workflow.popen(command)
    # Start the second once the first holds the lock (its Snakemake has begun writing logs).
    while not (workflow.results / "logs").exists() and first.poll() is None:
        time.sleep(0.05)
    second = workflow.popen(command)
    outputs = [process.communicate(timeout=600) for process in (first, second)]

    assert (first.returncode, second.returncode) == (0, 0)
    assert "added 5," in outputs[0][0].strip().splitlines()[-1]
    waited = outputs[1][0].strip().splitlines()[-1]
    assert "unchanged 5" in waited and "new versions: none" in waited
    assert_tables_equal(workflow.tables(), reference_tables)
