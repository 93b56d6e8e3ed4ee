# Configuration checks, the seed listing (once per run) and every input function.
import functools
import importlib.util
import os
from collections import defaultdict

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from newscorpus import __version__
from newscorpus.discover import discover, fingerprint, snakemake_safe
from newscorpus.settings import config_hash, stage_settings

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
SHARDS = list(range(config["shards"]))
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
def seeds_by_shard():
    """One pass over the seeds folder for the whole run, grouped by shard."""
    grouped = defaultdict(list)
    for seed in discover(
        config["seeds_dir"], config["shards"], config["allow_symlinks_outside_root"]
    ):
        grouped[seed.shard].append(seed)
    return grouped


def get_shard_seeds(wildcards):
    """Files the shard's ingest job reads: Snakemake tracks their content and the set."""
    return [
        s.path
        for s in seeds_by_shard()[int(wildcards.shard)]
        if s.status is None and snakemake_safe(s.path)
    ]


def get_shard_direct(wildcards):
    """Files the job reads that cannot be inputs ({ or } in the path would be wildcards).

    Their size and modification time are part of the parameter, so a change reruns the job.
    """
    return [
        [s.path, fingerprint(s.path)]
        for s in seeds_by_shard()[int(wildcards.shard)]
        if s.status is None and not snakemake_safe(s.path)
    ]


def get_shard_special(wildcards):
    """Entries of the shard that are never opened (links outside the root, FIFOs, ...)."""
    return [
        [s.doc_id, s.status, s.detail]
        for s in seeds_by_shard()[int(wildcards.shard)]
        if s.status is not None
    ]


def get_publish_inputs(wildcards):
    """Every shard's assembled tables and digest, in shard order."""
    names = ("documents", "sentences", "entities", "removed", "digest")
    return {
        name: expand(shard_file(f"final/{name}.{ext}"), shard=SHARDS)
        for name, ext in zip(names, ("parquet",) * 4 + ("json",))
    }


def get_final_outputs():
    return [f"{RESULTS}/tables/_published.json"]
