"""The published tables: their names, schemas, locations, loading, history and publishing.

``TABLES`` is the one list of table names; every reader and writer takes it from here.
"""

TABLES = ("documents", "sentences", "entities", "removed", "quotes", "places", "duplicates")
# Tables of rows keyed by doc_id that a batch's assemble writes: publish replaces the changed
# documents' rows. The others are derived at publish time over the whole corpus (places: one row
# per place any entity resolved to; duplicates: the linked pairs the change set's stories job
# decides).
DOCUMENT_TABLES = ("documents", "sentences", "entities", "removed", "quotes")
