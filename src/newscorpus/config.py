"""The configuration's defaults, which configuration shapes which stage, and its provenance.

Every default lives in ``config/schema.yaml`` and nowhere else: Snakemake's ``validate`` fills
the workflow's config from it, and :func:`defaults` / :func:`section` read the same file for code
called outside the workflow (the library, tests, evaluation scripts).

Only values that change results enter a stage's settings: paths, the shard count and tuning
knobs (batch sizes) do not, so moving the project or resharding never invalidates results, and
``config_hash`` is the same on every machine.
"""

from __future__ import annotations

import copy
import functools
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from newscorpus.util.hashing import settings_hash

STAGES = ("ingest", "clean", "detect", "annotate")
# The project's schema: the package is used from its checkout (pip install -e), like the
# Snakefile the ``newscorpus`` command runs.
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "config" / "schema.yaml"


def _filled(schema: dict[str, Any]) -> dict[str, Any]:
    """The defaults of an object schema's properties, nested ones filled in as ``validate``
    does (an object whose default is ``{}`` gets its properties' defaults)."""
    filled: dict[str, Any] = {}
    for name, subschema in schema.get("properties", {}).items():
        if "default" not in subschema:
            continue
        value = copy.deepcopy(subschema["default"])
        if isinstance(value, dict) and "properties" in subschema:
            value = {**_filled(subschema), **value}
        filled[name] = value
    return filled


@functools.cache
def _defaults() -> dict[str, Any]:
    from newscorpus.util.yamlfile import safe_load

    try:
        schema = safe_load(SCHEMA_FILE.read_bytes())
    except OSError as exc:
        raise RuntimeError(
            f"newscorpus: cannot read the config schema {SCHEMA_FILE} ({exc}); the package reads "
            "its defaults from the project checkout: install it with `pip install -e .`"
        ) from exc
    return _filled(schema)


def defaults() -> dict[str, Any]:
    """The whole configuration as ``config/schema.yaml`` fills it when nothing is set."""
    return copy.deepcopy(_defaults())


def section(name: str, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``name:`` section of the config: ``settings`` over the schema's defaults.

    Stages get the validated (complete) section; the library's functions also accept part of
    one (``{"min_year": 1990}``) or none.
    """
    return {**_defaults()[name], **(settings or {})}


def _model_versions(models: dict[str, str]) -> dict[str, str]:
    found = {}
    for language, package in sorted(models.items()):
        try:
            found[language] = f"{package}=={version(package.replace('_', '-'))}"
        except PackageNotFoundError:
            found[language] = f"{package}==missing"
    return found


def stage_settings(config: dict[str, Any], stage: str) -> dict[str, Any]:
    """The part of the configuration that shapes ``stage``'s output."""
    if stage == "ingest":
        return {
            "max_doc_bytes": config["max_doc_bytes"],
            "allow_symlinks_outside_root": config["allow_symlinks_outside_root"],
        }
    if stage == "clean":
        return dict(config["clean"])
    if stage == "detect":
        return {"language": dict(config["language"]), "dates": dict(config["dates"])}
    if stage == "annotate":
        shaping = {k: v for k, v in config["entities"].items() if k not in ("batch_size",)}
        return {"models": _model_versions(config["spacy_models"]), **shaping}
    raise ValueError(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")


def config_hash(config: dict[str, Any]) -> str:
    """Hash of every result-shaping setting of every stage."""
    return settings_hash({stage: stage_settings(config, stage) for stage in STAGES})
