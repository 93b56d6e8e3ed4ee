rule clean:
    input:
        shard_file("ingested.parquet"),
    output:
        docs=shard_file("cleaned.parquet"),
        removed=shard_file("removed.parquet"),
    log:
        log_file("clean"),
    benchmark:
        benchmark_file("clean")
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        settings=stage_settings(config, "clean"),
        cache_dir=f"{RESULTS}/cache",
    script:
        "../scripts/clean.py"
