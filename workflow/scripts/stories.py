"""Adapter: Snakemake rule ``stories`` -> :func:`newscorpus.stages.stories.run`."""

from newscorpus.stages import stories
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
stories.run(
    changes_file=snakemake.input.changes,
    documents=list(snakemake.input.documents),
    tables_uri=snakemake.params.tables_uri,
    state_uri=snakemake.params.state_uri,
    index_dir=snakemake.params.index_dir,
    settings=snakemake.params.settings,
    out_stories=snakemake.output.stories,
    out_duplicates=snakemake.output.duplicates,
    out_replace=snakemake.output.replace,
)
