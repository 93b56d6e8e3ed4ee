"""Where the published tables live: the one place every reader and writer asks.

The workflow's publish and report rules, :func:`newscorpus.load`, ``newscorpus run``'s summary,
``history``, ``vacuum`` and the tests all call :func:`table_uri` (or :func:`tables_root`), so a
configured ``tables_uri`` reaches every one of them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from newscorpus.tables import TABLES


def tables_root(results_dir: str | Path | None = None, tables_uri: str | None = None) -> str:
    """The folder or URI holding every table: config ``tables_uri`` when set (``file://``,
    ``s3://``, a path), else ``{results_dir}/tables`` (``results_dir`` may be a URI too;
    ``None`` is the config's default)."""
    if tables_uri:
        return str(tables_uri).rstrip("/")
    if results_dir is None:
        from newscorpus.config import defaults

        results_dir = defaults()["results_dir"]
    results_dir = str(results_dir)
    if "://" in results_dir:
        return f"{results_dir.rstrip('/')}/tables"
    return str(Path(results_dir) / "tables")


def table_uri(
    table: str, results_dir: str | Path | None = None, tables_uri: str | None = None
) -> str:
    """Where ``table`` lives: ``{tables_root(results_dir, tables_uri)}/{table}``."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    return f"{tables_root(results_dir, tables_uri)}/{table}"


def tables_root_of(config: Mapping[str, Any]) -> str:
    """:func:`tables_root` of a (validated or resolved) configuration."""
    return tables_root(config.get("results_dir") or None, config.get("tables_uri") or None)


def is_local(uri: str) -> bool:
    """A plain path (not ``scheme://``)."""
    return "://" not in uri


def storage_options(uri: str) -> dict[str, str] | None:
    """deltalake options for ``uri``: on S3 without a locking provider, allow plain renames.

    Delta on S3 needs a lock for concurrent writers; newscorpus has one writer (publish, under
    the results lock), so it does not, unless the user configured a locking provider anyway.
    Endpoint and credentials come from the usual ``AWS_*`` environment variables.
    """
    if uri.startswith(("s3://", "s3a://")) and not os.environ.get("AWS_S3_LOCKING_PROVIDER"):
        return {"AWS_S3_ALLOW_UNSAFE_RENAME": "true"}
    return None


def table_exists(uri: str) -> bool:
    """Whether a Delta table has been published at ``uri``."""
    from deltalake import DeltaTable

    if is_local(uri) and not Path(uri).exists():
        return False
    return DeltaTable.is_deltatable(uri, storage_options=storage_options(uri))


def configured_tables_root(configfiles: Iterable[str | Path], overrides: Iterable[str] = ()) -> str:
    """:func:`tables_root` of the configuration Snakemake would build from ``configfiles`` (in
    order; missing ones skipped) and ``--config KEY=VALUE`` ``overrides``: what the commands
    that run outside the workflow (``newscorpus run``'s summary, ``history``, ``vacuum``) use."""
    from newscorpus.config import resolve_config

    return tables_root_of(resolve_config(configfiles, overrides))
