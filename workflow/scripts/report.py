"""Adapter: Snakemake rule ``report_figures`` -> :func:`newscorpus.report.write_figures`."""

from newscorpus.logs import to_file
from newscorpus.report import write_figures

to_file(snakemake.log[0])
write_figures(
    results_dir=snakemake.params.results_dir,
    benchmark_files=list(snakemake.input.benchmarks),
    outputs=dict(snakemake.output.items()),
)
