"""``newscorpus watch``: a run per quiet burst of new seeds, files read whole, a clean stop."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import REFERENCE_CONFIG, Workflow, assert_tables_equal
from deltalake import DeltaTable

pytestmark = pytest.mark.e2e

QUIET_S = 1.5  # the watcher's --quiet: short, so the tests stay fast
SUMMARY = "newscorpus run "  # "newscorpus run done: ..." / "newscorpus run FAILED: ..."
# What a run may say it recovered (docs/scheduling.md, "Recovery needs nobody").
DOCUMENTED_RECOVERY = ("removed ", "cleared a stale Snakemake lock")


class Watcher:
    """A ``newscorpus watch`` process; its output is read as it comes."""

    def __init__(self, workflow: Workflow, options: list[str] | None = None) -> None:
        command = workflow.newscorpus_command(
            jobs=2,
            config=REFERENCE_CONFIG,
            subcommand="watch",
            options=["--quiet", str(QUIET_S), *(options or [])],
        )
        self.process = workflow.popen(command)
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        for stream, lines in (
            (self.process.stdout, self.stdout),
            (self.process.stderr, self.stderr),
        ):
            threading.Thread(target=self._drain, args=(stream, lines), daemon=True).start()

    @staticmethod
    def _drain(stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))

    def runs_started(self) -> int:
        return sum(1 for line in self.stdout if line.endswith("; running"))

    def summaries(self) -> list[str]:
        return [line for line in self.stdout if line.startswith(SUMMARY)]

    def idle(self) -> bool:
        """Waiting for changes: its last word is that it watches, after at least one run."""
        return bool(self.summaries()) and self.stdout[-1].startswith("newscorpus watch: watching")

    def wait_until(self, condition, what: str, timeout_s: float = 240) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.kill()
        raise AssertionError(
            f"watcher: {what} did not happen\n--- stdout\n"
            + "\n".join(self.stdout[-50:])
            + "\n--- stderr\n"
            + "\n".join(self.stderr[-80:])
        )

    def terminate(self) -> float:
        """SIGTERM to the watcher alone; how long it took to exit."""
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        return time.monotonic() - start

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def _versions(workflow: Workflow) -> int:
    return DeltaTable(str(workflow.results / "tables" / "documents")).version()


def _article(i: int) -> str:
    return (
        f"Council approves budget number {i}\n\n"
        f"LVIV, May {i % 28 + 1} (Reuters) - The city council of Lviv approved budget {i} on "
        f"Tuesday after a debate of {i % 9 + 2} hours, officials said. The plan funds {i} new "
        "school buses and repairs to the old tram depot near the river.\n\n"
        f'"We waited {i % 5 + 1} years for this," said Olena Marchenko, a teacher.\n'
    )


def _processes_in(folder: Path) -> list[str]:
    """Command lines of live processes working in ``folder`` (Snakemake and its jobs do)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "cwd")) == folder:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found


def test_watcher_runs_once_per_quiet_burst_reads_slow_files_whole_and_stops_on_sigterm(
    empty_seeds_dir, workflow
):
    watcher = Watcher(workflow)
    try:
        watcher.wait_until(watcher.idle, "the catch-up run")
        assert len(watcher.summaries()) == 1
        caught_up = _versions(workflow)

        # A scraper's burst: 200 files in nested folders within a second.
        start = time.monotonic()
        for i in range(200):
            path = empty_seeds_dir / f"2026-05-{i % 4 + 1:02d}" / f"article-{i:03d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(_article(i), encoding="utf-8")
            time.sleep(0.001)
        assert time.monotonic() - start < 1.0
        watcher.wait_until(
            lambda: len(watcher.summaries()) >= 2 and watcher.idle(), "a run after the burst"
        )
        assert _versions(workflow) - caught_up <= 2
        assert all(line.startswith("newscorpus run done:") for line in watcher.summaries())
        documents = workflow.table("documents")
        assert documents.height == 200
        assert documents.filter(documents["status"] == "ok").height == 200
        after_burst = _versions(workflow)
        runs_after_burst = len(watcher.summaries())
        started_after_burst = watcher.runs_started()

        # A file written slowly, in pieces closer together than --quiet: read once, whole.
        pieces = [f"Slow article, part {k}: the reporter was still typing.\n\n" for k in range(10)]
        slow = empty_seeds_dir / "late" / "slow.txt"
        slow.parent.mkdir()
        with open(slow, "w", encoding="utf-8") as handle:
            for piece in pieces:
                handle.write(piece)
                handle.flush()
                time.sleep(0.4)
        assert watcher.runs_started() == started_after_burst, "a run started mid-write"
        watcher.wait_until(
            lambda: len(watcher.summaries()) > runs_after_burst and watcher.idle(),
            "a run after the slow file",
        )
        time.sleep(2 * QUIET_S)  # reading the seeds changed nothing: no further run starts
        assert watcher.runs_started() == started_after_burst + 1
        assert len(watcher.summaries()) == runs_after_burst + 1
        assert _versions(workflow) == after_burst + 1
        documents = workflow.table("documents")
        row = documents.filter(documents["doc_id"] == "late/slow.txt")
        whole = "".join(pieces).encode()
        assert row["source_sha256"].to_list() == [hashlib.sha256(whole).hexdigest()]
        assert "added 1, changed 0" in watcher.summaries()[-1]

        assert watcher.terminate() < 10
        assert watcher.process.returncode == 0
        assert watcher.stdout[-1] == "newscorpus watch: stopped"
    finally:
        watcher.kill()
    # Not a terminal: Snakemake's own lines as from `newscorpus run`, no progress display.
    assert any("steps (100%) done" in line for line in watcher.stderr)
    assert not any(" docs/s" in line for line in watcher.stdout + watcher.stderr)


def test_watcher_stopped_mid_run_leaves_what_the_next_run_recovers(
    shared_workflow, reference_tables
):
    workflow = shared_workflow
    watcher = Watcher(workflow)
    try:
        # The catch-up run is well under way once the entity jobs have started.
        watcher.wait_until(
            lambda: any((workflow.results / "logs" / "annotate").glob("*.log")),
            "the catch-up run reaching annotate",
        )
        assert watcher.terminate() < 10
    finally:
        watcher.kill()
    assert watcher.process.returncode == 0
    assert "newscorpus watch: run stopped before its end; the next run finishes it" in (
        watcher.stdout
    )
    assert _processes_in(workflow.workdir) == [], "a job outlived the watcher"

    result = workflow.newscorpus_run(jobs=2, config=REFERENCE_CONFIG)

    recovered = [
        line.split("recovering from an interrupted run: ", 1)[1]
        for line in result.stdout.splitlines()
        if "recovering from an interrupted run: " in line
    ]
    assert all(what.startswith(DOCUMENTED_RECOVERY) for what in recovered), recovered
    assert result.stdout.splitlines()[-1].startswith("newscorpus run done: 5 documents")
    assert not list(workflow.results.rglob("*.newscorpus-tmp"))
    assert_tables_equal(workflow.tables(), reference_tables)
    # Not a terminal: no progress display, Snakemake's log on stderr as before.
    assert " docs/s" not in result.stdout + result.stderr
    assert "steps (100%) done" in result.stderr
