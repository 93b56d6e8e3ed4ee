# Exact and near copies across the whole corpus: one job per run, after every shard's clean and
# detect (the publication date picks a story's first member). The index of signatures lives
# beside the outputs, not among them, so that Snakemake does not delete it before the job.
rule stories:
    input:
        cleaned=expand(shard_file("cleaned.parquet"), shard=SHARDS),
        detected=expand(shard_file("detected.parquet"), shard=SHARDS),
    output:
        stories=f"{RESULTS}/stories/stories.parquet",
        duplicates=f"{RESULTS}/stories/duplicates.parquet",
    log:
        f"{RESULTS}/logs/stories.log",
    benchmark:
        f"{RESULTS}/benchmarks/stories.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        settings=stage_settings(config, "stories"),
        index_dir=f"{RESULTS}/stories/index",
    script:
        "../scripts/stories.py"
