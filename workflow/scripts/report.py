"""Adapter: Snakemake rule ``report_figures`` -> :func:`newscorpus.report.write_figures`."""

from newscorpus.report.figures import write_figures
from newscorpus.util.logs import to_file

to_file(snakemake.log[0])
write_figures(
    results_dir=snakemake.params.results_dir,
    tables_uri=snakemake.params.tables_uri,
    benchmark_files=list(snakemake.params.benchmarks),
    outputs=dict(snakemake.output.items()),
)
