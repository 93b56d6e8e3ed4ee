"""Adapter: Snakemake rule ``publish`` -> :func:`newscorpus.publish.publish`."""

from newscorpus.tables.publish import publish
from newscorpus.util.files import write_json
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
shard_outputs = {
    shard: {name: snakemake.input[name][i] for name in snakemake.input.keys()}  # noqa: SIM118 - Namedlist iterates files
    for i, shard in enumerate(snakemake.params.shards)
}
summary = publish(
    tables_uri=snakemake.params.tables_uri,
    shard_outputs=shard_outputs,
    pipeline_version=snakemake.params.pipeline_version,
    config_hash=snakemake.params.config_hash,
)
write_json(summary, snakemake.output[0])
