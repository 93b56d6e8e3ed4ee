rule ingest:
    input:
        get_batch_manifest,
    output:
        temp(batch_file("ingested.parquet")),
    log:
        log_file("ingest"),
    benchmark:
        benchmark_file("ingest")
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        # A function, so that Snakemake does not read braces in the path as wildcards.
        seeds_dir=lambda wildcards: config["seeds_dir"],
        settings=stage_settings(config, "ingest"),
    script:
        "../scripts/ingest.py"
