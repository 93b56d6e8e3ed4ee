rule tag_entities:
    input:
        cleaned=shard_file("cleaned.parquet"),
        detected=shard_file("detected.parquet"),
    output:
        docs=shard_file("entities.docs.parquet"),
        rows=shard_file("entities.rows.parquet"),
    log:
        log_file("tag_entities"),
    benchmark:
        benchmark_file("tag_entities")
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=240,
    params:
        settings=stage_settings(config, "entities"),
        models=config["spacy_models"],
        batch_size=config["entities"]["batch_size"],
        cache_dir=f"{RESULTS}/cache",
    script:
        "../scripts/entities.py"
