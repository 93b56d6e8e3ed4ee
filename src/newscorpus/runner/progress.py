"""What a person running the workflow in a terminal sees: per stage, documents done, documents per
second and time left, read from the progress lines the stages write to their job logs.

The stages log ``WHAT: n/total documents, x docs/s, y s left`` while they work and ``WHAT: n
documents in x s`` at the end (:func:`newscorpus.stages.common.progress`). The display knows
nothing else about the workflow: a stage is ``WHAT`` up to its unit and number or hex id
(``ingest batch 6e9b8bf62764b6b8``, ``clean batch 12`` and ``annotate shard 0 (en)`` are stages
``ingest``, ``clean`` and ``annotate``), jobs are told apart by their log file, and Snakemake's
own log (which goes to a file meanwhile) gives the count of jobs done.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

# How often jobs log progress while the display runs (they read it in stages.common.progress).
PROGRESS_ENV = "NEWSCORPUS_PROGRESS_S"
JOB_PROGRESS_EVERY_S = 2.0
REDRAW_EVERY_S = 0.5

# A logging record as util.logs formats it: "2026-12-01 10:00:00,123 INFO newscorpus: message".
_RECORD = re.compile(
    r"^(?P<stamp>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO [\w.]+: (?P<message>.+?)\s*$"
)
_WORKING = re.compile(
    r"^(?P<what>.+?): (?P<done>\d+)/(?P<total>\d+) documents"
    r"(?:, (?P<rate>[\d.]+) docs/s, (?P<left>[\d.]+|inf) s left)?$"
)
_FINISHED = re.compile(r"^(?P<what>.+?): (?P<done>\d+) documents in (?P<seconds>[\d.]+) s$")
# A unit and its number or hex id: "shard 3", "batch 12", "batch 6e9b8bf62764b6b8".
_STAGE = re.compile(r"^(?P<stage>.+?)(?:\s+[A-Za-z_]+\s+(?=[0-9a-f]*\d)[0-9a-f]+\b.*)?$")
# Snakemake's own lines (its job log): jobs done, and failures.
_STEPS = re.compile(r"^(?P<done>\d+) of (?P<total>\d+) steps \(\d+%\) done")
_ERROR = re.compile(r"^Error in rule (?P<rule>\S+):")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def stage_of(what: str) -> str:
    """The stage a progress label names: what comes before its unit and number (``ingest
    shard 3``, ``annotate shard 0 (en)``, ``clean batch 12``); a label without them is kept."""
    found = _STAGE.match(what)
    return found["stage"] if found else what


@dataclass
class Job:
    """One job's progress through one stage, as its log says."""

    stage: str
    done: int
    total: int
    started: float  # epoch seconds
    updated: float
    finished: bool = False


@dataclass
class Observation:
    """A progress line, parsed."""

    what: str
    done: int
    total: int | None  # None on the closing line (it does not repeat the total)
    stamp: float
    seconds: float | None = None  # closing line: time the job spent on its documents
    rate: float | None = None


def parse_line(line: str, now: float | None = None) -> Observation | None:
    """The progress a job's log line reports, or None if it reports none."""
    record = _RECORD.match(line)
    if record is None:
        return None
    stamp = datetime.strptime(record["stamp"], "%Y-%m-%d %H:%M:%S,%f").timestamp()
    message = record["message"]
    if found := _FINISHED.match(message):
        return Observation(
            found["what"], int(found["done"]), None, stamp, seconds=float(found["seconds"])
        )
    if found := _WORKING.match(message):
        rate = float(found["rate"]) if found["rate"] else None
        return Observation(found["what"], int(found["done"]), int(found["total"]), stamp, rate=rate)
    return None


def apply(jobs: dict[tuple[str, str], Job], source: str, seen: Observation) -> None:
    """Fold one observation of log ``source`` into ``jobs`` (keyed by log and label)."""
    key = (source, seen.what)
    job = jobs.get(key)
    if seen.total is None:  # closing line
        started = seen.stamp - (seen.seconds or 0.0)
        if job is None:
            jobs[key] = Job(stage_of(seen.what), seen.done, seen.done, started, seen.stamp, True)
        else:
            job.done, job.total, job.updated, job.finished = seen.done, seen.done, seen.stamp, True
            job.started = min(job.started, started)
        return
    if job is None:
        started = seen.stamp - (seen.done / seen.rate if seen.rate else 0.0)
        jobs[key] = Job(stage_of(seen.what), seen.done, seen.total, started, seen.stamp)
    else:
        job.done, job.total, job.updated = seen.done, seen.total, seen.stamp


@dataclass
class StageProgress:
    stage: str
    done: int
    total: int
    rate: float  # documents per second, all the stage's jobs together
    left_s: float | None  # None: not known yet
    running: int


def stages(jobs: dict[tuple[str, str], Job], now: float) -> list[StageProgress]:
    """Per stage, in the order the stages started: documents done and total over the jobs seen,
    their joint rate (documents over the wall time since the first of them started) and the time
    the rest would take at that rate."""
    grouped: dict[str, list[Job]] = {}
    for job in sorted(jobs.values(), key=lambda j: j.started):
        grouped.setdefault(job.stage, []).append(job)
    found = []
    for stage, members in grouped.items():
        done = sum(j.done for j in members)
        total = sum(j.total for j in members)
        running = sum(1 for j in members if not j.finished)
        begin = min(j.started for j in members)
        end = now if running else max(j.updated for j in members)
        rate = done / max(end - begin, 1e-3)
        left = (total - done) / rate if rate > 0 else None
        found.append(StageProgress(stage, done, total, rate, left, running))
    return found


def format_stage(progress: StageProgress, width: int) -> str:
    if progress.running == 0:
        state = "finished"
    elif progress.left_s is None:
        state = "starting"
    else:
        state = f"{progress.left_s:.0f} s left"
    counts = f"{progress.done:,}/{progress.total:,}"
    return (
        f"  {progress.stage:<{width}}  {counts:>15} documents  {progress.rate:>8.1f} docs/s"
        f"  {state}"
    )


@dataclass
class _Tail:
    inode: int
    offset: int = 0
    partial: str = ""


@dataclass
class LogReader:
    """Reads what was added to the ``*.log`` files under ``folder`` since the last call, from
    files written since ``since`` (epoch seconds): logs of jobs of earlier runs are left out."""

    folder: Path
    since: float
    tails: dict[str, _Tail] = field(default_factory=dict)

    def new_lines(self) -> list[tuple[str, str]]:
        found = []
        for root, _dirs, files in os.walk(self.folder):
            for name in files:
                if not name.endswith(".log"):
                    continue
                path = os.path.join(root, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                if info.st_mtime < self.since:
                    continue
                tail = self.tails.get(path)
                if tail is None or tail.inode != info.st_ino or info.st_size < tail.offset:
                    tail = self.tails[path] = _Tail(info.st_ino)  # a rerun job's new log
                if info.st_size == tail.offset:
                    continue
                try:
                    with open(path, "rb") as handle:
                        handle.seek(tail.offset)
                        chunk = handle.read()
                except OSError:
                    continue
                tail.offset += len(chunk)
                text = tail.partial + chunk.decode("utf-8", "replace")
                *complete, tail.partial = text.split("\n")
                found.extend((path, line) for line in complete)
        return found


class Display:
    """Redraws a block of lines in the terminal twice a second while a run works."""

    def __init__(self, logs: Path, snakemake_log: Path, out: TextIO, title: str) -> None:
        self.reader = LogReader(Path(os.path.abspath(logs)), since=time.time() - 1.0)
        self.snakemake_log = os.path.abspath(snakemake_log)
        self.out = out
        self.title = title
        self.jobs: dict[tuple[str, str], Job] = {}
        self.steps: tuple[int, int] | None = None
        self.failed: list[str] = []
        self.start = time.monotonic()
        self._drawn = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="progress", daemon=True)

    def __enter__(self) -> Display:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.update()
        self.draw()

    def _loop(self) -> None:
        while not self._stop.wait(REDRAW_EVERY_S):
            self.update()
            self.draw()

    def update(self) -> None:
        for source, line in self.reader.new_lines():
            if source == self.snakemake_log:
                if found := _STEPS.match(line):
                    self.steps = (int(found["done"]), int(found["total"]))
                elif found := _ERROR.match(line):
                    self.failed.append(found["rule"])
                continue
            if (seen := parse_line(line)) is not None:
                apply(self.jobs, source, seen)

    def lines(self) -> list[str]:
        elapsed = time.monotonic() - self.start
        head = f"{self.title}: {elapsed:.0f} s"
        if self.steps:
            head += f", Snakemake jobs {self.steps[0]}/{self.steps[1]} done"
        if self.failed:
            head += f", failed: {', '.join(self.failed)}"
        found = stages(self.jobs, time.time())
        width = max((len(s.stage) for s in found), default=0)
        return [head, *(format_stage(s, width) for s in found)]

    def draw(self) -> None:
        columns = max(shutil.get_terminal_size((100, 24)).columns - 1, 20)
        # Lines are cut to the terminal's width: a wrapped line would break the cursor moves.
        lines = [line[:columns] for line in self.lines()]
        moves = f"\x1b[{self._drawn}F" if self._drawn else "\r"
        body = "".join(f"\x1b[2K{line}\n" for line in lines)
        self.out.write(moves + body + "\x1b[J")
        self.out.flush()
        self._drawn = len(lines)
