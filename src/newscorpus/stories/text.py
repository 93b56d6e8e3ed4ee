"""What copies of a story are compared on: an exact hash, word shingles, the lead and the
headline.

Normalisation folds what outlets change when they republish wire copy without changing the
story: case, width (NFKC), quote marks and dashes, dotted abbreviations (U.S. / US), "per cent" /
"percent", honorifics (Mr, Mrs), British / American spellings of common endings. It shapes the
shingles only; the exact hash sees the text with white space and quote marks folded, so an
``exact`` pair is a true copy.

Everything runs as Polars expressions over the whole batch; only the distinct words of a batch
go through Python (folding and a keyed BLAKE2 hash, stable across versions and machines, so stored
shingles and signatures stay valid).
"""

from __future__ import annotations

import functools
import hashlib
import re

import polars as pl

TOKEN = r"\w+(?:[.,'’]\w+)*"
_QUOTES = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
}
_DROPPED = frozenset({"mr", "mrs", "ms", "dr"})
# British -> American endings, folded one way so that both spellings give one word.
_ENDINGS = (
    (re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
)
# Only words with one of these endings go through the patterns above (most words do not).
_ENDING_SUFFIXES = (
    "ise", "ised", "ises", "ising", "isation", "isations",
    "our", "ours", "oured", "ouring", "ourite", "ourites", "ourable",
    "tre", "tres", "lled", "lling", "ller", "llers",
)  # fmt: skip
_HASH_KEY = b"newscorpus.stories.1"
# Odd 64-bit constants mixing the words of a shingle (wrapping multiplication, then xor).
_MIX = (
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0x27D4EB2F165667C5,
    0xFF51AFD7ED558CCD,
)
# A first line of at most this many words is the headline of a plain-text article.
HEADLINE_MAX_WORDS = 25


def _folded(column: pl.Expr) -> pl.Expr:
    return (
        column.fill_null("")
        .str.normalize("NFKC")
        .str.replace_many(list(_QUOTES), list(_QUOTES.values()))
    )


def exact_form(column: pl.Expr) -> pl.Expr:
    """The text as an exact copy shares it: NFKC, quote marks and dashes folded, white space
    collapsed."""
    return _folded(column).str.replace_all(r"\s+", " ").str.strip_chars()


@functools.lru_cache(maxsize=1 << 18)
def fold_word(token: str) -> str:
    """One lower-cased word as shingles see it ("" for a dropped honorific)."""
    token = token.replace("'", "").replace(",", "").replace("’", "")
    if "." in token and not token.replace(".", "").isdigit():
        token = token.replace(".", "")
    if len(token) > 5 and token.endswith(_ENDING_SUFFIXES):
        for pattern, repl in _ENDINGS:
            token = pattern.sub(repl, token)
    return "" if token in _DROPPED else token


@functools.lru_cache(maxsize=1 << 18)
def word_hash(word: str) -> int:
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8, key=_HASH_KEY)
    return int.from_bytes(digest.digest(), "little")


def _word_hashes(words: pl.Series) -> dict[str, int | None]:
    mapping: dict[str, int | None] = {}
    for word in words.unique().to_list():
        folded = fold_word(word)
        mapping[word] = word_hash(folded) if folded else None
    return mapping


def split_headline(frame: pl.DataFrame) -> pl.DataFrame:
    """``doc_id, headline, body``: the title when there is one, else a short first line."""
    text = pl.col("text").fill_null("").str.strip_chars()
    first = text.str.extract(r"^([^\n]*)", 1)
    short_first = first.str.count_matches(r"\S+") <= HEADLINE_MAX_WORDS
    has_title = pl.col("title").fill_null("").str.strip_chars() != ""
    return frame.select(
        "doc_id",
        headline=pl.when(has_title)
        .then(pl.col("title"))
        .when(short_first)
        .then(first)
        .otherwise(pl.lit("")),
        body=pl.when(has_title | ~short_first)
        .then(text)
        .otherwise(text.str.slice(first.str.len_chars())),
    )


def _tokens(column: str) -> pl.Expr:
    return (
        _folded(pl.col(column))
        .str.to_lowercase()
        .str.replace_all(r"\bper cent\b", "percent")
        .str.extract_all(TOKEN)
    )


def words(frame: pl.DataFrame) -> pl.DataFrame:
    """``doc_id, words, headline_words``: the folded word hashes of each document in order,
    headline first (a list), and how many of them are the headline's, from
    ``doc_id, title, text``."""
    parts = split_headline(frame).select(
        "doc_id", headline=_tokens("headline"), body=_tokens("body")
    )
    distinct = pl.concat(
        [parts["headline"].explode(empty_as_null=False), parts["body"].explode(empty_as_null=False)]
    )
    mapping = _word_hashes(distinct)

    def hashed(column: str) -> pl.Expr:
        return (
            pl.col(column)
            .list.eval(pl.element().replace_strict(mapping, default=None, return_dtype=pl.UInt64))
            .list.drop_nulls()
        )

    return parts.select("doc_id", headline=hashed("headline"), body=hashed("body")).select(
        "doc_id",
        words=pl.concat_list("headline", "body"),
        headline_words=pl.col("headline").list.len().cast(pl.Int32),
    )


def shingles(word_lists: pl.DataFrame, size: int, lead_words: int) -> pl.DataFrame:
    """``doc_id, shingles, lead, headline``, each a list of distinct hashes: the word
    ``size``-grams of the document (a document shorter than ``size`` words has one shingle of all
    its words), those that start within the first ``lead_words`` words after the headline, and
    the headline's words."""
    word = pl.element()
    mixed = word * pl.lit(_MIX[0], pl.UInt64)
    for offset in range(1, size):
        nxt = word.shift(-offset).fill_null(0)
        mixed = mixed.xor(nxt * pl.lit(_MIX[offset % len(_MIX)], pl.UInt64))
    count = pl.max_horizontal(pl.col("words").list.len() - size + 1, pl.lit(1))
    every = pl.col("words").list.eval(mixed).list.slice(0, count)
    return word_lists.select(
        "doc_id",
        shingles=every.list.unique().list.sort(),
        lead=every.list.slice(pl.col("headline_words"), lead_words).list.unique().list.sort(),
        headline=pl.col("words").list.head(pl.col("headline_words")).list.unique().list.sort(),
    )


def long_form(lists: pl.DataFrame, column: str) -> pl.DataFrame:
    """``doc_id, value``: one row per element of the list column ``column``."""
    return lists.select("doc_id", value=column).explode("value", empty_as_null=False)
