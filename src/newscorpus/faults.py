"""A test hook to stop a job at a named point, so a test can kill the run exactly there.

With ``NEWSCORPUS_HOLD_AT=<point>`` and ``NEWSCORPUS_HOLD_FILE=<path>`` in the environment, the
process that reaches ``hold(<point>)`` writes its pid to the file and stops itself (SIGSTOP).
The test waits for the file, then kills the whole run with SIGKILL, as a power cut would. Without
the variables (every real run) ``hold`` does nothing.
"""

from __future__ import annotations

import os
import signal


def hold(point: str) -> None:
    if os.environ.get("NEWSCORPUS_HOLD_AT") != point:
        return
    marker = os.environ.get("NEWSCORPUS_HOLD_FILE")
    if marker:
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
    os.kill(os.getpid(), signal.SIGSTOP)
