"""newscorpus: scraped news articles in, clean versioned tables out.

The Snakemake workflow at the repository root drives the stages; this package holds their logic
and a small Polars loading API (:func:`load`).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newscorpus")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

from newscorpus.tables import TABLES


def load(
    table: str,
    results_dir: str | None = None,
    version: int | None = None,
    tables_uri: str | None = None,
):
    """Return a published table as a ``polars.LazyFrame`` (:func:`newscorpus.tables.load.load`)."""
    from newscorpus.tables.load import load as _load

    return _load(table, results_dir=results_dir, version=version, tables_uri=tables_uri)


__all__ = ["TABLES", "__version__", "load"]
