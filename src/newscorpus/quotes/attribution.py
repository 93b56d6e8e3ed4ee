"""Who said a quote: a reporting cue next to it and the speaker the cue points at.

No parser runs: the clues are the quote marks, the entity mentions, sentence punctuation and the
lexicon of ``data/quotes.yaml``. For each quote, in order:

1. Its own cue. After the closing mark (``"...," X said``, ``"...," said X``, ``, according to
   X``) or before the opening one (``X said: "..."``, ``X told reporters that it was "..."``;
   before first when the quote follows a colon). The speaker is the best candidate between the
   cue's clause start and the verb (a person or an unnamed speaker before an organisation, a
   pronoun or role, before a place), else the first one after the verb.
2. A quote written over several pieces (``"A. "B," she said``) shares the cue of its pieces.
3. A whole-sentence quote with no cue of its own takes the cue of the sentence before it in its
   paragraph (``She added that ... . "The average..."``), of a previous paragraph ending in a
   colon, or the speaker of the quote just before it (same or previous paragraph).

A pronoun or "the minister" refers to the last named speaker, or to a person named after that
speaker's quote in the same paragraph; "it"/"the company" to the last organisation. A partial
quote built into a sentence (``said it was "the hottest spot"``) counts only with a cue in its
own sentence: without one it is a scare quote, a title or a term.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newscorpus.entities import names
from newscorpus.quotes.lexicon import Lexicon
from newscorpus.quotes.marks import Piece, find_pieces, paragraphs
from newscorpus.util.text import fold

MIN_WORDS = 2
# A paragraph this short with no sentence-final punctuation is a heading or a caption.
HEADING_MAX_WORDS = 20
# How far after the closing mark a cue may start ("," + speaker + verb).
AFTER_WINDOW = 80
AFTER_WINDOW_NEW_SENTENCE = 40
SPEAKER_AFTER_VERB = 60
# A name among this many first words of a sentence is taken for its subject (pronouns).
SUBJECT_MAX_WORDS = 12
# A partial quote this long is no title, term or scare quote: it counts without a cue.
PARTIAL_MIN_WORDS_ALONE = 6

_ENTITY_KIND = {"PERSON": "person", "ORG": "org", "NORP": "place", "GPE": "place"}
_RANK = {
    "person": 0,
    "unnamed": 0,
    "org": 1,
    "pronoun": 1,
    "org_pronoun": 1,
    "role": 1,
    "org_role": 1,
    "place": 2,
}
_ANAPHORIC = {"pronoun": "person", "role": "person", "org_pronoun": "org", "org_role": "org"}
_TERMINATOR = re.compile(r"[.!?\u2026](?=[\s\"'\u201d\u2019\u00bb)]|$)")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Prof|Gen|Lt|Col|Sgt|Rep|Sen|Gov|Jr|Sr|No|vs|Mt|Capt|Adm|Rev|"
    r"Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N)"
    r"|\b[A-Z])$"
)
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_QUOTE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\s]*$")
_POSSESSIVE_AFTER = re.compile(r"['\u2019]s\b|(?<=s)['\u2019](?!\w)")
_ARTICLE_AT_END = re.compile(r"(?<![\w-])(?:the|a|an|le|la|les|l['\u2019])\s*$", re.IGNORECASE)
_CLAUSE_OPENING = re.compile(
    r"(?:[,;]|\b(?:but|and|while|whereas|although|though|as|mais|et|alors que))"
    r"\s+(?:[\w'\u2019.-]+\s+){0,2}$",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"(?<![\w'\u2019-])[A-Z][^\W\d_]{2,}(?![\w'\u2019-])")
_NAME_BEFORE_VERB = re.compile(
    r"(?<![\w'\u2019-])([A-Z][^\W\d_]+(?:[-'\u2019][^\W\d_]+)?"
    r"(?:\s+[A-Z][^\W\d_]+(?:[-'\u2019][^\W\d_]+)?){0,3})\s*$"
)
_INVERTED_SPEAKER = re.compile(
    r"\s+((?:the|a|an|one)\s+(?:[\w'\u2019-]+\s+){0,4}?[\w'\u2019-]+)\s*(?=[.,;!?]|$)",
    re.IGNORECASE,
)
_NOT_NOUNS = frozenset(
    {
        "last",
        "this",
        "next",
        "year",
        "week",
        "month",
        "yesterday",
        "today",
        "tonight",
        "earlier",
        "later",
        "now",
        "then",
        "also",
        "still",
        "however",
        "too",
        "who",
        "which",
    }
)
_JOINING = frozenset({"and", "or", "with", "to", "of", "for", "from", "by", "in", "on", "at", "et"})


@dataclass(frozen=True, slots=True)
class Speaker:
    text: str
    canonical: str | None
    entity_idx: int | None
    kind: str  # person, org, place, unnamed, or the anaphoric kind when unresolved


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    kind: str
    speaker: Speaker | None  # None for pronouns and roles: resolved when used


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_canonical: str | None
    speaker_entity_idx: int | None
    cue: str | None
    sentence_idx: int | None


@dataclass(frozen=True, slots=True)
class _Match:
    candidate: Candidate
    cue: str
    cue_start: int


def _person_labels(entities: Sequence[Mapping]) -> list[Mapping]:
    """Mentions of a name the document tags PERSON elsewhere are people too ("McIlroy" GPE)."""
    people = {str(e["text"]): e for e in entities if e["label"] == "PERSON"}
    out: list[Mapping] = []
    for entity in entities:
        person = people.get(str(entity["text"]))
        if entity["label"] in ("GPE", "ORG", "NORP") and person is not None:
            entity = {**entity, "label": "PERSON", "canonical": person["canonical"]}
        out.append(entity)
    return out


def _with_title(text: str, start: int) -> int:
    """Start of a mention widened over the titles just before it ("Ms Hewitt")."""
    titles = names.name_data().titles
    while True:
        match = re.search(r"([A-Z][\w.]*)\s+$", text[max(0, start - 30) : start])
        if not match or fold(match.group(1)).rstrip(".") not in titles:
            return start
        start -= len(match.group(0))


class _Document:
    """Paragraphs, entity mentions and speaker candidates of one text.

    Lexicon patterns (roles, unnamed speakers, pronouns) are only matched in ``spans``, the
    paragraphs that hold a quote and the ones before them: the rest cannot give a cue.
    """

    def __init__(
        self,
        text: str,
        entities: Sequence[Mapping],
        lexicon: Lexicon,
        spans: Sequence[tuple[int, int]] | None = None,
    ):
        self.text = text
        self.spans = list(spans) if spans is not None else [(0, len(text))]
        self.lexicon = lexicon
        self.paragraphs = paragraphs(text)
        self.paragraph_starts = [start for start, _ in self.paragraphs]
        # A mention that is only a title ("Bishop", "the President") is a role, not a name.
        entities = [
            e
            for e in _person_labels(entities)
            if not (e["label"] in ("PERSON", "ORG") and lexicon.role.head.fullmatch(str(e["text"])))
        ]
        self.persons = sorted((e["start"], e) for e in entities if e["label"] == "PERSON")
        self.orgs = sorted((e["start"], e) for e in entities if e["label"] == "ORG")
        self.acronyms = names.spelled_out_acronyms(entities, text)
        self.candidates = self._candidates(entities)
        self.candidate_starts = [c.start for c in self.candidates]

    def paragraph_of(self, pos: int) -> int:
        return max(bisect.bisect_right(self.paragraph_starts, pos) - 1, 0)

    def entity_speaker(self, entity: Mapping, kind: str) -> Speaker:
        start = entity["start"]
        if kind == "person":
            start = _with_title(self.text, start)
        elif self.text[max(0, start - 4) : start].lower() == "the ":
            start -= 4  # "the Ministry of Defense", as written
        canonical = entity["canonical"] or entity["text"]
        if kind == "org" and names.ACRONYM.fullmatch(str(entity["text"]).strip()):
            canonical = self.acronyms.get(str(entity["text"]).strip(), canonical)
        return Speaker(self.text[start : entity["end"]], canonical, int(entity["entity_idx"]), kind)

    def _candidates(self, entities: Sequence[Mapping]) -> list[Candidate]:
        text, lexicon = self.text, self.lexicon
        found: list[Candidate] = []
        for entity in entities:
            kind = _ENTITY_KIND.get(entity["label"])
            if kind is None:
                continue
            if _POSSESSIVE_AFTER.match(text, entity["end"]) or re.search(
                r"['\u2019]s$", entity["text"]
            ):
                continue  # "Ukraine's minister": the possessor is not the speaker
            found.append(
                Candidate(entity["start"], entity["end"], kind, self.entity_speaker(entity, kind))
            )
        found.extend(self._untagged_people(entities))
        roles = [
            Candidate(m.start(), m.end(), kind, None)
            for kind, pattern in (("role", lexicon.role), ("org_role", lexicon.org_role))
            for m in self._matches(pattern)
        ]
        role_spans = [(c.start, c.end) for c in roles]
        for m in self._matches(lexicon.unnamed):
            if not any(s <= m.start() < e for s, e in role_spans):
                found.append(
                    Candidate(
                        m.start(), m.end(), "unnamed", Speaker(m.group(0), None, None, "unnamed")
                    )
                )
        found.extend(roles)
        for kind, pattern in (("pronoun", lexicon.pronoun), ("org_pronoun", lexicon.org_pronoun)):
            found.extend(Candidate(m.start(), m.end(), kind, None) for m in self._matches(pattern))
        # Of overlapping mentions the one reaching further wins, a name on a tie: "an IAAF
        # spokesman" over "IAAF" in it, "Ukrainian Ministry of Defense" over "the Ukrainian
        # Ministry" (a role).
        found.sort(key=lambda c: (c.start, -c.end))
        kept: list[Candidate] = []
        for candidate in found:
            if kept and candidate.start < kept[-1].end:
                named = candidate.kind in ("person", "org", "place")
                same = (candidate.start, candidate.end) == (kept[-1].start, kept[-1].end)
                if candidate.end > kept[-1].end or (same and named):
                    kept[-1] = candidate
                continue
            kept.append(candidate)
        return kept

    def _matches(self, pattern: re.Pattern) -> list[re.Match]:
        return [m for start, end in self.spans for m in pattern.finditer(self.text, start, end)]

    def _untagged_people(self, entities: Sequence[Mapping]) -> list[Candidate]:
        """Words the model did not tag that spell the surname of a person it did ("Zelenskyy"
        after "Volodymyr Zelenskyi"): mentions of that person, though not entity rows."""
        by_surname: dict[str, Mapping] = {}
        for entity in entities:
            if entity["label"] == "PERSON":
                surname = str(entity["canonical"] or entity["text"]).split()[-1:]
                if surname and len(surname[0]) > 2:
                    by_surname.setdefault(names.name_key(surname[0]), entity)
        if not by_surname:
            return []
        tagged = sorted((e["start"], e["end"]) for e in entities)
        starts = [start for start, _ in tagged]
        # name_key is slow: only words with the first letter of a surname and about its length.
        shapes = {(key[:1], len(key)) for key in by_surname}
        found = []
        for match in self._matches(_CAPITALISED):
            word = match.group(0)
            first = word[:1].lower() if word.isascii() else None
            if first is not None and not any(
                (first, length) in shapes for length in range(len(word) - 3, len(word) + 1)
            ):
                continue
            person = by_surname.get(names.name_key(word))
            if person is None:
                continue
            index = bisect.bisect_right(starts, match.start()) - 1
            if index >= 0 and tagged[index][1] > match.start():
                continue
            speaker = Speaker(match.group(0), person["canonical"] or person["text"], None, "person")
            found.append(Candidate(match.start(), match.end(), "person", speaker))
        return found

    def candidates_in(self, start: int, end: int, regions: _Regions) -> list[Candidate]:
        first = bisect.bisect_left(self.candidate_starts, start)
        out = []
        for candidate in self.candidates[first:]:
            if candidate.start >= end:
                break
            if candidate.end <= end and not regions.covers(candidate.start):
                out.append(candidate)
        return out


class _Regions:
    """The quoted regions of a text (marks included): words inside them are not cues."""

    def __init__(self, spans: list[tuple[int, int, bool]]):
        self.spans = sorted(spans)  # (start, end, ends a sentence)
        self.starts = [s for s, _, _ in self.spans]

    def covers(self, pos: int) -> bool:
        index = bisect.bisect_right(self.starts, pos) - 1
        return index >= 0 and self.spans[index][0] <= pos < self.spans[index][1]

    def previous(self, pos: int) -> tuple[int, int, bool] | None:
        index = bisect.bisect_right(self.starts, pos - 1) - 1
        while index >= 0 and self.spans[index][1] > pos:
            index -= 1
        return self.spans[index] if index >= 0 else None

    def next(self, pos: int) -> tuple[int, int, bool] | None:
        index = bisect.bisect_left(self.starts, pos)
        return self.spans[index] if index < len(self.spans) else None


def _region_end(piece: Piece) -> int:
    return piece.close_mark + 1 if piece.close_mark is not None else piece.end


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_heading(text: str, paragraph: tuple[int, int]) -> bool:
    body = text[paragraph[0] : paragraph[1]].strip().rstrip("\"'\u201d\u2019\u00bb)").rstrip()
    return not body.endswith((".", "!", "?", ":", "\u2026", ",", ";")) and (
        _words(body) <= HEADING_MAX_WORDS
    )


def _is_partial(text: str, piece: Piece, paragraph_start: int) -> bool:
    """A quote built into a sentence: lower-case start, or a word just before the mark."""
    first = _WORD.search(text, piece.start, piece.end)
    if first and first.group(0)[0].islower():
        return True
    before = text[paragraph_start : piece.open_mark].rstrip(" \t\u00a0")
    return bool(before) and (before[-1].isalnum() or before[-1] in "%)")


class _Attributor:
    def __init__(
        self,
        text: str,
        entities: Sequence[Mapping],
        lexicon: Lexicon,
        spans: Sequence[tuple[int, int]] | None = None,
    ):
        self.doc = _Document(text, entities, lexicon, spans)
        self.text = text
        self.lexicon = lexicon
        self.last: dict[str, tuple[Speaker, int]] = {}  # kind -> (speaker, quote offset)
        self.terminators: list[int] = []

    def set_regions(self, regions: _Regions) -> None:
        self.regions = regions
        self.terminators = [
            m.start()
            for m in _TERMINATOR.finditer(self.text)
            if not regions.covers(m.start())
            and not (
                m.group(0) == "."
                and _ABBREVIATION.search(self.text[max(0, m.start() - 6) : m.start()])
            )
        ]

    # --- sentence bounds outside the quotes ---------------------------------------------------

    def sentence_start(self, pos: int, floor: int) -> int:
        index = bisect.bisect_left(self.terminators, pos) - 1
        start = self.terminators[index] + 1 if index >= 0 else 0
        previous = self.regions.previous(pos)
        while previous is not None and previous[1] > max(start, floor):
            if previous[2]:  # a quote ending in "." ends its sentence too
                start = previous[1]
                break
            previous = self.regions.previous(previous[0])
        return max(start, floor)

    def sentence_end(self, pos: int, ceiling: int) -> int:
        index = bisect.bisect_left(self.terminators, pos)
        end = self.terminators[index] + 1 if index < len(self.terminators) else len(self.text)
        return min(end, ceiling)

    # --- cues -----------------------------------------------------------------------------------

    def _verbs(self, start: int, end: int) -> list[re.Match]:
        return [
            m
            for m in self.lexicon.verb.finditer(self.text, start, end)
            if not self.regions.covers(m.start())
        ]

    def _after_preposition(self, candidate: Candidate) -> bool:
        """ "in Bakhmut", "in the Northern Echo": a name after a preposition (and an article)."""
        before = self.text[max(0, candidate.start - 25) : candidate.start]
        before = _ARTICLE_AT_END.sub("", before)
        return bool(self.lexicon.after_preposition.search(before))

    def _best(self, candidates: list[Candidate]) -> Candidate | None:
        """The speaker among the candidates of a subject: "in Bakhmut" is no subject."""
        subjects = [c for c in candidates if not self._after_preposition(c)] or candidates
        if not subjects:
            return None
        best = min(subjects, key=lambda c: _RANK[c.kind])
        return self._apposition(best, candidates)

    def _apposition(self, chosen: Candidate, candidates: list[Candidate]) -> Candidate:
        """The name a description stands next to: "Ukraine's deputy minister, Hanna Maliar",
        "NUJ official Barry Fitzpatrick", "Iris director Sir Richard Eyre"."""
        following = next((c for c in candidates if c.start >= chosen.end), None)
        if following is None or following.kind != "person":
            return chosen
        gap = self.text[chosen.end : following.start]
        if chosen.kind in ("unnamed", "role") and re.fullmatch(r"[\s,]*", gap):
            return following
        words = gap.split()
        if (
            chosen.kind not in ("pronoun", "org_pronoun")
            and len(words) <= 2
            and "," not in gap
            and all(
                (w[:1].islower() and w not in _JOINING)
                or fold(w).rstrip(".") in names.name_data().titles
                for w in words
            )
        ):
            return following
        return chosen

    def _after_phrase(self, phrase_end: int, end: int) -> Candidate | None:
        """The speaker after "according to": the first candidate (it follows a preposition)."""
        after = self.doc.candidates_in(
            phrase_end, min(end, phrase_end + SPEAKER_AFTER_VERB), self.regions
        )
        return self._apposition(after[0], after) if after else None

    def _after_verb(self, verb_end: int, end: int, inverted: bool = False) -> Candidate | None:
        limit = min(end, verb_end + SPEAKER_AFTER_VERB)
        after = self.doc.candidates_in(verb_end, limit, self.regions)
        if not after and inverted:
            # '"...," said the slightly injured Pole.': the words up to the punctuation.
            found = _INVERTED_SPEAKER.match(self.text, verb_end, limit)
            if found is None:
                return None
            text = found.group(1)
            return Candidate(
                found.start(1), found.end(1), "unnamed", Speaker(text, None, None, "unnamed")
            )
        if not after:
            return None
        # The speaker opens the words after the verb: "said Moscow-based lawyer Jamie Firestone".
        clause = re.search(r",\s+(?:who|which|whose|as|but|and)\b|[;:]", self.text[verb_end:limit])
        if clause:
            after = [c for c in after if c.start < verb_end + clause.start()] or after[:1]
        chosen = self._best(after)
        if chosen is not None and chosen.kind in ("role", "unnamed"):
            return self._named_later(chosen, end) or chosen
        return chosen

    def _named_later(self, chosen: Candidate, end: int) -> Candidate | None:
        """'said the chairman of the Commons education select committee, Labour MP Barry
        Sheerman.': a description after the verb named at the end of its sentence."""
        sentence_end = self.sentence_end(chosen.end, end)
        later = [
            c
            for c in self.doc.candidates_in(chosen.end, sentence_end, self.regions)
            if c.kind == "person"
        ]
        if not later:
            return None
        named = later[-1]
        if self.text[named.end : sentence_end].strip(" \t.!?") or self._verbs(
            chosen.end, named.start
        ):
            return None
        return named

    def _head_of_subject(
        self, chosen: Candidate, candidates: list[Candidate], verb_start: int
    ) -> Candidate:
        """'Lib Dem home affairs spokesman Mark Oaten said': the name right before the verb
        heads the words before it, which only describe him."""
        last = candidates[-1]
        if last is chosen or last.kind != "person" or last.start < chosen.end:
            return chosen
        if self.text[last.end : verb_start].strip():
            return chosen
        between = self.text[chosen.end : last.start]
        if re.search(r"[,;:.!?()\u2014\u2013\"\u201c\u201d]", between):
            return chosen
        words = between.split()
        if len(words) > 4 or any(w.lower() in _JOINING for w in words):
            return chosen
        return last

    def match_after(self, start: int, end: int, new_sentence: bool) -> _Match | None:
        """A cue right after a closing mark: ``, X said`` / ``, said X`` / ``, according to X``."""
        window = min(end, start + (AFTER_WINDOW_NEW_SENTENCE if new_sentence else AFTER_WINDOW))
        verb = next(iter(self._verbs(start, window)), None)
        phrase = self.lexicon.before_speaker.search(self.text, start, window)
        if phrase and (verb is None or phrase.start() < verb.start()):
            after = self._after_phrase(phrase.end(), end)
            return _Match(after, phrase.group(0), phrase.start()) if after else None
        if verb is None:
            return None
        subject = self._subject(start, verb)
        opens = re.fullmatch(r"[\s,\u2014\u2013-]*", self.text[start : verb.start()])
        # A new sentence after the quote gives its speaker only when it opens with the verb.
        if subject is None and (opens or not new_sentence) and not self._addressed(verb):
            subject = self._after_verb(verb.end(), end, inverted=bool(opens))
        return _Match(subject, " ".join(verb.group(0).split()), verb.start()) if subject else None

    def match_before(self, start: int, end: int) -> _Match | None:
        """A cue before an opening mark: ``X said: "`` / ``X said that it was "``."""
        verbs = self._verbs(start, end)
        phrases = [
            m
            for m in self.lexicon.before_speaker.finditer(self.text, start, end)
            if not self.regions.covers(m.start())
        ]
        verb = verbs[-1] if verbs else None
        if phrases and (verb is None or phrases[-1].start() > verb.start()):
            phrase = phrases[-1]
            after = self._after_phrase(phrase.end(), end)
            if after:
                return _Match(after, phrase.group(0), phrase.start())
        if verb is None:
            return None
        subject = self._inverted(verb, end) or self._subject(start, verb)
        if subject is None and not self._addressed(verb):
            subject = self._after_verb(verb.end(), end)
        return _Match(subject, " ".join(verb.group(0).split()), verb.start()) if subject else None

    def _inverted(self, verb: re.Match, end: int) -> Candidate | None:
        """ ", said Ms Deans." closing a clause: the name right after the verb is the speaker."""
        if self._addressed(verb):
            return None
        after = self.doc.candidates_in(verb.end(), end, self.regions)
        if not after or after[0].kind not in ("person", "unnamed", "org"):
            return None
        first = after[0]
        if self.text[verb.end() : first.start].strip() or not re.match(
            r"\s*(?:[.,;:!?]|$)", self.text[first.end : end]
        ):
            return None
        return first

    def _addressed(self, verb: re.Match) -> bool:
        found = self.lexicon.addressed.search(verb.group(0))
        return bool(found) and found.end() == len(verb.group(0))

    def _subject(self, start: int, verb: re.Match) -> Candidate | None:
        """The speaker before a verb: the best candidate, unless it only modifies the noun
        before the verb ("the former KGB operative said"), or a name the model missed."""
        candidates = self.doc.candidates_in(start, verb.start(), self.regions)
        subject = self._best(candidates)
        if subject is not None:
            subject = self._head_of_subject(subject, candidates, verb.start())
            return self._description(subject, verb.start())
        return self._untagged_subject(start, verb.start())

    def _description(self, subject: Candidate, verb_start: int) -> Candidate:
        gap = self.text[subject.end : verb_start].split()
        if not gap or len(gap) > 3 or subject.kind not in ("org", "place"):
            return subject
        for word in gap:
            if not word.isalpha() or not word.islower() or word.endswith("ly"):
                return subject
            if word in _NOT_NOUNS or self.lexicon.auxiliary.fullmatch(word):
                return subject
        opening = re.search(
            r"(?:(?<=\s)|^)((?:the|a|an)\s+(?:[\w'-]+\s+){0,2})$",
            self.text[max(0, subject.start - 40) : subject.start],
            re.IGNORECASE,
        )
        start = subject.start - len(opening.group(1)) if opening else subject.start
        end = subject.end + len(self.text[subject.end : verb_start].rstrip())
        text = self.text[start:end]
        if opening and opening.group(1).lower().startswith("the"):
            return Candidate(start, end, "role", None)  # refers to the last named speaker
        return Candidate(start, end, "unnamed", Speaker(text, None, None, "unnamed"))

    def _untagged_subject(self, start: int, verb_start: int) -> Candidate | None:
        """Capitalised words just before the verb that the model did not tag ("Prigozhin")."""
        found = _NAME_BEFORE_VERB.search(self.text, start, verb_start)
        if found is None or self.regions.covers(found.start()):
            return None
        words = found.group(1).split()
        lexicon = self.lexicon
        if any(
            p.fullmatch(words[0])
            for p in (lexicon.pronoun, lexicon.org_pronoun, lexicon.auxiliary, lexicon.verb)
        ) or lexicon.unnamed.search(found.group(1)):
            return None
        name = found.group(1)
        canonical = names.canonical_names([(name, "PERSON")])[0]
        speaker = Speaker(name, canonical, None, "person")
        return Candidate(found.start(1), found.end(1), "person", speaker)

    # --- speakers ---------------------------------------------------------------------------

    def resolve(self, candidate: Candidate, at: int) -> Speaker:
        """The speaker of a candidate; a pronoun or role takes the most recent of the last
        named speaker and the last person (organisation) that opened a sentence."""
        if candidate.speaker is not None:
            return candidate.speaker
        kind = _ANAPHORIC[candidate.kind]
        last = self.last.get(kind)
        subject = self._mention_before(candidate.start, kind, subjects_only=True)
        if subject is not None and (last is None or subject[0] > last[1]):
            return subject[1]
        if last is not None:
            return last[0]
        mention = self._mention_before(candidate.start, kind, subjects_only=False)
        if mention is not None:
            return mention[1]
        text = self.text[candidate.start : candidate.end]
        return Speaker(text, None, None, candidate.kind)

    def _mention_before(
        self, pos: int, kind: str, subjects_only: bool
    ) -> tuple[int, Speaker] | None:
        """The last person (or organisation) named outside quotes before ``pos``; with
        ``subjects_only``, only a name among the first words of its sentence."""
        mentions = self.doc.persons if kind == "person" else self.doc.orgs
        index = bisect.bisect_left(mentions, (pos,), key=lambda m: (m[0],)) - 1
        while index >= 0:
            start, entity = mentions[index]
            index -= 1
            if self.regions.covers(start) or _POSSESSIVE_AFTER.match(self.text, entity["end"]):
                continue
            if subjects_only and not self._is_subject(start, mentions):
                continue
            return start, self.doc.entity_speaker(entity, kind)
        return None

    def _is_subject(self, start: int, mentions: list[tuple[int, Mapping]]) -> bool:
        """A name that opens a clause: the first of its sentence among its first words, or
        right after a comma, "but", "and" ... ("..., but McIlroy is unfazed")."""
        paragraph = self.doc.paragraphs[self.doc.paragraph_of(start)]
        sentence = self.sentence_start(start, paragraph[0])
        opening = self.text[sentence:start]
        if self.lexicon.after_preposition.search(opening):
            return False
        if _CLAUSE_OPENING.search(opening):
            return True
        earlier = any(sentence <= other < start for other, _ in mentions)
        return not earlier and _words(opening) <= SUBJECT_MAX_WORDS

    def remember(self, speaker: Speaker, at: int) -> None:
        if speaker.kind in ("person", "org") and speaker.canonical:
            self.last[speaker.kind] = (speaker, at)


def extract_quotes(
    text: str,
    sentences: Sequence[tuple[int, int]],
    entities: Sequence[Mapping],
    lexicon: Lexicon,
) -> list[Quote]:
    """The direct quotes of one text, in order (rules: module doc).

    ``sentences``: ``(start, end)`` spans (for ``sentence_idx``); ``entities``: rows with
    ``entity_idx``, ``start``, ``end``, ``text``, ``label`` and ``canonical``.
    """
    pieces = find_pieces(text)
    if not pieces:
        return []
    attributor = _Attributor(text, entities, lexicon, _scan_spans(text, pieces))
    doc = attributor.doc
    top: list[Piece] = []
    nested: list[tuple[Piece, Piece]] = []
    for piece in pieces:
        outer = next(
            (t for t in reversed(top) if t.open_mark < piece.open_mark < _region_end(t)), None
        )
        if outer is None:
            top.append(piece)
        elif piece.end <= _region_end(outer):
            nested.append((piece, outer))
    regions = _Regions(
        [(p.open_mark, _region_end(p), bool(_QUOTE_END.search(text, p.start, p.end))) for p in top]
    )
    attributor.set_regions(regions)

    keep: list[tuple[Piece, bool]] = []  # (piece, partial)
    for piece in top:
        paragraph = doc.paragraphs[doc.paragraph_of(piece.open_mark)]
        if _words(text[piece.start : piece.end]) < MIN_WORDS or _is_heading(text, paragraph):
            continue
        keep.append((piece, _is_partial(text, piece, paragraph[0])))

    # Pieces of one quote: an open piece and the next piece of the same family.
    chains: list[list[tuple[Piece, bool]]] = []
    for piece, partial in keep:
        previous = chains[-1][-1][0] if chains else None
        if (
            previous is not None
            and previous.close_mark is None
            and previous.family == piece.family
            and not partial
        ):
            chains[-1].append((piece, partial))
        else:
            chains.append([(piece, partial)])

    found: list[tuple[Piece, Speaker | None, str | None]] = []
    previous_quote: tuple[Piece, Speaker | None] | None = None
    for chain in chains:
        own = [_own_cue(attributor, piece, partial) for piece, partial in chain]
        first = next((m for m in own if m is not None), None)
        fallback = None
        if first is None:
            fallback = _context_cue(attributor, chain[0][0], previous_quote)
        for (piece, partial), match in zip(chain, own, strict=True):
            short = _words(text[piece.start : piece.end]) < PARTIAL_MIN_WORDS_ALONE
            if partial and match is None and short:
                continue  # a scare quote, a title or a term
            speaker, cue = None, None
            if match is not None:
                speaker, cue = attributor.resolve(match.candidate, piece.start), match.cue
            elif first is not None:
                speaker = attributor.resolve(first.candidate, piece.start)
            elif isinstance(fallback, _Match):
                speaker = attributor.resolve(fallback.candidate, piece.start)
            elif isinstance(fallback, Speaker):
                speaker = fallback
            if speaker is not None:
                attributor.remember(speaker, piece.start)
            found.append((piece, speaker, cue))
            previous_quote = (piece, speaker)

    for piece, outer in nested:
        if _words(text[piece.start : piece.end]) < MIN_WORDS:
            continue
        match = _nested_cue(attributor, piece, outer)
        if match is not None:
            found.append((piece, attributor.resolve(match.candidate, piece.start), match.cue))

    found.sort(key=lambda item: (item[0].start, item[0].end))
    starts = [start for start, _ in sentences]
    quotes = []
    for piece, speaker, cue in found:
        sentence = bisect.bisect_right(starts, piece.start) - 1 if starts else None
        quotes.append(
            Quote(
                start=piece.start,
                end=piece.end,
                text=text[piece.start : piece.end],
                speaker=speaker.text if speaker else None,
                speaker_canonical=speaker.canonical if speaker else None,
                speaker_entity_idx=speaker.entity_idx if speaker else None,
                cue=cue,
                sentence_idx=max(sentence, 0) if sentence is not None else None,
            )
        )
    return quotes


def _scan_spans(text: str, pieces: list[Piece]) -> list[tuple[int, int]]:
    """The paragraphs with a quote and the paragraphs before them, merged."""
    paras = paragraphs(text)
    starts = [start for start, _ in paras]
    wanted: set[int] = set()
    for piece in pieces:
        index = max(bisect.bisect_right(starts, piece.open_mark) - 1, 0)
        wanted.update((index - 1, index) if index else (index,))
    spans: list[tuple[int, int]] = []
    for index in sorted(wanted):
        start, end = paras[index]
        if spans and start <= spans[-1][1] + 2:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _own_cue(attributor: _Attributor, piece: Piece, partial: bool) -> _Match | None:
    doc, text = attributor.doc, attributor.text
    paragraph = doc.paragraphs[doc.paragraph_of(piece.open_mark)]
    regions = attributor.regions
    if partial:
        start = attributor.sentence_start(piece.open_mark, paragraph[0])
        end = attributor.sentence_end(_region_end(piece), paragraph[1])
        return attributor.match_before(start, piece.open_mark) or attributor.match_after(
            _region_end(piece), end, new_sentence=False
        )
    previous = regions.previous(piece.open_mark)
    floor = max(paragraph[0], previous[1] if previous else 0)
    before_start = attributor.sentence_start(piece.open_mark, floor)
    before = None
    if text[before_start : piece.open_mark].strip():
        before = lambda: attributor.match_before(before_start, piece.open_mark)  # noqa: E731
    after = None
    if piece.close_mark is not None:
        following = regions.next(piece.close_mark + 1)
        ceiling = min(paragraph[1], following[0] if following else len(text))
        after_end = attributor.sentence_end(piece.close_mark + 1, ceiling)
        rest = text[piece.close_mark + 1 : after_end]
        ended = bool(_QUOTE_END.search(text, piece.start, piece.end))
        new_sentence = ended and not re.match(r"\s*[,;\u2014\u2013-]|\s*[a-z]", rest)
        after = lambda: attributor.match_after(piece.close_mark + 1, after_end, new_sentence)  # noqa: E731
    colon = text[before_start : piece.open_mark].rstrip().endswith(":")
    order = [before, after] if colon else [after, before]
    for attempt in order:
        if attempt is not None:
            match = attempt()
            if match is not None:
                return match
    return None


def _context_cue(
    attributor: _Attributor, piece: Piece, previous_quote: tuple[Piece, Speaker | None] | None
) -> _Match | Speaker | None:
    """Who says a quote that has no cue of its own, from what comes before it.

    Inside a paragraph: the cue of the sentence before (after the last quote), else the speaker
    of the last quote. Opening a paragraph: the cue of a previous paragraph that ends in a colon,
    else the speaker of a quote in the previous paragraph, else the cue of its last sentence.
    """
    doc, text, regions = attributor.doc, attributor.text, attributor.regions
    index = doc.paragraph_of(piece.open_mark)
    paragraph = doc.paragraphs[index]
    previous = regions.previous(piece.open_mark)
    floor = max(paragraph[0], previous[1] if previous else 0)
    start = attributor.sentence_start(piece.open_mark, floor)
    quoted_before = previous_quote is not None and previous_quote[1] is not None
    if start > paragraph[0]:
        if start > floor:
            sentence_start = attributor.sentence_start(start - 1, floor)
            match = attributor.match_before(sentence_start, start)
            if match is not None and match.candidate.kind != "place":
                return match
        if quoted_before and doc.paragraph_of(previous_quote[0].open_mark) == index:
            return previous_quote[1]
        return None
    if index == 0:
        return None
    before = doc.paragraphs[index - 1]
    last_start = attributor.sentence_start(before[1] - 1, before[0])
    # A quote kept in that last sentence (not a scare quote) took its cue already.
    last_quote_here = previous_quote is not None and previous_quote[0].end > last_start
    if text[before[0] : before[1]].rstrip().endswith(":") and not last_quote_here:
        match = attributor.match_before(last_start, before[1])
        if match is not None:
            return match
    if quoted_before and doc.paragraph_of(previous_quote[0].open_mark) == index - 1:
        return previous_quote[1]
    if not last_quote_here:
        match = attributor.match_before(last_start, before[1])
        if match is not None and match.candidate.kind != "place":
            return match
    return None


def _nested_cue(attributor: _Attributor, piece: Piece, outer: Piece) -> _Match | None:
    """A quote inside a quote: a cue inside the outer quote, around the inner one."""
    saved = attributor.regions
    attributor.regions = _Regions([(piece.open_mark, _region_end(piece), False)])
    try:
        return attributor.match_before(outer.start, piece.open_mark) or attributor.match_after(
            _region_end(piece), outer.end, new_sentence=False
        )
    finally:
        attributor.regions = saved
