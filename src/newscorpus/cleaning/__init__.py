"""Text cleaning: boilerplate, tails and repeats removed, every removal kept for audit.

Public interface (used by :mod:`newscorpus.stages.clean`):
``clean(raw, fmt, settings) -> CleanResult`` and ``VERSION``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

VERSION = "0"


@dataclass(slots=True)
class RemovedSegment:
    kind: str  # header, tail, comments, caption, signature, duplicate, ...
    rule: str  # what decided it (marker text, "structure", ...)
    start: int  # offsets into the text that cleaning started from
    end: int
    text: str


@dataclass(slots=True)
class CleanResult:
    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None
    meta_date: dt.date | None = None
    header_date: dt.date | None = None
    removed: list[RemovedSegment] = field(default_factory=list)


_HEADER = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})\s*")


def clean(raw: str, fmt: str, settings: dict) -> CleanResult:
    removed: list[RemovedSegment] = []
    header_date = None
    text = raw
    match = _HEADER.match(text)
    if match:
        header_date = dt.date(*map(int, match.groups()))
        removed.append(RemovedSegment("header", "date header", 0, match.end(), match.group(0)))
        text = text[match.end():]
    return CleanResult(text=text.strip(), header_date=header_date, removed=removed)
