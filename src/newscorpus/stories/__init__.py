"""Stories: exact and near copies of one article across the whole corpus.

Public interface (used by :mod:`newscorpus.stages.stories`): ``update(docs, index_dir,
settings)`` (:mod:`.index`) returns each document's ``story_id`` and ``duplicate_of`` and the
linked pairs; ``DEFAULTS`` are the ``stories:`` settings (documented in the config schema, chosen
on the duplicates bench by ``scripts/eval_stories.py``).

Steps, each in its own module: ``text`` (normalised words, shingles, lead, headline, exact
hash), ``signatures`` (MinHash and LSH band keys), ``pairs`` (candidates and their check),
``assign`` (connected components, first member), ``index`` (what is kept between runs).
"""

from newscorpus.stories.index import Result, update

VERSION = "1"

DEFAULTS = {
    "shingle_words": 3,
    "lead_words": 50,
    "num_perm": 128,
    "bands": 64,
    "rows": 2,
    "seed": 1,
    "minhash": "rensa",
    "min_shingles": 20,
    "containment_high": 0.8,
    "containment_low": 0.5,
    "lead_min": 0.6,
    "headline_min": 0.6,
}

__all__ = ["DEFAULTS", "VERSION", "Result", "update"]
