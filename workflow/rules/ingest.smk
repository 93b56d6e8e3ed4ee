rule ingest:
    input:
        seeds=get_shard_seeds,
    output:
        shard_file("ingested.parquet"),
    params:
        special=get_shard_special,
        seeds_dir=config["seeds_dir"],
        shards=config["shards"],
        settings=stage_settings(config, "ingest"),
    log:
        log_file("ingest"),
    benchmark:
        benchmark_file("ingest")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    script:
        "../scripts/ingest.py"
