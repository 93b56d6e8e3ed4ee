"""One run at a time per results folder, and recovery from a run that was killed."""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

LOCK_NAME = ".newscorpus.lock"


@contextlib.contextmanager
def results_lock(
    results_dir: Path, wait_s: float, cancel: threading.Event | None = None
) -> Iterator[int | None]:
    """Hold an exclusive lock on the results folder; yield its file descriptor, or None if
    another run still holds it after ``wait_s`` seconds (or ``cancel`` was set meanwhile).

    A kernel lock (flock) is released when the last process holding it dies, kill -9 and power
    loss included, so a crashed run never leaves a lock that blocks the next one. The caller
    hands the descriptor to Snakemake (``pass_fds``): the lock then lasts as long as either
    process lives, so a run whose ``newscorpus`` process alone was killed is never joined by a
    second one while its Snakemake still works.
    """
    results_dir.mkdir(parents=True, exist_ok=True)
    with open(results_dir / LOCK_NAME, "a+") as handle:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline or (cancel is not None and cancel.is_set()):
                    yield None
                    return
                time.sleep(0.2)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield handle.fileno()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(
    results_dir: Path,
    snakemake_unlock: Sequence[str],
    lock_fd: int,
    label: str = "newscorpus run",
) -> list[str]:
    """Clear what a killed run left behind; return what was done. Call only with the lock held.

    * temporaries of atomic writes that never reached their rename (the files they would have
      replaced are intact, see :mod:`newscorpus.util.files`);
    * Snakemake's lock in ``.snakemake/locks``: with the results lock held, no Snakemake of ours
      is alive, so the lock is stale. Jobs it marked incomplete are redone by the run itself
      (``--rerun-incomplete``), and a publish cut between two table commits is finished by the
      next publish, which compares every table's recorded shard digests.
    """
    from newscorpus.util.files import remove_stale_temporaries

    done = []
    stale = remove_stale_temporaries(results_dir)
    if stale:
        done.append(f"removed {stale} unfinished temporary file(s)")
    locks = Path(".snakemake/locks")
    if locks.is_dir() and any(locks.iterdir()):
        result = subprocess.run(
            snakemake_unlock,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=(lock_fd,),
        )
        if result.returncode != 0:  # the run below reports the same problem in full
            print(
                f"{label}: could not clear a stale Snakemake lock:\n{result.stderr}",
                file=sys.stderr,
            )
        else:
            done.append("cleared a stale Snakemake lock")
    return done
