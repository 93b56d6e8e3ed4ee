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


_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")
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
    """A noun phrase found from its head noun: the head first (one fast alternation), then the
    words that must open the phrase just before it, then an optional tail after it. Matching
    ``opening + words + head`` from every position of a text was the slowest step of quotes."""

    last_words: frozenset[str]  # casefolded last word of every head
    longer: tuple[re.Pattern, ...]  # heads of several words, anchored at their end ($)
    before: re.Pattern  # anchored at the head's start ($)
    tail: re.Pattern | None

    @classmethod
    def of(cls, heads: list[str], before: re.Pattern, tail: re.Pattern | None) -> _HeadPattern:
        _words(heads)  # the same check of the entries as every other kind
        words = [head.split() for head in heads if head.strip()]
        longer = sorted({tuple(w) for w in words if len(w) > 1}, key=len, reverse=True)
        return cls(
            frozenset(w[-1].casefold() for w in words),
            tuple(
                re.compile(r"(?<![\w-])" + r"\s+".join(map(re.escape, w)) + "$", re.IGNORECASE)
                for w in longer
            ),
            before,
            tail,
        )

    def _heads(self, text: str, pos: int, endpos: int):
        for word in _WORD.finditer(text, pos, endpos):
            if word.group(0).casefold() not in self.last_words:
                continue
            start = word.start()
            for pattern in self.longer:
                if longer := pattern.search(text, max(pos, start - 60), word.end()):
                    start = longer.start()
                    break
            yield start, word.end()

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else endpos
        last_end = pos
        for head_start, head_end in self._heads(text, pos, endpos):
            if head_start < last_end:
                continue
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
