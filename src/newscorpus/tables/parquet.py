"""How the tables' Parquet files are written: one set of writer settings for every commit.

A day's run appends small files (a +1 % day at 2,000 documents writes about 120 entity rows), so
what a file costs whatever its rows counts as much as how well its rows compress:

- Statistics per column chunk, not per page. Delta's file statistics, which skip files on
  reads and on publish's ``doc_id IN (...)`` rewrite, come from the chunk statistics; the page
  index (a min/max per page, written beside the footer) only helps files of many pages, and a
  small file paid about 500 bytes for it.
- Positions (``sentence_idx``, ``start``, ``end``, ...) count up inside a document, and rows are
  sorted by document then position: delta encoding stores each in a few bits, where a
  dictionary of distinct offsets grows with the file.
- Statistics of text cut to 64 bytes (deltalake's own default, which passing settings drops: a
  one-document file then carried its whole text twice in its footer).
- Snappy, as the files written before these settings: Zstandard makes every table smaller but a
  day's file less so, and every file of a table keeps one codec.
"""

from __future__ import annotations

from collections.abc import Iterable

POSITION_COLUMNS = frozenset({"seq", "sentence_idx", "entity_idx", "quote_idx", "start", "end"})


def writer_properties(columns: Iterable[str]):
    """Writer settings for a table of ``columns`` (deltalake ``WriterProperties``)."""
    from deltalake import ColumnProperties, WriterProperties

    positions = ColumnProperties(
        statistics_enabled="CHUNK", dictionary_enabled=False, encoding="DELTA_BINARY_PACKED"
    )
    return WriterProperties(
        compression="SNAPPY",
        statistics_truncate_length=64,
        default_column_properties=ColumnProperties(statistics_enabled="CHUNK"),
        column_properties={c: positions for c in columns if c in POSITION_COLUMNS},
    )
