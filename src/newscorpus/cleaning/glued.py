"""Words glued together where a plain-text scrape lost markup: "Bakhmutdespite", "PrigozhinHe".

A token is split only when it is no word itself and both halves are: the first half is a
word of the same document (or a known capitalised word), the second a common English word
(wordfreq's English list, shipped inside the package, so nothing is fetched). Three shapes:

* a capitalised word and a lower-case one: "Bakhmutdespite", "Syrskyicommander", "Wagnerin";
* two capitalised words: "PrigozhinHe" (the first must stand alone elsewhere in the document);
* a sentence end without its space: "Bakhmut.scene" (not a domain or a file name).

Never split: a token that occurs again in the document (a name spelt so: "Zelenskyy" stays),
a token wordfreq knows ("YouTube", "Kremlin"), or any token of a document that is not mostly
English words (compounds of other languages look glued to an English list).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from newscorpus.util.text import fold

MIN_ENGLISH_SHARE = 0.85  # of the document's lower-case words found in the English list
ENGLISH_SAMPLE_WORDS = 3000
MIN_SUFFIX_ZIPF = 4.0  # "despite" 5.0, "commander" 4.5
# A second half of two or three letters must be a function word ("in" 7.3, "of" 7.4), or
# names would split at any short word inside them ("Maliar": "ar" 4.2).
MIN_SHORT_SUFFIX_ZIPF = 6.0
SHORT_SUFFIX = 3
# A first half not found alone in the document needs a function word after it ("Wagnerin"):
# "Computeractive", "Novatech", "Hostway" are brand names made of two words.
MIN_KNOWN_PREFIX_ZIPF = 3.5
MIN_FUNCTION_WORD_ZIPF = 6.5
# A first half that is a common word itself needs a function word after it too: "SpeechWorks",
# "PowerPage" are names; "PrigozhinHe", "Bakhmutdespite" glue a name to the next sentence.
MAX_NAME_ZIPF = 3.0
MIN_HALF = 3  # letters of the first half
MIN_SUFFIX = 2  # letters of the second half
# Second halves that make a domain or a file name, never a sentence: "bbc.com", "index.html".
_NOT_AFTER_DOT = frozenset(
    [
        "com",
        "net",
        "org",
        "gov",
        "edu",
        "info",
        "biz",
        "io",
        "co",
        "uk",
        "de",
        "fr",
        "ru",
        "ua",
        "eu",
        "us",
        "ca",
        "au",
        "tv",
        "me",
        "news",
        "online",
        "html",
        "htm",
        "php",
        "asp",
        "aspx",
        "js",
        "json",
        "xml",
        "pdf",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "svg",
        "mp3",
        "mp4",
        "txt",
        "csv",
        "doc",
        "docx",
        "zip",
        "exe",
        "py",
    ]
)

_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_WORD = re.compile(rf"[{_LETTER}]+")
_CAPITALISED = re.compile(rf"(?<![\w.@/'’-])[{_UPPER}][{_LOWER}]{{4,}}(?![\w@/-]|[.'’]\w)")
_CAMEL = re.compile(
    rf"(?<![\w.@/'’-])([{_UPPER}][{_LOWER}]{{{MIN_HALF - 1},}})([{_UPPER}][{_LOWER}]+)"
    rf"(?![\w@/-]|[.'’]\w)"
)
_DOTTED = re.compile(
    rf"(?<![\w.@/'’-])([{_LETTER}][{_LOWER}]{{{MIN_HALF - 1},}})\.([{_LOWER}]{{3,}})"
    rf"(?![\w@/-]|[.'’]\w)"
)


@dataclass(frozen=True, slots=True)
class Repair:
    start: int  # offsets of the glued token in the text searched
    end: int
    split_at: int  # offset where the space goes
    original: str


@lru_cache(maxsize=1)
def english_words() -> dict[str, float]:
    """wordfreq's large English list, word -> Zipf frequency (read once per process).

    Read straight from the file wordfreq ships (msgpack, one list of words per centibel of
    frequency): importing wordfreq itself loads langcodes, ftfy and regex and takes longer
    than reading the list.
    """
    import gzip
    import importlib.util
    from pathlib import Path

    import msgpack

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("clean.repair_glued_words needs the wordfreq package")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "large_en.msgpack.gz"
    header, *buckets = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    if header.get("format") != "cB":
        raise RuntimeError(f"{path}: unknown word list format {header!r}")
    words: dict[str, float] = {}
    for centibels, bucket in enumerate(buckets):
        words.update(dict.fromkeys(bucket, 9.0 - centibels / 100))
    return words


def _zipf(word: str) -> float:
    return english_words().get(fold(word, keep_accents=True), 0.0)


def _known(word: str) -> bool:
    return fold(word, keep_accents=True) in english_words()


def mostly_english(text: str) -> bool:
    words = [w for w in _WORD.findall(text[:200_000]) if w.islower() and len(w) >= 3]
    words = words[:ENGLISH_SAMPLE_WORDS]
    if len(words) < 20:
        return False
    english = english_words()
    return sum(word in english for word in words) / len(words) >= MIN_ENGLISH_SHARE


def _counts(text: str) -> Counter:
    return Counter(_WORD.findall(text))


def find_repairs(text: str) -> list[Repair]:
    """Glued tokens of ``text`` and where each splits, in text order."""
    if not (_CAMEL.search(text) or _DOTTED.search(text) or _CAPITALISED.search(text)):
        return []
    if not mostly_english(text):
        return []
    counts = _counts(text)
    repairs: list[Repair] = []
    for match in _CAMEL.finditer(text):
        first, second = match.group(1), match.group(2)
        token = first + second
        if counts[token] != 1 or _known(token) or not counts[first]:
            continue
        if _zipf(first) < MAX_NAME_ZIPF or _zipf(second) >= MIN_FUNCTION_WORD_ZIPF:
            repairs.append(Repair(match.start(), match.end(), match.start(2), token))
    for match in _DOTTED.finditer(text):
        first, second = match.group(1), match.group(2)
        if second in _NOT_AFTER_DOT or _known(match.group(0)):
            continue
        # counts[first] includes this token's own first half: > 1 means it stands alone too.
        if counts[first] > 1 and _zipf(second) >= _suffix_floor(second):
            repairs.append(Repair(match.start(), match.end(), match.start(2), match.group(0)))
    for match in _CAPITALISED.finditer(text):
        token = match.group(0)
        if counts[token] != 1 or _known(token):
            continue
        following = text[match.end() : match.end() + 40].split(maxsplit=1)
        next_lower = bool(following) and following[0][:1].islower()
        split = _split_lower(token, counts, next_lower)
        if split is not None:
            repairs.append(Repair(match.start(), match.end(), match.start() + split, token))
    repairs.sort(key=lambda repair: repair.start)
    return repairs


def _split_lower(token: str, counts: Counter, next_lower: bool) -> int | None:
    """Where "Bakhmutdespite" splits: the longest first half that is a word on its own.

    A first half known only from the word list ("Wagner") takes a function word that goes on
    into a lower-case word ("Wagnerin the front line"), not one before a name ("Southan Morris").
    """
    for cut in range(len(token) - MIN_SUFFIX, MIN_HALF - 1, -1):
        first, second = token[:cut], token[cut:]
        if _zipf(second) < _suffix_floor(second):
            continue
        function_word = len(second) <= SHORT_SUFFIX and _zipf(second) >= MIN_FUNCTION_WORD_ZIPF
        if counts[first] > 0 and (_zipf(first) < MAX_NAME_ZIPF or function_word):
            return cut
        if function_word and next_lower and _zipf(first) >= MIN_KNOWN_PREFIX_ZIPF:
            return cut
    return None


def _suffix_floor(second: str) -> float:
    return MIN_SHORT_SUFFIX_ZIPF if len(second) <= SHORT_SUFFIX else MIN_SUFFIX_ZIPF
