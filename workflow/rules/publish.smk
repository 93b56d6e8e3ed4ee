rule assemble_shard:
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
        digest=shard_file("final/digest.json"),
    log:
        log_file("assemble_shard"),
    benchmark:
        benchmark_file("assemble_shard")
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


# The only writer of the Delta tables. They are not declared outputs: Snakemake deletes outputs
# before a job runs, which would drop the tables' history. The flag is written after the commits.
rule publish:
    input:
        unpack(get_publish_inputs),
    output:
        f"{RESULTS}/tables/_published.json",
    log:
        f"{RESULTS}/logs/publish.log",
    benchmark:
        f"{RESULTS}/benchmarks/publish.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        # config tables_uri (file://, s3://, ...) or the folder of the flag file.
        tables_uri=lambda wildcards, output: config["tables_uri"]
        or os.path.dirname(output[0]),
        shards=SHARDS,
        pipeline_version=PIPELINE_VERSION,
        config_hash=CONFIG_HASH,
    script:
        "../scripts/publish.py"
