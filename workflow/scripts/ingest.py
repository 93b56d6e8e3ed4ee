"""Adapter: Snakemake rule ``ingest`` -> :func:`newscorpus.stages.ingest.run`."""

from newscorpus.stages import ingest
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
ingest.run(
    manifest=snakemake.input[0],
    seeds_dir=snakemake.params.seeds_dir,
    batch=snakemake.wildcards.batch,
    settings=snakemake.params.settings,
    output=snakemake.output[0],
)
