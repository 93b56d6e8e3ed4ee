"""Which configuration shapes which stage, and the provenance derived from it.

Only values that change results enter a stage's settings: paths, the shard count and tuning
knobs (batch sizes) do not, so moving the project or resharding never invalidates results, and
``config_hash`` is the same on every machine.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from newscorpus.util.hashing import settings_hash

STAGES = ("ingest", "clean", "detect", "annotate")


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
            "places": _place_sources(entities.get("places_file") or ""),
        }
    raise ValueError(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")


def config_hash(config: dict[str, Any]) -> str:
    """Hash of every result-shaping setting of every stage."""
    return settings_hash({stage: stage_settings(config, stage) for stage in STAGES})
