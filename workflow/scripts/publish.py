"""Adapter: Snakemake rule ``publish`` -> :func:`newscorpus.tables.publish.publish`."""

from newscorpus.tables.publish import publish
from newscorpus.util.files import write_json
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
STORIES = ("stories", "duplicates", "stories_replace")  # one file per change set, not per batch
tables = [name for name in snakemake.input.keys() if name not in ("changes", *STORIES)]  # noqa: SIM118 - Namedlist
batch_outputs = {
    batch: {table: snakemake.input[table][i] for table in tables}
    for i, batch in enumerate(snakemake.params.batches)
}
summary = publish(
    tables_uri=snakemake.params.tables_uri,
    state_uri=snakemake.params.state_uri,
    changes_file=snakemake.input.changes,
    batch_outputs=batch_outputs,
    pipeline_version=snakemake.params.pipeline_version,
    config_hash=snakemake.params.config_hash,
    file_bytes=snakemake.params.file_bytes,
    stories={name: snakemake.input[name] for name in STORIES},
)
write_json(summary, snakemake.params.summary)
write_json(summary, snakemake.output[0])
