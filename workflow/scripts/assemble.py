"""Adapter: Snakemake rule ``assemble`` -> :func:`newscorpus.stages.assemble.run`."""

from newscorpus.stages import assemble
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
assemble.run(
    inputs=dict(snakemake.input.items()),
    outputs=dict(snakemake.output.items()),
    batch=snakemake.wildcards.batch,
    pipeline_version=snakemake.params.pipeline_version,
    config_hash=snakemake.params.config_hash,
    fingerprint=snakemake.params.fingerprint,
)
