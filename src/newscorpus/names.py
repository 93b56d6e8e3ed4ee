"""Canonical entity names."""

from __future__ import annotations

VERSION = "0"


def canonical_names(entities: list[tuple[str, str]]) -> list[str]:
    """One canonical name per ``(text, label)`` of one document, in order."""
    out = []
    for text, _label in entities:
        name = text.strip()
        for suffix in ("'s", "’s"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        out.append(name.strip())
    return out
