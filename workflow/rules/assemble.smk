# A batch's rows of every published table (inputs named after the table they feed, besides the
# stages that make documents) and of the catalog; publish commits them.
rule assemble:
    input:
        manifest=get_batch_manifest,
        ingested=batch_file("ingested.parquet"),
        cleaned=batch_file("cleaned.parquet"),
        detected=batch_file("detected.parquet"),
        annotated=batch_file("annotated.parquet"),
        removed=batch_file("removed.parquet"),
        sentences=batch_file("sentences.parquet"),
        entities=batch_file("entities.parquet"),
        quotes=batch_file("quotes.parquet"),
    output:
        **{table: temp(batch_file(f"final/{table}.parquet")) for table in BATCH_TABLES},
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
        fingerprint=FINGERPRINT,
    script:
        "../scripts/assemble.py"
