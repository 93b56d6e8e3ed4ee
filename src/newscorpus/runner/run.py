"""One run of the workflow: the results lock, recovery, Snakemake, the summary line."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from newscorpus.runner import progress
from newscorpus.runner.lock import recover, results_lock

# Documents (doc_id -> source hash) and table versions (table -> version) of the results: the
# summary line compares them before and after a run.
Snapshot = Callable[[], tuple[dict[str, str], dict[str, int]]]

# Snakemake's output of runs shown with the progress display, newest kept.
RUN_LOGS = Path("logs") / "runs"
RUN_LOGS_KEPT = 20


@dataclass(frozen=True)
class RunRequest:
    """What ``newscorpus run`` and ``newscorpus watch`` hand to Snakemake."""

    snakefile: Path
    seeds: str
    results: Path
    jobs: int = 4
    config: tuple[str, ...] = ()
    snakemake_args: tuple[str, ...] = ()
    wait_s: float = 10.0
    display: bool = False  # the progress display (a terminal); else Snakemake's own output


@dataclass(frozen=True)
class RunOutcome:
    code: int  # Snakemake's exit status; 0 when the run stepped aside
    ran: bool  # False: another run held the lock for the whole wait
    interrupted: bool = False  # stopped on request before Snakemake finished
    summary: str = ""


def find_snakefile(explicit: str | None) -> Path:
    """The workflow to run: --snakefile, ./Snakefile, or the one this package was installed from."""
    candidates = (
        [Path(explicit)]
        if explicit
        else [Path("Snakefile"), Path(__file__).resolve().parents[3] / "Snakefile"]
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise SystemExit("newscorpus: no Snakefile found; pass --snakefile PATH")


def snakemake_command(request: RunRequest, extra: Sequence[str]) -> list[str]:
    config = [f"seeds_dir={request.seeds}", f"results_dir={request.results}", *request.config]
    return [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(request.snakefile),
        "--cores",
        str(request.jobs),
        "--rerun-incomplete",
        *extra,
        "--config",
        *config,
    ]


def summary_line(
    before: dict[str, str],
    after: dict[str, str],
    versions_before: dict[str, int],
    versions_after: dict[str, int],
    seconds: float,
    ok: bool,
) -> str:
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    changed = sum(1 for k in after.keys() & before.keys() if after[k] != before[k])
    unchanged = len(after.keys() & before.keys()) - changed
    new_versions = [
        f"{t} v{v}" for t, v in sorted(versions_after.items()) if versions_before.get(t) != v
    ]
    return (
        f"newscorpus run {'done' if ok else 'FAILED'}: {len(after)} documents "
        f"(added {added}, changed {changed}, removed {removed}, unchanged {unchanged}); "
        f"new versions: {', '.join(new_versions) or 'none'}; {seconds:.1f} s"
    )


def run_log_path(results: Path) -> Path:
    """A new file for this run's Snakemake output; the oldest beyond the newest few go."""
    folder = results / RUN_LOGS
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("*.log"))[: -(RUN_LOGS_KEPT - 1) or None]:
        old.unlink(missing_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return folder / f"{stamp}.log"


def run_once(
    request: RunRequest,
    snapshot: Snapshot,
    label: str = "newscorpus run",
    stop: threading.Event | None = None,
    stop_grace_s: float = 5.0,
    out: TextIO | None = None,
) -> RunOutcome:
    """Take the results lock, recover what a killed run left, run Snakemake, print the summary.

    With ``stop`` (the watcher), Snakemake runs in a process group of its own and setting
    ``stop`` ends it: SIGTERM to the group (jobs die, Snakemake exits after them), SIGKILL after
    ``stop_grace_s``. Either way the next run finds what a killed run leaves and recovers it.
    """
    out = out or sys.stdout
    start = time.monotonic()
    with results_lock(request.results, request.wait_s, cancel=stop) as lock_fd:
        if lock_fd is None:
            return RunOutcome(code=0, ran=False)
        before, versions_before = snapshot()
        unlock = snakemake_command(request, ["--unlock"])
        for what in recover(request.results, unlock, lock_fd, label):
            print(f"{label}: recovering from an interrupted run: {what}", file=out, flush=True)
        code, interrupted = _snakemake(request, lock_fd, stop, stop_grace_s, out, label)
        after, versions_after = snapshot()
    summary = summary_line(
        before, after, versions_before, versions_after, time.monotonic() - start, code == 0
    )
    print(summary, file=out, flush=True)
    return RunOutcome(code=code, ran=True, interrupted=interrupted, summary=summary)


def _snakemake(
    request: RunRequest,
    lock_fd: int,
    stop: threading.Event | None,
    stop_grace_s: float,
    out: TextIO,
    label: str,
) -> tuple[int, bool]:
    """Run Snakemake to its end or until ``stop``; return its exit status and whether stopped."""
    command = snakemake_command(request, request.snakemake_args)
    env = dict(os.environ)
    log_path = None
    shown = contextlib.nullcontext()
    if request.display:
        log_path = run_log_path(request.results)
        env[progress.PROGRESS_ENV] = str(progress.JOB_PROGRESS_EVERY_S)
        print(f"{label}: Snakemake's log goes to {log_path}", file=out, flush=True)
        shown = progress.Display(request.results / "logs", log_path, out, title=label)
    with contextlib.ExitStack() as stack:
        log_file = stack.enter_context(open(log_path, "w")) if log_path else None  # noqa: SIM115
        process = subprocess.Popen(
            command,
            pass_fds=(lock_fd,),
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT if log_file else None,
            start_new_session=stop is not None,
        )
        with shown:
            code, stopped = _wait(process, stop, stop_grace_s)
    if log_path and code != 0 and not stopped:
        print(f"{label}: Snakemake failed; the end of {log_path}:", file=out)
        print(_error_excerpt(log_path), file=out, flush=True)
    return code, stopped


def _error_excerpt(log_path: Path, lines: int = 40) -> str:
    """Snakemake's report of what failed: from its first error on, or the log's last lines."""
    text = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    first = next((i for i, line in enumerate(text) if line.startswith("Error in rule")), None)
    shown = text[first : first + lines] if first is not None else text[-lines:]
    return "\n".join(shown)


def _wait(
    process: subprocess.Popen, stop: threading.Event | None, grace_s: float
) -> tuple[int, bool]:
    try:
        while True:
            with contextlib.suppress(subprocess.TimeoutExpired):
                return process.wait(timeout=0.2), False
            if stop is not None and stop.is_set():
                return _end(process, grace_s), True
    except KeyboardInterrupt:
        if stop is not None:  # a second stop signal: no more patience
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            return process.wait(), True
        try:  # Ctrl-C reached Snakemake too (same process group): let it end its jobs
            return process.wait(timeout=grace_s), True
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait(), True


def _end(process: subprocess.Popen, grace_s: float) -> int:
    """End a Snakemake started in a process group of its own, jobs included: SIGTERM first
    (jobs die at once, Snakemake notes them failed and exits), SIGKILL after ``grace_s``."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        code = process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        code = None
    # Also when Snakemake is gone: no job of its group may write on once the lock is released.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    return process.wait() if code is None else code
