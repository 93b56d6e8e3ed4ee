"""ISO dates for DATE entities, resolved against the publication date."""

from __future__ import annotations

import datetime as dt

VERSION = "0"


def resolve_date(text: str, published: dt.date | None) -> dt.date | None:
    return None
