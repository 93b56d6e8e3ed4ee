# Configuration checks, the seed listing (once per run) and every input function.
import functools
import importlib.util
import os

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from newscorpus import __version__
from newscorpus.ingest.discover import discover
from newscorpus.ingest.manifest import write_manifests
from newscorpus.config import (
    ConfigValueError,
    coerce_booleans_from,
    config_hash,
    stage_settings,
)
from newscorpus.tables.location import tables_root_of

# --config hands booleans over as text ("false"): read them as YAML would, then validate.
try:
    coerce_booleans_from(
        config, os.path.join(workflow.basedir, "config", "schema.yaml")
    )
except ConfigValueError as error:
    raise WorkflowError(str(error)) from None
validate(config, "../../config/schema.yaml")

if not os.path.isdir(config["seeds_dir"]):
    raise WorkflowError(
        f"seeds_dir {config['seeds_dir']!r} is not a folder (looked in {os.getcwd()}). "
        "Set it in config/config.yaml or with --config seeds_dir=PATH."
    )

_missing_models = [
    f"{language}: {package}"
    for language, package in config["spacy_models"].items()
    if importlib.util.find_spec(package) is None
]
if _missing_models:
    raise WorkflowError(
        "spaCy model(s) in spacy_models are not installed: "
        + ", ".join(_missing_models)
        + ". Install them (see requirements-models.txt) or remove them from the config."
    )

RESULTS = config["results_dir"]
if "{" in RESULTS or "}" in RESULTS:
    raise WorkflowError(
        f"results_dir {RESULTS!r} contains {{ or }}, which Snakemake reads as wildcards in "
        "output paths. Choose a folder name without braces."
    )
# Where the Delta tables live: the one answer every rule (and every reader) gets.
TABLES_ROOT = tables_root_of(config)
SHARDS = list(range(config["shards"]))
MANIFESTS = f"{RESULTS}/manifests"
PIPELINE_VERSION = __version__
CONFIG_HASH = config_hash(config)


wildcard_constraints:
    shard=r"\d+",


def shard_file(name):
    """Path pattern of one per-shard file."""
    return f"{RESULTS}/shards/{{shard}}/{name}"


def log_file(rule_name):
    return f"{RESULTS}/logs/{rule_name}/{{shard}}.log"


def benchmark_file(rule_name):
    return f"{RESULTS}/benchmarks/{rule_name}/{{shard}}.tsv"


@functools.cache
def write_shard_manifests():
    """One pass over the seeds folder for the whole run: a manifest per shard.

    Only the main process lists the folder; jobs (local or on a cluster) read the manifest it
    wrote, so a cluster job never rescans a large corpus.
    """
    if workflow.is_main_process:
        seeds = discover(
            config["seeds_dir"], config["shards"], config["allow_symlinks_outside_root"]
        )
        write_manifests(seeds, MANIFESTS, config["shards"])


def get_shard_manifest(wildcards):
    """The shard's listing: it changes when a seed of the shard is added, removed or edited."""
    write_shard_manifests()
    return f"{MANIFESTS}/{wildcards.shard}.jsonl"


def get_publish_inputs(wildcards):
    """Every shard's assembled tables and digest, in shard order."""
    names = ("documents", "sentences", "entities", "removed", "places", "digest")
    return {
        name: expand(shard_file(f"final/{name}.{ext}"), shard=SHARDS)
        for name, ext in zip(names, ("parquet",) * 5 + ("json",))
    }


def get_tables_root(wildcards):
    """Where publish writes the Delta tables and the report reads them (:data:`TABLES_ROOT`)."""
    return TABLES_ROOT


def get_final_outputs():
    """The published tables' flag and, unless switched off, the report's figures."""
    outputs = [f"{RESULTS}/tables/_published.json"]
    if config["report_figures"]:
        outputs += list(rules.report_figures.output)
    return outputs
