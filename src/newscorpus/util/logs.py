"""Logging set-up for workflow jobs: everything a job says goes to the rule's ``log:`` file."""

from __future__ import annotations

import logging
import sys


def to_file(path: str | None) -> None:
    """Send logging and stderr of this process to ``path`` (the rule's log), or keep stderr."""
    handlers: list[logging.Handler]
    if path:
        stream = open(path, "w", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives as long as the job
        sys.stderr = stream
        handlers = [logging.StreamHandler(stream)]
    else:
        handlers = [logging.StreamHandler(sys.stderr)]
    logging.basicConfig(
        level=logging.INFO,
        handlers=handlers,
        force=True,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Libraries that log every page or document at INFO would drown the counts.
    for noisy in ("trafilatura", "htmldate", "charset_normalizer", "deltalake"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
