rule split_sentences:
    input:
        cleaned=shard_file("cleaned.parquet"),
        detected=shard_file("detected.parquet"),
    output:
        docs=shard_file("sentences.docs.parquet"),
        rows=shard_file("sentences.rows.parquet"),
    log:
        log_file("split_sentences"),
    benchmark:
        benchmark_file("split_sentences")
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=60,
    params:
        settings=stage_settings(config, "sentences"),
        models=config["spacy_models"],
        batch_size=config["entities"]["batch_size"],
        cache_dir=f"{RESULTS}/cache",
    script:
        "../scripts/sentences.py"
