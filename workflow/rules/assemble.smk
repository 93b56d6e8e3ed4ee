# A shard's rows of every published table, and their digests (publish commits what changed).
rule assemble:
    input:
        ingested=shard_file("ingested.parquet"),
        cleaned=shard_file("cleaned.parquet"),
        removed=shard_file("removed.parquet"),
        detected=shard_file("detected.parquet"),
        annotated=shard_file("annotated.parquet"),
        sentences=shard_file("sentences.parquet"),
        entities=shard_file("entities.parquet"),
    output:
        documents=shard_file("final/documents.parquet"),
        sentences=shard_file("final/sentences.parquet"),
        entities=shard_file("final/entities.parquet"),
        removed=shard_file("final/removed.parquet"),
        places=shard_file("final/places.parquet"),
        digest=shard_file("final/digest.json"),
    log:
        log_file("assemble"),
    benchmark:
        benchmark_file("assemble")
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        pipeline_version=PIPELINE_VERSION,
        config_hash=CONFIG_HASH,
    script:
        "../scripts/assemble.py"
