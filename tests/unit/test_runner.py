"""The run plumbing: progress lines read back, per-stage sums, log tailing, the watcher's filter."""

from __future__ import annotations

import logging
import os
import sys
import threading
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from newscorpus.runner import progress
from newscorpus.runner.progress import Display, LogReader, apply, parse_line, stage_of, stages
from newscorpus.runner.run import run_log_path, summary_line
from newscorpus.runner.watch import Changes, WatchSettings, relevant
from newscorpus.stages.common import progress as stage_progress
from newscorpus.util import logs


def _stamp(seconds: float) -> str:
    """A log record's time, ``seconds`` after 2026-05-01 12:00:00 local time."""
    base = datetime(2026, 5, 1, 12, 0, 0).timestamp() + seconds
    moment = datetime.fromtimestamp(base)
    return moment.strftime("%Y-%m-%d %H:%M:%S,") + f"{moment.microsecond // 1000:03d}"


def _line(seconds: float, message: str) -> str:
    return f"{_stamp(seconds)} INFO newscorpus: {message}"


BASE = datetime(2026, 5, 1, 12, 0, 0).timestamp()


def test_progress_lines_of_the_stages_are_read_back(tmp_path):
    """The contract between stages.common.progress and the display: what one logs, the other
    parses (through the job's logging set-up, util.logs.to_file)."""
    log_path = tmp_path / "job.log"
    saved_stderr, root = sys.stderr, logging.getLogger()
    saved_handlers = root.handlers[:]
    try:
        logs.to_file(str(log_path))
        for _ in stage_progress(range(3), 3, "clean shard 7", every_s=0.0):
            pass
        logging.getLogger("newscorpus").info("clean shard 7: documents_in=3, reused=0")
    finally:
        sys.stderr.close()
        sys.stderr = saved_stderr
        root.handlers[:] = saved_handlers
    seen = [parse_line(line) for line in log_path.read_text().splitlines()]
    parsed = [s for s in seen if s is not None]
    assert [(s.what, s.done, s.total) for s in parsed] == [
        ("clean shard 7", 0, 3),
        ("clean shard 7", 1, 3),
        ("clean shard 7", 2, 3),
        ("clean shard 7", 3, 3),
        ("clean shard 7", 3, None),
    ]
    assert parsed[1].rate is not None and parsed[-1].seconds is not None
    assert seen[-1] is None  # the counts line is not progress


def test_lines_that_are_not_progress_are_ignored():
    assert parse_line("7 of 12 steps (58%) done") is None
    assert parse_line(_line(0, "ingest shard 0: documents_in=5, reused=0, computed=5")) is None
    assert parse_line("Traceback: 3/4 documents") is None


@pytest.mark.parametrize(
    ("label", "stage"),
    [
        ("ingest shard 3", "ingest"),
        ("annotate shard 0 (en)", "annotate"),
        ("clean batch 12", "clean"),
        ("ingest batch 6e9b8bf62764b6b8", "ingest"),
        ("publish", "publish"),
        ("quotes", "quotes"),
    ],
)
def test_stage_is_the_label_before_its_unit_and_number(label, stage):
    assert stage_of(label) == stage


def test_stage_sums_its_jobs_and_rates_over_wall_time():
    jobs: dict = {}
    lines = [
        ("a.log", _line(0, "detect shard 0: 0/100 documents")),
        ("b.log", _line(0, "detect shard 1: 0/300 documents")),
        ("a.log", _line(10, "detect shard 0: 40/100 documents, 4.0 docs/s, 15 s left")),
        ("b.log", _line(10, "detect shard 1: 60/300 documents, 6.0 docs/s, 40 s left")),
        ("c.log", _line(10, "ingest shard 0: 5 documents in 2.0 s")),
    ]
    for source, line in lines:
        apply(jobs, source, parse_line(line))
    found = {s.stage: s for s in stages(jobs, now=BASE + 10)}
    detect = found["detect"]
    assert (detect.done, detect.total, detect.running) == (100, 400, 2)
    assert detect.rate == pytest.approx(10.0)  # 100 documents in 10 s of wall time
    assert detect.left_s == pytest.approx(30.0)
    ingest = found["ingest"]
    assert (ingest.done, ingest.total, ingest.running) == (5, 5, 0)
    assert ingest.rate == pytest.approx(2.5)  # started 2 s before its closing line
    assert [s.stage for s in stages(jobs, now=BASE + 10)] == ["detect", "ingest"]


def test_a_finished_job_keeps_the_rate_of_its_whole_run():
    jobs: dict = {}
    apply(jobs, "a.log", parse_line(_line(0, "clean shard 0: 0/50 documents")))
    apply(jobs, "a.log", parse_line(_line(5, "clean shard 0: 50 documents in 5.0 s")))
    (clean,) = stages(jobs, now=BASE + 100)  # long after: the rate does not decay
    assert (clean.done, clean.total, clean.running) == (50, 50, 0)
    assert clean.rate == pytest.approx(10.0)
    assert "finished" in progress.format_stage(clean, width=5)


def test_log_reader_returns_whole_lines_once_and_rereads_a_replaced_log(tmp_path):
    logs_dir = tmp_path / "logs"
    (logs_dir / "clean").mkdir(parents=True)
    old = logs_dir / "old.log"
    old.write_text("from an earlier run\n")
    os.utime(old, (1_000_000, 1_000_000))
    job = logs_dir / "clean" / "0.log"
    reader = LogReader(logs_dir, since=1_000_001)
    job.write_text("first\nsec")
    assert reader.new_lines() == [(str(job), "first")]
    with open(job, "a") as handle:
        handle.write("ond\n")
    assert reader.new_lines() == [(str(job), "second")]
    assert reader.new_lines() == []
    job.unlink()  # the job ran again: Snakemake removed its log, the job wrote a new one
    job.write_text("again\n")
    assert reader.new_lines() == [(str(job), "again")]


def test_display_counts_snakemake_jobs_and_failures(tmp_path):
    logs_dir = tmp_path / "logs"
    (logs_dir / "runs").mkdir(parents=True)
    snakemake_log = logs_dir / "runs" / "run.log"
    snakemake_log.write_text("3 of 12 steps (25%) done\nError in rule detect:\n")
    (logs_dir / "detect.log").write_text(_line(0, "detect shard 0: 0/9 documents") + "\n")

    class Out:
        text = ""

        def write(self, part):
            self.text += part

        def flush(self):
            pass

    out = Out()
    display = Display(logs_dir, snakemake_log, out, title="newscorpus run")
    display.update()
    head, *rest = display.lines()
    assert "Snakemake jobs 3/12 done" in head and "failed: detect" in head
    assert len(rest) == 1 and "0/9 documents" in rest[0] and "detect" in rest[0]
    display.draw()
    display.draw()  # the second frame moves back over the first
    assert out.text.count("\x1b[2F") == 1


def test_summary_line_counts_documents_and_new_versions():
    line = summary_line(
        {"a": "1", "b": "2", "c": "3"},
        {"a": "1", "b": "9", "d": "4"},
        {"documents": 1, "entities": 1},
        {"documents": 2, "entities": 1},
        3.14,
        True,
    )
    assert line == (
        "newscorpus run done: 3 documents (added 1, changed 1, removed 1, unchanged 1); "
        "new versions: documents v2; 3.1 s"
    )


def test_documents_made_again_under_other_settings_are_counted_as_changed(tmp_path):
    from deltalake import write_deltalake

    from newscorpus.cli import _documents_snapshot
    from newscorpus.tables import schemas

    def publish(config_hashes: list[str]) -> dict[str, str]:
        rows = pl.DataFrame(
            {
                "doc_id": ["a.txt", "b.txt"],
                "source_sha256": ["s1", "s2"],
                "config_hash": config_hashes,
                "pipeline_version": ["0.2.0", "0.2.0"],
            }
        )
        uri = str(tmp_path / "tables" / "documents")
        table = schemas.conform(rows, schemas.DOCUMENTS).to_arrow()
        write_deltalake(uri, table, mode="overwrite")
        return _documents_snapshot(tmp_path)

    before, after = publish(["h1", "h1"]), publish(["h1", "h2"])
    line = summary_line(before, after, {"documents": 0}, {"documents": 1}, 1.0, True)
    assert "(added 0, changed 1, removed 0, unchanged 1)" in line


def test_run_logs_keep_the_newest_only(tmp_path):
    folder = tmp_path / "logs" / "runs"
    folder.mkdir(parents=True)
    for i in range(30):
        (folder / f"20260501T0000{i:02d}.000000Z.log").write_text("")
    path = run_log_path(tmp_path)
    path.write_text("")
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 20 and names[-1] == path.name
    assert names[0] == "20260501T000011.000000Z.log"


def test_watch_filter_skips_hidden_names_and_the_results_folder(tmp_path):
    seeds = tmp_path / "seeds"
    keep = relevant(seeds, [seeds / "results"])
    assert keep(None, str(seeds / "2026" / "a.txt"))
    assert keep(None, str(seeds / "2026"))  # a folder removed or added
    assert not keep(None, str(seeds / ".a.txt.part"))
    assert not keep(None, str(seeds / ".git" / "index"))
    assert not keep(None, str(seeds / "results" / "tables" / "x.parquet"))


def test_changes_are_due_once_quiet_or_after_the_longest_wait():
    changes = Changes(Path("."), [], threading.Event())
    settings = WatchSettings(quiet_s=5.0, max_wait_s=60.0)
    assert not changes.due(settings)
    changes.note(3)
    assert not changes.due(settings)  # still changing
    changes.last -= 5.0
    changes.first -= 5.0
    assert changes.due(settings)  # quiet for 5 s
    changes.last += 5.0  # a change just now, after 65 s of changes that never stopped
    changes.first -= 60.0
    assert changes.due(settings)
    assert changes.take() == 3
    assert not changes.due(settings)
    changes.owe()
    assert changes.due(settings) and changes.take() == 0


def test_watcher_goes_on_after_failures_and_retries_when_another_run_held_the_lock(
    tmp_path, monkeypatch, capsys
):
    """The loop around the runs (Snakemake replaced by a script of outcomes): a run that
    raises and a run that fails do not end the watcher, a change starts the next run, and a run
    that found the lock taken is tried again without waiting for a change."""
    from newscorpus.runner import watch as watch_module
    from newscorpus.runner.run import RunOutcome, RunRequest

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    stop = threading.Event()
    calls: list[int] = []
    outcomes = [
        RuntimeError("the catch-up run crashed"),
        RunOutcome(code=1, ran=True),  # after a change: Snakemake failed
        RunOutcome(code=0, ran=False),  # after a change: another run held the lock
        RunOutcome(code=0, ran=True),  # the retry, with no change in between
    ]

    def scripted_run(*_args, **_kwargs):
        calls.append(len(calls))
        outcome = outcomes[len(calls) - 1]
        if len(calls) == len(outcomes):
            stop.set()
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def wait_for_calls(n: int) -> None:
        for _ in range(300):
            if len(calls) >= n:
                return
            stop.wait(0.05)
        raise AssertionError(f"{len(calls)} runs, expected {n}")

    monkeypatch.setattr(watch_module, "run_once", scripted_run)
    request = RunRequest(snakefile=tmp_path / "Snakefile", seeds=str(seeds), results=tmp_path / "r")
    settings = WatchSettings(quiet_s=0.2, retry_s=0.1)
    watcher = threading.Thread(
        target=watch_module.watch, args=(request, lambda: ({}, {}), settings, sys.stdout, stop)
    )
    watcher.start()
    try:
        wait_for_calls(1)
        (seeds / "a.txt").write_text("one")
        wait_for_calls(2)
        (seeds / "b.txt").write_text("two")
        wait_for_calls(4)
        watcher.join(timeout=10)
        assert not watcher.is_alive()
    finally:
        stop.set()
        watcher.join(timeout=10)
    out = capsys.readouterr()
    assert "the catch-up run crashed" in out.err
    assert "the run failed (Snakemake exit 1); watching on" in out.out
    assert "another run is working on" in out.out
    assert out.out.rstrip().endswith("newscorpus watch: stopped")
