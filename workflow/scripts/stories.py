"""Adapter: Snakemake rule ``stories`` -> :func:`newscorpus.stages.stories.run`."""

from newscorpus.stages import stories
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
stories.run(
    cleaned=list(snakemake.input.cleaned),
    detected=list(snakemake.input.detected),
    index_dir=snakemake.params.index_dir,
    settings=snakemake.params.settings,
    out_stories=snakemake.output.stories,
    out_duplicates=snakemake.output.duplicates,
)
