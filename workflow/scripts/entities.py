"""Adapter: Snakemake rule ``tag_entities`` -> :func:`newscorpus.stages.entities.run`."""

from newscorpus.logs import to_file
from newscorpus.stages import entities

to_file(snakemake.log[0])
entities.run(
    cleaned=snakemake.input.cleaned,
    detected=snakemake.input.detected,
    settings=snakemake.params.settings,
    models=snakemake.params.models,
    batch_size=snakemake.params.batch_size,
    n_process=snakemake.threads,
    cache_dir=snakemake.params.cache_dir,
    shard=int(snakemake.wildcards.shard),
    out_docs=snakemake.output.docs,
    out_rows=snakemake.output.rows,
)
