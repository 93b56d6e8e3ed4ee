# Configuration checks, the change set (computed once per run) and every input function.
import functools
import importlib.util
import json
import os

from snakemake.exceptions import WorkflowError
from snakemake.io import strip_wildcard_constraints
from snakemake.utils import validate

from newscorpus import __version__
from newscorpus.config import (
    ConfigValueError,
    coerce_booleans_from,
    config_hash,
    stage_settings,
)
from newscorpus.ingest import changes as change_set
from newscorpus.ingest.discover import discover
from newscorpus.ingest.manifest import entry_of
from newscorpus.tables import TABLES
from newscorpus.tables.location import tables_root_of
from newscorpus.tables.schemas import CHANGESET_TABLES
from newscorpus.tables.publish import pending_path, read_pending
from newscorpus.util.hashing import code_fingerprint, settings_hash

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
STATE_URI = f"{RESULTS}/state/catalog"
PIPELINE_VERSION = __version__
CONFIG_HASH = config_hash(config)
# What made a document's rows: the code (package source) and every result-shaping setting.
# A document published under another fingerprint is recomputed (reuse keys decide how much).
FINGERPRINT = settings_hash(
    {"code": code_fingerprint(), "version": PIPELINE_VERSION, "config": CONFIG_HASH}
)
PUBLISHED = ["catalog", *TABLES]
# What each batch's assemble writes (the stories job writes the others once per change set).
BATCH_TABLES = [t for t in PUBLISHED if t not in CHANGESET_TABLES]


wildcard_constraints:
    batch=r"[0-9a-f]{16}",
    changeset=r"[0-9a-f]{16}",


def batch_file(name):
    """Path pattern of one per-batch file (temporary: gone once the batch is published)."""
    return f"{RESULTS}/batches/{{batch}}/{name}"


def log_file(rule_name):
    return f"{RESULTS}/logs/{rule_name}/{{batch}}.log"


def benchmark_file(rule_name):
    return f"{RESULTS}/benchmarks/{rule_name}/{{batch}}.tsv"


@functools.cache
def get_changes():
    """The run's change set: one listing of the seeds folder, compared with the catalog.

    Only the main process lists the folder and writes the batch manifests; jobs (local or on a
    cluster) read the manifest of their batch, so a cluster job never rescans a large corpus.
    """
    if not workflow.is_main_process:
        return change_set.ChangeSet(None)
    seeds = discover(config["seeds_dir"], config["allow_symlinks_outside_root"])
    catalog, previous = change_set.read_catalog(STATE_URI, TABLES_ROOT)
    pending = frozenset(read_pending(pending_path(STATE_URI)))
    changes = change_set.plan(
        [entry_of(seed) for seed in seeds],
        catalog,
        previous,
        FINGERPRINT,
        config["seeds_dir"],
        change_set.Limits(spread=config["shards"], **config["batches"]),
        TABLES_ROOT,
        verify=config["verify"],
        force=config["force"],
        pending=pending,
    )
    change_set.write(changes, RESULTS)
    return changes


def get_batch_manifest(wildcards):
    return f"{RESULTS}/batches/{wildcards.batch}.jsonl"


def changeset_file(changeset):
    return f"{RESULTS}/changes/{changeset}.json"


def changeset_flag(changeset):
    """The flag publish leaves once the change set is committed."""
    return f"{RESULTS}/changes/{changeset}.done"


def get_changeset_batches(wildcards):
    with open(changeset_file(wildcards.changeset), encoding="utf-8") as handle:
        return json.load(handle)["batches"]


def get_publish_inputs(wildcards):
    """The change set's file and, per published table, every batch's rows (in batch order)."""
    batches = get_changeset_batches(wildcards)
    inputs = {"changes": changeset_file(wildcards.changeset)}
    for table in BATCH_TABLES:
        inputs[table] = [
            f"{RESULTS}/batches/{batch}/final/{table}.parquet" for batch in batches
        ]
    inputs.update(stories_files(wildcards.changeset))
    return inputs


def stories_files(changeset):
    """The change set's stories job outputs: story columns, duplicates rows, what they replace."""
    folder = f"{RESULTS}/stories/changes/{changeset}"
    return {
        "stories": f"{folder}/stories.parquet",
        "duplicates": f"{folder}/duplicates.parquet",
        "stories_replace": f"{folder}/stories_replace.json",
    }


def get_stories_documents(wildcards):
    """Every batch's assembled documents of the change set (their text, date and status)."""
    return [
        f"{RESULTS}/batches/{batch}/final/documents.parquet"
        for batch in get_changeset_batches(wildcards)
    ]


def get_tables_root(wildcards):
    """Where publish writes the Delta tables and the report reads them (:data:`TABLES_ROOT`)."""
    return TABLES_ROOT


def latest_changeset():
    """This run's change set, or the last published one when nothing changed (then up to date)."""
    changes = get_changes()
    return changes.id or changes.previous


def get_final_outputs(wildcards):
    """The change set's published flag and, unless switched off, the report's figures."""
    changeset = latest_changeset()
    if changeset is None:
        return []
    flag = changeset_flag(changeset)
    figures = list(rules.report_figures.output) if config["report_figures"] else []
    if get_changes().id is None:
        if not os.path.exists(flag):
            return []
        # Nothing to do stands on the last change set's record (written by this process, made
        # by no job); asking for its flag would rerun its jobs wherever a setting that shapes no
        # table (a batch size, force) differs now.
        return [changeset_file(changeset), *figures]
    return [flag, *figures]


def get_report_benchmarks(wildcards):
    """Every benchmark file of the latest change set's jobs (per batch for batch rules, one for
    publish), taken from the rules included above: a new stage shows up in the run time figures
    without an edit here."""
    changeset = latest_changeset()
    if changeset is None:
        return []
    with open(changeset_file(changeset), encoding="utf-8") as handle:
        batches = json.load(handle)["batches"]
    return sorted(
        {
            benchmark
            for rule_ in workflow.rules
            if rule_.benchmark is not None and rule_.name != "report_figures"
            for benchmark in expand(
                strip_wildcard_constraints(str(rule_.benchmark)),
                batch=batches,
                changeset=changeset,
            )
        }
    )


def get_report_flag(wildcards):
    """The figures follow this run's publish; with nothing to do, the last change set's record
    (so they are drawn only when missing)."""
    changes = get_changes()
    if changes.id is not None:
        return [changeset_flag(changes.id)]
    return [changeset_file(changes.previous)] if changes.previous else []
