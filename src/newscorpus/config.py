"""The configuration's defaults, which configuration shapes which stage, and its provenance.

Every default lives in ``config/schema.yaml`` and nowhere else: Snakemake's ``validate`` fills
the workflow's config from it, and :func:`defaults` / :func:`section` read the same file for code
called outside the workflow (the library, tests, evaluation scripts).

Only values that change results enter a stage's settings: paths, the batch limits and tuning
knobs (batch sizes) do not, so moving the project or cutting batches otherwise never
invalidates results, and ``config_hash`` is the same on every machine.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from newscorpus.util.hashing import settings_hash
from newscorpus.util.yamlfile import safe_load

STAGES = ("ingest", "clean", "detect", "annotate", "stories")
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


def _place_sources(places_file: str) -> dict[str, str | None]:
    """What the gazetteer is made of: packaged data version, user file content (not path)."""
    from newscorpus.entities.gazetteer import data_version, places_file_hash

    return {"gazetteer": data_version(), "places_file_sha256": places_file_hash(places_file)}


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
        entities = config["entities"]
        shaping = {k: v for k, v in entities.items() if k not in ("batch_size", "places_file")}
        return {
            "models": _model_versions(config["spacy_models"]),
            **shaping,
            "places": _place_sources(entities["places_file"]),
            "quotes": dict(config["quotes"]),
        }
    if stage == "stories":
        return dict(config["stories"])
    raise ValueError(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")


def config_hash(config: dict[str, Any]) -> str:
    """Hash of every result-shaping setting of every stage."""
    return settings_hash({stage: stage_settings(config, stage) for stage in STAGES})


# --- booleans as users type them ---------------------------------------------------------------

# What YAML 1.1 (and so a config file) reads as a boolean, plus 1/0. Snakemake's --config hands
# these over as text ("false"), which a JSON-schema boolean would refuse.
TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
BOOLEAN_HINT = "type true or false (yes/no, on/off and 1/0 work too)"


class ConfigValueError(ValueError):
    """A configuration value that cannot be read; the message says what to type."""


def boolean_keys(schema: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Key paths of every boolean in a JSON schema, nested objects included, in schema order."""
    found = []
    for key, spec in (schema.get("properties") or {}).items():
        kind = spec.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "boolean" in kinds:
            found.append((*prefix, key))
        if "object" in kinds:
            found.extend(boolean_keys(spec, (*prefix, key)))
    return found


def as_boolean(value: Any, key: str) -> bool:
    """``value`` read as YAML reads a boolean; :class:`ConfigValueError` naming ``key`` if not."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise ConfigValueError(f"config {key}: {value!r} is not a boolean; {BOOLEAN_HINT}")


def coerce_booleans(config: MutableMapping[str, Any], schema: Mapping[str, Any]) -> None:
    """Turn the text of every boolean key of ``schema`` present in ``config`` into a bool, in
    place, before validation; keys that are absent keep their schema default."""
    for path in boolean_keys(schema):
        parent: Any = config
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, Mapping) else None
        if isinstance(parent, MutableMapping) and path[-1] in parent:
            parent[path[-1]] = as_boolean(parent[path[-1]], ".".join(path))


def coerce_booleans_from(config: MutableMapping[str, Any], schema_path: str | Path) -> None:
    """:func:`coerce_booleans` with the schema read from ``schema_path`` (config/schema.yaml)."""
    coerce_booleans(config, safe_load(Path(schema_path).read_text(encoding="utf-8")))


# --- the configuration a run sees, outside Snakemake --------------------------------------------


def merge(base: MutableMapping[str, Any], update: Mapping[str, Any]) -> MutableMapping[str, Any]:
    """Nested update, as Snakemake merges config files and --config (later values win)."""
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), MutableMapping):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def resolve_config(
    configfiles: Iterable[str | Path], overrides: Iterable[str] = ()
) -> dict[str, Any]:
    """The configuration Snakemake would build: ``configfiles`` in order (missing ones
    skipped), then ``--config KEY=VALUE`` overrides, parsed as Snakemake parses them."""
    from snakemake.cli import parse_config

    config: dict[str, Any] = {}
    for file in configfiles:
        if Path(file).is_file():
            merge(config, safe_load(Path(file).read_text(encoding="utf-8")) or {})
    return dict(merge(config, parse_config(list(overrides))))


def configfiles_in(snakemake_args: Sequence[str]) -> list[str]:
    """The files of ``--configfile``/``--configfiles`` among Snakemake arguments, in order."""
    files: list[str] = []
    taking = False
    for arg in snakemake_args:
        name, eq, value = arg.partition("=")
        if name in ("--configfile", "--configfiles"):
            taking = not eq
            if eq:
                files.append(value)
        elif taking and not arg.startswith("-"):
            files.append(arg)
        else:
            taking = False
    return files
