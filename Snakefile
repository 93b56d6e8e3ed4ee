# newscorpus: scraped news articles in, clean versioned Delta tables out.
# Stages, in the order data flows through them; each runs once per batch of the run's change set
# (new, edited and removed documents), publish once per change set. A no-op run has no batch.
from pathlib import Path

from snakemake.utils import min_version

min_version("9.0")


# The config file lives beside the Snakefile, so `snakemake -s path/to/Snakefile -d elsewhere`
# works; --configfile and --config override it, and validate() in common.smk fills every key left
# unset from config/schema.yaml, the only place defaults are written.
configfile: Path(workflow.basedir) / "config" / "config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/detect.smk"
include: "workflow/rules/annotate.smk"
include: "workflow/rules/stories.smk"
include: "workflow/rules/assemble.smk"
include: "workflow/rules/publish.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        get_final_outputs,
