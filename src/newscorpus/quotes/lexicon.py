"""The reporting cues of ``data/quotes.yaml`` (plus the user's extras), compiled per language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newscorpus.util.yamlfile import safe_load

KINDS = (
    "verbs",
    "addressed",
    "before_speaker",
    "auxiliaries",
    "pronouns",
    "org_pronouns",
    "roles",
    "org_roles",
    "definite",
    "articles",
    "prepositions",
    "unnamed",
)
_NEVER = re.compile(r"(?!x)x")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled cues of one language (patterns are case-insensitive, whole words)."""

    language: str
    verb: re.Pattern  # a reporting verb, with the auxiliaries just before it
    addressed: re.Pattern  # "told": what follows is the audience
    auxiliary: re.Pattern
    before_speaker: re.Pattern  # "according to": the speaker follows
    pronoun: re.Pattern
    org_pronoun: re.Pattern
    role: re.Pattern  # "the minister": refers to the last named speaker
    org_role: re.Pattern
    unnamed: re.Pattern  # "a spokesman for the ministry": a speaker without a name
    after_preposition: re.Pattern  # matches (search) when a text ends with a preposition


def _words(phrases: list[str] | tuple[str, ...]) -> str:
    wrong = [p for p in phrases if not isinstance(p, str)]
    if wrong:  # YAML reads a bare on/off/yes/no as a boolean: quote such words
        raise ValueError(f"quotes cues must be strings; got {wrong!r} (quote them in YAML)")
    ordered = sorted({" ".join(p.split()) for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


def _whole(alternatives: str) -> re.Pattern:
    if not alternatives:
        return _NEVER
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def packaged_cues() -> dict[str, dict[str, list[str]]]:
    text = resources.files("newscorpus").joinpath("data/quotes.yaml").read_text("utf-8")
    data = safe_load(text) or {}
    for language, kinds in data.items():
        unknown = sorted(set(kinds or {}) - set(KINDS))
        if unknown:
            raise ValueError(f"quotes.yaml: {language}: unknown kind(s) {unknown}; known: {KINDS}")
    return data


def load_lexicon(language: str | None, extra: dict[str, dict[str, list[str]]] | None = None):
    """The cues of ``language`` merged with ``extra`` ({language: {kind: [phrases]}}).

    A language with no cues in the data or the extras gets an empty lexicon: its quotes are
    still found, but only whole-sentence quotes, and without speakers.
    """
    extra = extra or {}
    for where, kinds in extra.items():
        unknown = sorted(set(kinds or {}) - set(KINDS))
        if unknown:
            raise ValueError(
                f"quotes.extra_cues: {where}: unknown kind(s) {unknown}; known: {', '.join(KINDS)}"
            )
    frozen = tuple(
        sorted(
            (kind, tuple(phrases)) for kind, phrases in (extra.get(language or "") or {}).items()
        )
    )
    return _compile(language or "", frozen)


@lru_cache(maxsize=32)
def _compile(language: str, extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Lexicon:
    cues: dict[str, list[str]] = {
        kind: list((packaged_cues().get(language) or {}).get(kind) or []) for kind in KINDS
    }
    for kind, phrases in extra:
        cues[kind].extend(phrases)
    auxiliaries = _words(cues["auxiliaries"])
    verbs = _words(cues["verbs"])
    verb = (
        re.compile(
            rf"(?<![\w-])(?:(?:{auxiliaries})\s+)*(?:{verbs})(?![\w-])"
            if auxiliaries
            else rf"(?<![\w-])(?:{verbs})(?![\w-])",
            re.IGNORECASE,
        )
        if verbs
        else _NEVER
    )
    articles = _words(cues["articles"])
    definite = _words(cues["definite"])
    heads = _words(cues["unnamed"])
    # "a spokesman", "the ministry's spokesman", "an IAAF spokesman for the games": up to three
    # words between the opening word and the head, and a "for/of/from Name" tail.
    opening = rf"(?:(?i:{articles})\s+|[A-Z][\w.&-]*['\u2019]s\s+)" if articles else r"(?!x)x"
    unnamed = (
        re.compile(
            rf"(?<![\w-]){opening}(?:[\w'\u2019&.-]+\s+){{0,3}}?(?i:{heads})(?![\w-])"
            r"(?:\s+(?:for|of|from|at|to|close\s+to|pour|de|du|des)\s+(?:the\s+|la\s+|le\s+)?"
            r"[A-Z][\w.&'-]*(?:\s+(?:of\s+|and\s+|for\s+|de\s+)?[A-Z][\w.&'-]*)*)?"
        )
        if heads
        else _NEVER
    )

    def role(kind: str) -> re.Pattern:
        nouns = _words(cues[kind])
        if not (nouns and definite):
            return _NEVER
        return re.compile(
            rf"(?<![\w-])(?:{definite})\s*(?:[\w-]+\s+){{0,2}}?(?:{nouns})(?![\w-])",
            re.IGNORECASE,
        )

    return Lexicon(
        language=language,
        verb=verb,
        addressed=_whole(_words(cues["addressed"])),
        auxiliary=_whole(auxiliaries),
        before_speaker=_whole(_words(cues["before_speaker"])),
        pronoun=_whole(_words(cues["pronouns"])),
        org_pronoun=_whole(_words(cues["org_pronouns"])),
        role=role("roles"),
        org_role=role("org_roles"),
        unnamed=unnamed,
        after_preposition=(
            re.compile(rf"(?<![\w-])(?:{prepositions})\s*$", re.IGNORECASE)
            if (prepositions := _words(cues["prepositions"]))
            else _NEVER
        ),
    )
