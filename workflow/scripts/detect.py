"""Adapter: Snakemake rule ``detect`` -> :func:`newscorpus.stages.detect.run`."""

from newscorpus.stages import detect
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
detect.run(
    ingested=snakemake.input.ingested,
    cleaned=snakemake.input.cleaned,
    settings=snakemake.params.settings,
    cache_dir=snakemake.params.cache_dir,
    batch=snakemake.wildcards.batch,
    output=snakemake.output[0],
    reuse=snakemake.params.reuse,
)
