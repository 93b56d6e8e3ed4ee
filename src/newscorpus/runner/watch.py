"""``newscorpus watch``: a run whenever the seeds folder has changed and then gone quiet.

One run on start catches up with what changed while nobody watched. Then a thread follows the
seeds folder (nested folders too) with ``watchfiles`` and notes when things change; the main
thread starts a run once nothing has changed for ``quiet_s`` seconds, so a scraper writing a
thousand files gives one run (two if the burst outlasts a run's start), and a file still being
written, which keeps changing, is not read half-way. Changes that arrive during a run give one
more run after it. Runs go through the results lock like ``newscorpus run``: a cron run and the
watcher never overlap, the watcher waits for the other run instead of stepping aside. A failed
run is reported and the watcher goes on. SIGTERM or Ctrl-C ends it within seconds: a run in
progress is stopped (see :func:`newscorpus.runner.run.run_once`) and finished by the next run,
as after a killed ``newscorpus run``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from newscorpus.runner.lock import LOCK_NAME
from newscorpus.runner.run import RunOutcome, RunRequest, Snapshot, run_once

LABEL = "newscorpus watch"


@dataclass(frozen=True)
class WatchSettings:
    quiet_s: float = 5.0  # no change for this long before a run starts
    max_wait_s: float = 300.0  # run anyway after this long of changes that never stop
    stop_grace_s: float = 5.0  # on stop, how long a run may take to end before it is killed
    retry_s: float = 5.0  # pause before trying again when another run holds the lock


def relevant(seeds: Path, ignored: list[Path]):
    """A watchfiles filter: changes that can alter what discovery lists (hidden names are
    skipped there, so editors' and scrapers' hidden temporaries never start a run), outside the
    ``ignored`` folders (results and Snakemake's state, should they lie under the seeds)."""
    root = os.path.abspath(seeds)
    skip = [os.path.abspath(p) for p in ignored]

    def keep(_change: object, path: str) -> bool:
        path = os.path.abspath(path)
        if any(path == s or path.startswith(s + os.sep) for s in skip):
            return False
        rel = os.path.relpath(path, root)
        return not any(
            part.startswith(".") and part not in (".", "..") for part in rel.split(os.sep)
        )

    return keep


class Changes:
    """Change events under the seeds folder, noted by a background thread."""

    def __init__(self, seeds: Path, ignored: list[Path], stop: threading.Event) -> None:
        self.seeds = seeds
        self.filter = relevant(seeds, ignored)
        self.stop = stop
        self._lock = threading.Lock()
        self.first: float | None = None  # monotonic time of the first change not yet run
        self.last: float | None = None
        self.count = 0
        self.owed = False  # a run is due whatever changed (the catch-up run, a retry)
        self.ready = threading.Event()  # set once the folder is being followed
        self._thread = threading.Thread(target=self._follow, name="watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _follow(self) -> None:
        import watchfiles

        while not self.stop.is_set():
            try:
                for changes in watchfiles.watch(
                    self.seeds,
                    watch_filter=self.filter,
                    debounce=200,
                    step=50,
                    stop_event=self.stop,
                    rust_timeout=200,
                    yield_on_timeout=True,  # an empty set: the watch is in place
                    raise_interrupt=False,
                ):
                    self.ready.set()
                    if changes:
                        self.note(len(changes))
            except Exception as exc:  # the folder vanished, a watch limit was hit, ...
                print(
                    f"{LABEL}: cannot follow {self.seeds} ({exc}); trying again in 5 s",
                    file=sys.stderr,
                    flush=True,
                )
                self.note(1)  # whatever happened meanwhile is looked at by a run
                self.ready.set()
                self.stop.wait(5.0)

    def note(self, count: int) -> None:
        now = time.monotonic()
        with self._lock:
            self.first = now if self.first is None else self.first
            self.last = now
            self.count += count

    def owe(self) -> None:
        with self._lock:
            self.owed = True

    def due(self, settings: WatchSettings) -> bool:
        """Whether a run should start now: one is owed, or changes are waiting and have gone
        quiet (or have kept coming for ``max_wait_s``)."""
        with self._lock:
            if self.owed:
                return True
            if self.first is None or self.last is None:
                return False
            now = time.monotonic()
            return now - self.last >= settings.quiet_s or now - self.first >= settings.max_wait_s

    def take(self) -> int:
        """Forget the changes noted so far (a run is about to read them); return how many."""
        with self._lock:
            count, self.count, self.first, self.last = self.count, 0, None, None
            self.owed = False
            return count


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, _frame: object) -> None:
        if stop.is_set():  # a second signal: no more patience
            raise KeyboardInterrupt
        print(
            f"{LABEL}: {signal.Signals(signum).name} received; stopping",
            file=sys.stderr,
            flush=True,
        )
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def watch(
    request: RunRequest,
    snapshot: Snapshot,
    settings: WatchSettings,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Run on start, then after every quiet burst of changes, until SIGTERM, SIGINT or ``stop``."""
    out = out or sys.stdout
    seeds = Path(request.seeds)
    if not seeds.is_dir():
        print(f"{LABEL}: seeds folder {seeds} is not a folder", file=sys.stderr)
        return 2
    if stop is None:
        stop = threading.Event()
        _stop_on_signals(stop)
    changes = Changes(seeds, [request.results, Path(".snakemake")], stop)
    changes.start()  # before the first run, so nothing that arrives during it is missed
    changes.ready.wait(timeout=10.0)
    changes.owe()  # the catch-up run
    with contextlib.suppress(KeyboardInterrupt):  # a second signal while stopping
        _loop(request, snapshot, settings, changes, stop, out)
    changes.join(timeout=2.0)
    print(f"{LABEL}: stopped", file=out, flush=True)
    return 0


def _loop(
    request: RunRequest,
    snapshot: Snapshot,
    settings: WatchSettings,
    changes: Changes,
    stop: threading.Event,
    out: TextIO,
) -> None:
    seeds = changes.seeds
    said_watching, caught_up = False, False
    while not stop.is_set():
        if not changes.due(settings):
            if not said_watching:
                print(
                    f"{LABEL}: watching {seeds} (a run {settings.quiet_s:g} s after changes stop)",
                    file=out,
                    flush=True,
                )
                said_watching = True
            stop.wait(0.1)
            continue
        count = changes.take()
        if not caught_up:
            print(f"{LABEL}: catching up with {seeds}", file=out, flush=True)
        elif count:
            print(f"{LABEL}: {count} change(s) under {seeds}; running", file=out, flush=True)
        outcome = _run(request, snapshot, settings, stop, out)
        said_watching = False
        if outcome is not None and not outcome.ran and not stop.is_set():
            changes.owe()  # another run held the lock: this one is still owed
            stop.wait(settings.retry_s)
        else:
            caught_up = True


def _run(
    request: RunRequest,
    snapshot: Snapshot,
    settings: WatchSettings,
    stop: threading.Event,
    out: TextIO,
) -> RunOutcome | None:
    try:
        outcome = run_once(
            request, snapshot, label=LABEL, stop=stop, stop_grace_s=settings.stop_grace_s, out=out
        )
    except Exception:
        traceback.print_exc()
        print(f"{LABEL}: the run failed with an error (above); watching on", file=out, flush=True)
        return None
    if not outcome.ran:
        if not stop.is_set():
            print(
                f"{LABEL}: another run is working on {request.results} "
                f"(lock {request.results / LOCK_NAME}); running after it",
                file=out,
                flush=True,
            )
    elif outcome.interrupted:
        print(
            f"{LABEL}: run stopped before its end; the next run finishes it", file=out, flush=True
        )
    elif outcome.code != 0:
        print(
            f"{LABEL}: the run failed (Snakemake exit {outcome.code}); watching on; the next "
            "change starts a new run",
            file=out,
            flush=True,
        )
    return outcome
