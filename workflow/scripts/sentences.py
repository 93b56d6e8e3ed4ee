"""Adapter: Snakemake rule ``split_sentences`` -> :func:`newscorpus.stages.sentences.run`."""

from newscorpus.logs import to_file
from newscorpus.stages import sentences

to_file(snakemake.log[0])
sentences.run(
    cleaned=snakemake.input.cleaned,
    detected=snakemake.input.detected,
    settings=snakemake.params.settings,
    models=snakemake.params.models,
    batch_size=snakemake.params.batch_size,
    cache_dir=snakemake.params.cache_dir,
    shard=int(snakemake.wildcards.shard),
    out_docs=snakemake.output.docs,
    out_rows=snakemake.output.rows,
)
