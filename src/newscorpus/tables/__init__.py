"""The published tables: their names, schemas, locations, loading, history and publishing.

``TABLES`` is the one list of table names; every reader and writer takes it from here.
"""

TABLES = ("documents", "sentences", "entities", "removed", "places")
# Tables of one row per shard's row (partitioned by shard); the others are derived from them
# over the whole corpus at publish time (places: one row per place any entity resolved to).
SHARD_TABLES = ("documents", "sentences", "entities", "removed")
