"""Adapter: Snakemake rule ``assemble_shard`` -> :func:`newscorpus.stages.assemble.run`."""

from newscorpus.logs import to_file
from newscorpus.stages import assemble

to_file(snakemake.log[0])
assemble.run(
    inputs=dict(snakemake.input.items()),
    outputs=dict(snakemake.output.items()),
    shard=int(snakemake.wildcards.shard),
    pipeline_version=snakemake.params.pipeline_version,
    config_hash=snakemake.params.config_hash,
)
