"""The report: corpus figures for Snakemake's report."""
