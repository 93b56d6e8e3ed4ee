"""Marker phrases from ``data/markers.yaml`` (plus the user's extras) and matching lines to them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newscorpus.cleaning.shapes import is_question
from newscorpus.util.text import fold
from newscorpus.util.yamlfile import safe_load

# Kinds and what a match does; see the header of markers.yaml.
KINDS = (
    "tail",
    "comments",
    "share",
    "newsletter",
    "ad",
    "cookie",
    "appeal",
    "signature",
    "caption",
    "credit",
    "figure",
)
# Kinds whose phrase may start a short line without a separator after it.
PROMPT_KINDS = frozenset({"share", "newsletter", "ad", "cookie", "appeal", "credit"})
MAX_PROMPT_LINE_WORDS = 20
# What the removed segment is called, where the matching kind is a finer distinction.
SEGMENT_KIND = {"credit": "caption", "figure": "caption"}

# Lines longer than this are prose, never a marker line (also bounds the work per line).
MAX_MARKER_LINE_WORDS = 40
_EDGE_PUNCTUATION = " \t:;,.!?*•·»«›‹>|/\\-–—_=~+#()[]{}\"'“”„‘’…↓→▶►▼"
_SEPARATORS = frozenset(":|-–—»›>/")
_LEADING_COUNT = re.compile(r"^\(?\d[\d.,]*\)?\s+")


def marker_key(text: str) -> str:
    """Folded (accents kept), edge punctuation and a leading count removed."""
    key = fold(text, keep_accents=True).strip(_EDGE_PUNCTUATION)
    key = _LEADING_COUNT.sub("", key)
    return key.strip(_EDGE_PUNCTUATION)


@dataclass(frozen=True, slots=True)
class Markers:
    phrases: dict[str, tuple[str, str]]  # marker key -> (kind, phrase as written)
    first_words: frozenset[str]  # first word of every key: most lines are rejected on it
    longest: int  # words in the longest phrase
    caption: re.Pattern[str]  # a photo credit label, also glued to the word before it


@dataclass(frozen=True, slots=True)
class Match:
    kind: str
    phrase: str
    whole_line: bool  # the line is the marker alone (not "marker: more text")


@lru_cache(maxsize=1)
def packaged_markers() -> dict[str, dict[str, list[str]]]:
    text = resources.files("newscorpus").joinpath("data/markers.yaml").read_text("utf-8")
    data = safe_load(text) or {}
    unknown = sorted(set(data) - set(KINDS))
    if unknown:
        raise ValueError(f"markers.yaml: unknown kind(s) {unknown}; expected one of {KINDS}")
    return data


def load_markers(extra: dict[str, list[str]] | None = None) -> Markers:
    """Packaged phrases of every language merged with ``extra`` ({kind: [phrases]})."""
    extra = extra or {}
    unknown = sorted(set(extra) - set(KINDS))
    if unknown:
        raise ValueError(
            f"clean.extra_markers: unknown kind(s) {unknown}; expected one of {', '.join(KINDS)}"
        )
    return _compile(tuple(sorted((kind, tuple(phrases)) for kind, phrases in extra.items())))


@lru_cache(maxsize=16)
def _compile(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Markers:
    by_kind: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for kind, languages in packaged_markers().items():
        for phrases in (languages or {}).values():
            by_kind[kind].extend(phrases or [])
    for kind, phrases in extra:
        by_kind[kind].extend(phrases)
    phrases_by_key: dict[str, tuple[str, str]] = {}
    for kind in KINDS:
        if kind == "caption":
            continue
        for phrase in by_kind[kind]:
            key = marker_key(str(phrase)) or fold(str(phrase), keep_accents=True)
            # The first kind listed wins for a phrase in two kinds (e.g. "Source").
            if key and key not in phrases_by_key:
                phrases_by_key[key] = (kind, str(phrase))
    longest = max((len(key.split()) for key in phrases_by_key), default=1)
    labels = sorted(
        {str(p).strip() for p in by_kind["caption"] if str(p).strip()}, key=len, reverse=True
    )
    variants = sorted(
        {v for label in labels for v in (label, label.upper())}, key=len, reverse=True
    )
    # Capitalised label then ":" (or "by"): "Photo: AFP", "regionPhoto: AFP", "FOTO: dpa".
    alternatives = "|".join(map(re.escape, variants))
    caption = (
        re.compile(
            r"(?=[A-ZÀ-Þ])(?:(?<![\w\d])(?:" + alternatives + r")\s?(?::|\bby\b|\bvon\b|\bde\b)"
            r"|(?<=[a-zà-ÿ])(?:" + alternatives + r")\s?:)"
        )
        if variants
        else re.compile(r"(?!x)x")
    )
    first_words = frozenset(key.split(" ")[0] for key in phrases_by_key)
    return Markers(phrases_by_key, first_words, longest, caption)


def match_line(text: str, markers: Markers) -> Match | None:
    """The marker a (normalised) line is, or starts with; None for ordinary lines."""
    words = text.split(" ")
    if len(words) > MAX_MARKER_LINE_WORDS:
        return None
    folded = fold(text, keep_accents=True).lstrip(_EDGE_PUNCTUATION)
    folded = _LEADING_COUNT.sub("", folded).split(" ")
    first = folded[0]
    if first not in markers.first_words and first.rstrip(_EDGE_PUNCTUATION) not in (
        markers.first_words
    ):
        return None
    parenthesised = text.startswith("(") and text.endswith(")")
    whole = marker_key(text)
    if whole in markers.phrases:
        kind, phrase = markers.phrases[whole]
        return Match(kind, phrase, True)
    for count in range(min(len(folded) - 1, markers.longest), 0, -1):
        candidate = " ".join(folded[:count])
        key = candidate.rstrip(_EDGE_PUNCTUATION)
        if key not in markers.phrases:
            key = candidate  # phrases that end in punctuation themselves ("Fig.", "©")
            if key not in markers.phrases:
                continue
        kind, phrase = markers.phrases[key]
        following = folded[count]
        if kind == "figure":
            if following[:1].isdigit():
                return Match(kind, phrase, False)
            continue
        followed_by_separator = candidate != key or following[:1] in _SEPARATORS
        long_phrase = count >= 3
        signature_like = kind == "signature" and (count >= 2 or parenthesised)
        # A prompt tells the reader what to do; a line that asks is the article's own ("Share
        # this information, please?" said in an interview).
        prompt_like = (
            kind in PROMPT_KINDS
            and (count >= 2 or kind == "credit")
            and len(words) <= MAX_PROMPT_LINE_WORDS
            and not is_question(text)
        )
        if followed_by_separator or long_phrase or signature_like or prompt_like:
            return Match(kind, phrase, False)
    return None
