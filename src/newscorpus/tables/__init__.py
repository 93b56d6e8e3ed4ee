"""The published tables: their names, schemas, locations, loading, history and publishing.

``TABLES`` is the one list of table names; every reader and writer takes it from here.
"""

TABLES = ("documents", "sentences", "entities", "removed", "places")
# Tables of rows keyed by doc_id: publish replaces the changed documents' rows. The others are
# derived at publish time from the published tables (places: one row per place any entity of
# the whole corpus resolved to).
DOCUMENT_TABLES = ("documents", "sentences", "entities", "removed")
