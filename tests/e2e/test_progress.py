"""In a terminal, `newscorpus run` shows per-stage progress; Snakemake's log goes to a file."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time

import pytest
from conftest import REFERENCE_CONFIG, RUN_TIMEOUT_S, assert_tables_equal

from newscorpus.runner.progress import strip_ansi

pytestmark = pytest.mark.e2e

STAGE_LINE = re.compile(r"^\s+(?P<stage>\S.*?)\s+(?P<done>[\d,]+)/(?P<total>[\d,]+) documents\s+")


def _run_in_terminal(command: list[str], cwd, env) -> tuple[int, str]:
    """Run ``command`` with a pseudo-terminal as its stdout and stderr; its exit and output."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: every writer has closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif process.poll() is not None:
                break
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_run_in_a_terminal_shows_stage_progress_and_logs_snakemake_to_a_file(
    shared_workflow, reference_tables
):
    workflow = shared_workflow
    code, output = _run_in_terminal(
        workflow.newscorpus_command(jobs=2, config=REFERENCE_CONFIG),
        workflow.workdir,
        workflow.env,
    )
    text = strip_ansi(output).replace("\r", "")
    assert code == 0, text[-4000:]

    # Per stage: documents done of the documents seen, docs/s; every stage reads the 5 seeds.
    stages = {}
    for line in text.splitlines():
        if (found := STAGE_LINE.match(line)) and " docs/s" in line:
            stages[found["stage"]] = (found["done"], found["total"])
    assert stages, text[-4000:]
    assert stages.get("ingest") == ("5", "5"), stages
    assert all(done == total for done, total in stages.values()), stages
    assert re.search(r"Snakemake jobs (\d+)/\1 done", text)
    assert text.rstrip().splitlines()[-1].startswith("newscorpus run done: 5 documents (added 5,")

    # Snakemake's job log went to the file named at the start, not to the terminal.
    assert "localrule" not in text and "steps (100%) done" not in text
    named = re.search(r"Snakemake's log goes to (\S+\.log)", text)
    assert named, text[:2000]
    log = (workflow.workdir / named[1]).read_text()
    assert "localrule ingest" in log and "steps (100%) done" in log

    assert_tables_equal(workflow.tables(), reference_tables)
