"""Atomic file writes: a crash leaves the old file or the new one, never a torn one."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # polars is imported by the callers; the Snakefile's discovery does not need it
    import polars as pl


# Suffix of the temporary file a write goes to before it is renamed into place. A process killed
# mid-write leaves one behind; `newscorpus run` removes them (remove_stale_temporaries).
TMP_SUFFIX = ".newscorpus-tmp"

# mkstemp creates files readable by their owner only; results are shared like any file the user
# writes, so the final file gets the permissions the umask gives (read once, at import).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _atomic(path: str | Path, write: Callable[[str], None]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable: after a power cut the folder names the new file."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on folders; the rename still happened
        pass
    finally:
        os.close(fd)


def write_parquet(frame: pl.DataFrame, path: str | Path) -> None:
    # Statistics off and one compression: the same frame always gives the same bytes.
    _atomic(path, lambda tmp: frame.write_parquet(tmp, compression="zstd", statistics=False))


def write_json(value: Any, path: str | Path) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(value, handle, indent=2, sort_keys=True, ensure_ascii=False, default=str)
            handle.write("\n")

    _atomic(path, write)


def write_text(text: str, path: str | Path) -> None:
    def write(tmp: str) -> None:
        Path(tmp).write_text(text, encoding="utf-8")

    _atomic(path, write)


def remove_stale_temporaries(folder: str | Path) -> int:
    """Delete temporaries of writes that a killed process never finished; return how many.

    Only safe while no other process writes under ``folder`` (``newscorpus run`` holds the
    results lock when it calls this).
    """
    removed = 0
    for path in Path(folder).rglob(f".*{TMP_SUFFIX}"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
