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


_UNNAMED_TAIL = re.compile(
    r"\s+(?:for|of|from|at|to|close\s+to|pour|de|du|des)\s+(?:the\s+|la\s+|le\s+)?"
    r"[A-Z][\w.&'-]*(?:\s+(?:of\s+|and\s+|for\s+|de\s+)?[A-Z][\w.&'-]*)*"
)


@dataclass(frozen=True, slots=True)
class Found:
    """A match of a :class:`_HeadPattern` (the part of ``re.Match`` the attribution uses)."""

    begin: int
    finish: int
    text: str

    def start(self, group: int = 0) -> int:
        return self.begin

    def end(self, group: int = 0) -> int:
        return self.finish

    def group(self, group: int = 0) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class _HeadPattern:
    """A noun phrase found from its head noun: the head first, then the words that must open
    the phrase just before it, then an optional tail after it. Matching ``opening + words +
    head`` from every position of a text was the slowest step of quotes."""

    head: re.Pattern  # the head nouns, one factored alternation
    before: re.Pattern  # anchored at the head's start ($)
    tail: re.Pattern | None

    @classmethod
    def of(cls, heads: list[str], before: re.Pattern, tail: re.Pattern | None) -> _HeadPattern:
        return cls(_whole(_words(heads)), before, tail)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else endpos
        last_end = pos
        for head in self.head.finditer(text, pos, endpos):
            head_start, head_end = head.span()
            opening = self.before.search(text, max(last_end, head_start - 80), head_start)
            if opening is None:
                continue
            end = head_end
            if self.tail is not None and (tail := self.tail.match(text, end, endpos)):
                end = tail.end()
            last_end = end
            yield Found(opening.start(), end, text[opening.start() : end])

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Found | None:
        return next(iter(self.finditer(text, pos, endpos)), None)


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
    role: _HeadPattern  # "the minister": refers to the last named speaker
    org_role: _HeadPattern
    unnamed: _HeadPattern  # "a spokesman for the ministry": a speaker without a name
    after_preposition: re.Pattern  # matches (search) when a text ends with a preposition


def _words(phrases: list[str] | tuple[str, ...]) -> str:
    wrong = [p for p in phrases if not isinstance(p, str)]
    if wrong:  # YAML reads a bare on/off/yes/no as a boolean: quote such words
        raise ValueError(f"quotes cues must be strings; got {wrong!r} (quote them in YAML)")
    return _trie({" ".join(p.split()).lower() for p in phrases if p.strip()})


def _trie(phrases: set[str]) -> str:
    """One regex alternation of ``phrases`` factored by common prefixes ("said|says" ->
    "sa(?:id|ys)"): the regex engine tries far fewer branches per position than with a flat
    list of hundreds of words. Longer phrases are tried first; a space matches any spaces."""
    tree: dict = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = []
        for char in sorted((c for c in node if c), reverse=True):
            piece = r"\s+" if char == " " else re.escape(char)
            branches.append(piece + pattern(node[char]))
        if "" in node:
            branches.append("")  # the phrase may end here (after the longer branches)
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return pattern(tree) if tree else ""


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
    # "a spokesman", "the ministry's spokesman", "an IAAF spokesman for the games": up to three
    # words between the opening word and the head, and a "for/of/from Name" tail.
    unnamed = _HeadPattern.of(
        cues["unnamed"],
        re.compile(
            rf"(?<![\w-])(?:(?i:{articles})\s+|[A-Z][\w.&-]*['\u2019]s\s+)"
            r"(?:[\w'\u2019&.-]+\s+){0,3}$"
        )
        if articles
        else _NEVER,
        _UNNAMED_TAIL,
    )

    def role(kind: str) -> _HeadPattern:
        nouns = _words(cues[kind])
        if not (nouns and definite):
            return _HeadPattern.of([], _NEVER, None)
        before = re.compile(rf"(?<![\w-])(?:{definite})\s*(?:[\w-]+\s+){{0,2}}$", re.IGNORECASE)
        return _HeadPattern.of(cues[kind], before, None)

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
