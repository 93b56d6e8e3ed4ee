rule clean:
    input:
        batch_file("ingested.parquet"),
    output:
        docs=temp(batch_file("cleaned.parquet")),
        removed=temp(batch_file("removed.parquet")),
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
        reuse=not config["force"],
    script:
        "../scripts/clean.py"
