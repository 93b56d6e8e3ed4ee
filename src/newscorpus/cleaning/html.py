"""Main text and metadata of an HTML page, extracted by trafilatura (offline, never raises)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from .page import Hint, page_hints

LOG = logging.getLogger(__name__)


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None
    date: dt.date | None = None
    hints: dict[str, Hint] = field(default_factory=dict)  # see page.py


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract(raw: str, settings: dict) -> Extracted:
    """trafilatura's main text (comments out, tables in); empty text when nothing is found.

    ``raw`` is a string already decoded, so trafilatura never fetches or guesses an encoding.
    """
    if not raw.strip():
        return Extracted("")
    import trafilatura
    from lxml import etree
    from trafilatura.utils import load_html

    try:
        tree = load_html(raw)
        if tree is None:
            return Extracted("")
        # What a browser with scripts never shows: trafilatura keeps <noscript> and <template>
        # text ("Please enable JavaScript", widget markup) as if it were content.
        etree.strip_elements(tree, "noscript", "template", with_tail=False)
        hints = page_hints(tree)
        document = trafilatura.bare_extraction(
            tree,
            include_comments=False,
            include_tables=True,
            include_formatting=False,
            favor_precision=bool(settings.get("favor_precision", False)),
            favor_recall=bool(settings.get("favor_recall", False)),
            with_metadata=True,
        )
    except Exception as exc:  # broken markup of any sort: the caller marks the document
        LOG.warning("trafilatura failed: %s: %s", type(exc).__name__, exc)
        return Extracted("")
    if document is None:
        return Extracted("")
    return Extracted(
        text=document.text or "",
        title=document.title or None,
        author=document.author or None,
        sitename=document.sitename or None,
        url=document.url or None,
        date=_date(document.date),
        hints=hints,
    )
