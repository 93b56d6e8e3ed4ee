"""Adapter: Snakemake rule ``clean`` -> :func:`newscorpus.stages.clean.run`."""

from newscorpus.stages import clean
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
clean.run(
    ingested=snakemake.input[0],
    settings=snakemake.params.settings,
    cache_dir=snakemake.params.cache_dir,
    batch=snakemake.wildcards.batch,
    out_docs=snakemake.output.docs,
    out_removed=snakemake.output.removed,
    reuse=snakemake.params.reuse,
)
