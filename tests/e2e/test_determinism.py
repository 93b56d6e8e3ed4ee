"""Same input, same tables: whatever -j, and after an interrupted publish was finished."""

from __future__ import annotations

import pytest
from conftest import REFERENCE_CONFIG, assert_tables_equal

pytestmark = pytest.mark.e2e


def test_one_job_and_four_jobs_give_identical_tables(shared_workflow, reference_tables):
    # reference_tables come from a -j4 run over the same seeds folder.
    shared_workflow.snakemake(jobs=1, config=REFERENCE_CONFIG)
    tables = shared_workflow.tables()
    assert tables["documents"].height == 5 and tables["entities"].height > 0
    assert_tables_equal(tables, reference_tables)
