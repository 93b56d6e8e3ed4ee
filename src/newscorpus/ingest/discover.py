"""Discovery: one pass over the seeds folder, every entry accounted for.

Regular files inside the root become entries of the listing the change set is computed from.
Entries that must not be read (symlinks leaving the root, broken links, FIFOs, sockets, devices,
names that are not UTF-8) still get a row: they are handed to the batch's job as
``(doc_id, status, detail)`` triples instead of input paths, so a FIFO is never opened and
nothing outside the root is read.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Seed:
    doc_id: str  # path relative to the seeds folder, with "/"
    path: str  # path to open (the seeds folder joined with doc_id)
    status: str | None = None  # None: a regular file to read; else why it is not read
    detail: str = ""
    size: int | None = None  # of a regular file, from the one stat discovery makes
    mtime_ns: int | None = None


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def inside(root: str, target: str) -> bool:
    """Whether the resolved path ``target`` is ``root`` or lies below it."""
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _printable_name(rel: str) -> str | None:
    """``rel`` unchanged if it is valid UTF-8; else None (Polars, Delta and JSON need UTF-8)."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return rel


def discover(seeds_dir: str | Path, allow_outside_root: bool = False) -> list[Seed]:
    """List every non-hidden entry under ``seeds_dir`` once, sorted by doc_id.

    Hidden files and folders (a leading ``.``) are skipped: editors, sync tools and scrapers keep
    their state there. Folders are walked, symlinked folders are not followed (a loop or a link to
    ``/`` would otherwise make discovery unbounded); a symlinked folder gets a row of its own.
    The result does not depend on the order the file system lists entries in.
    """
    given = os.fspath(seeds_dir)
    root = os.path.abspath(given)
    real_root = os.path.realpath(root)
    seeds: list[Seed] = []
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        abs_dir = os.path.join(root, rel_dir) if rel_dir else root
        try:
            entries = list(os.scandir(abs_dir))
        except OSError as exc:
            seeds.append(_special(rel_dir or ".", "error", f"cannot list folder: {exc.strerror}"))
            continue
        for entry in entries:
            if _is_hidden(entry.name):
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if _printable_name(rel) is None:
                # Shown with \x.. escapes; never opened, since the escaped name is not the file's.
                shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
                seeds.append(
                    _special(
                        shown,
                        "unsupported",
                        "file name is not valid UTF-8; rename the file",
                    )
                )
                continue
            found = _classify(entry, rel, root, real_root, allow_outside_root, stack)
            if found is None:
                continue
            # Paths are kept as the user gave the folder (usually relative), so Snakemake's
            # metadata and the cluster jobs see the same paths wherever the project is checked out.
            seeds.append(
                Seed(
                    found.doc_id,
                    os.path.join(given, found.doc_id),
                    found.status,
                    found.detail,
                    found.size,
                    found.mtime_ns,
                )
            )
    seeds.sort(key=lambda seed: seed.doc_id)
    return seeds


def _special(rel: str, status: str, detail: str) -> Seed:
    return Seed(rel, rel, status, detail)


def _classify(
    entry: os.DirEntry,
    rel: str,
    root: str,
    real_root: str,
    allow_outside_root: bool,
    stack: list[str],
) -> Seed | None:
    """The seed for one entry, or None for a folder (pushed on ``stack`` to be walked)."""
    path = os.path.join(root, rel)
    if entry.is_symlink():
        target = os.path.realpath(path)
        if not os.path.exists(target):
            return _special(rel, "error", "broken symlink")
        if not inside(real_root, target) and not allow_outside_root:
            return _special(rel, "outside_root", "symlink target outside seeds folder")
        if os.path.isdir(target):
            return _special(rel, "unsupported", "symlinked folder is not followed")
    try:
        st = os.stat(path)
        mode = st.st_mode
    except OSError as exc:
        return _special(rel, "error", f"cannot stat: {exc.strerror}")
    if stat.S_ISDIR(mode):
        stack.append(rel)
        return None
    if not stat.S_ISREG(mode):
        return _special(rel, "unsupported", "not a regular file")
    if not os.access(path, os.R_OK):
        return _special(rel, "error", "file is not readable")
    return Seed(rel, path, size=st.st_size, mtime_ns=st.st_mtime_ns)
