"""Adapter: Snakemake rule ``ingest`` -> :func:`newscorpus.stages.ingest.run`."""

from newscorpus.logs import to_file
from newscorpus.stages import ingest

to_file(snakemake.log[0])
ingest.run(
    inputs=list(snakemake.input.seeds),
    special=snakemake.params.special,
    direct=snakemake.params.direct,
    seeds_dir=snakemake.params.seeds_dir,
    shard=int(snakemake.wildcards.shard),
    shards=snakemake.params.shards,
    settings=snakemake.params.settings,
    output=snakemake.output[0],
)
