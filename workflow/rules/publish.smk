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
        # config tables_uri (file://, s3://, ...) or {results_dir}/tables.
        tables_uri=get_tables_root,
        shards=SHARDS,
        pipeline_version=PIPELINE_VERSION,
        config_hash=CONFIG_HASH,
    script:
        "../scripts/publish.py"
