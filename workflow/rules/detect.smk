rule detect:
    input:
        ingested=batch_file("ingested.parquet"),
        cleaned=batch_file("cleaned.parquet"),
    output:
        temp(batch_file("detected.parquet")),
    log:
        log_file("detect"),
    benchmark:
        benchmark_file("detect")
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        settings=stage_settings(config, "detect"),
        cache_dir=f"{RESULTS}/cache",
        reuse=not config["force"],
    script:
        "../scripts/detect.py"
