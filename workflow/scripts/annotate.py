"""Adapter: Snakemake rule ``annotate`` -> :func:`newscorpus.stages.annotate.run`."""

from newscorpus.stages import annotate
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
annotate.run(
    cleaned=snakemake.input.cleaned,
    detected=snakemake.input.detected,
    settings=snakemake.params.settings,
    models=snakemake.params.models,
    batch_size=snakemake.params.batch_size,
    n_process=snakemake.threads,
    cache_dir=snakemake.params.cache_dir,
    batch=snakemake.wildcards.batch,
    places_file=snakemake.params.places_file,
    out_docs=snakemake.output.docs,
    out_sentences=snakemake.output.sentences,
    out_entities=snakemake.output.entities,
    out_quotes=snakemake.output.quotes,
    reuse=snakemake.params.reuse,
)
