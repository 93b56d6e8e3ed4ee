"""One module per workflow stage. Each exposes ``run(...)`` taking paths and settings, so the
Snakemake scripts stay adapters and every stage can be tested without Snakemake."""
