"""Stories: exact and near copies of one article across the whole corpus.

Public interface (used by :mod:`newscorpus.stages.stories`): ``update(docs, index_dir,
settings)`` (:mod:`.index`) returns each document's ``story_id`` and ``duplicate_of`` and the
linked pairs; ``settings`` is the validated ``stories:`` section of the configuration (defaults in
``config/schema.yaml``, chosen on the duplicates bench by ``scripts/eval_stories.py``).

Steps, each in its own module: ``text`` (normalised words, shingles, lead, headline, exact
hash), ``signatures`` (MinHash and LSH band keys), ``pairs`` (candidates and their check),
``assign`` (connected components, first member), ``index`` (what is kept between runs).
"""

from newscorpus.stories.index import Changes, Result, update, update_changes

__all__ = ["Changes", "Result", "update", "update_changes"]
