"""The published tables: their names, schemas, locations, loading, history and publishing.

``TABLES`` is the one list of table names; every reader and writer takes it from here.
"""

TABLES = ("documents", "sentences", "entities", "removed", "quotes", "duplicates")
