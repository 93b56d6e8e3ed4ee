"""Running a check in fresh processes with different hash seeds (a helper of the unit tests).

A plain module, not a conftest.py: the e2e tests import their conftest by name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import newscorpus

# The source folder of the package under test, so a child process imports the same code.
PACKAGE_ROOT = str(Path(newscorpus.__file__).resolve().parents[1])


def output_in_fresh_processes(code: str, hash_seeds: tuple[str, ...] = ("1", "2")) -> list[str]:
    """What ``code`` prints in one new Python process per ``PYTHONHASHSEED``.

    Python's ``hash()`` of a string differs between processes (it is salted per process), so
    repeating a computation in one process cannot show that it is deterministic; comparing the
    outputs of processes with different hash seeds can.
    """
    outputs = []
    for seed in hash_seeds:
        path = os.pathsep.join(p for p in (PACKAGE_ROOT, os.environ.get("PYTHONPATH")) if p)
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-4000:]
        outputs.append(done.stdout)
    return outputs
