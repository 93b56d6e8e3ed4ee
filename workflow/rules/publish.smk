# The only writer of the Delta tables and the catalog: one commit per table per change set. The
# tables are not declared outputs (Snakemake deletes outputs before a job runs, which would drop
# their history); the change set's flag is written after the commits.
rule publish:
    input:
        unpack(get_publish_inputs),
    output:
        changeset_flag("{changeset}"),
    log:
        f"{RESULTS}/logs/publish/{{changeset}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/publish/{{changeset}}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        # config tables_uri (file://, s3://, ...) or {results_dir}/tables.
        tables_uri=get_tables_root,
        state_uri=lambda wildcards: STATE_URI,
        summary=f"{RESULTS}/tables/_published.json",
        batches=get_changeset_batches,
        pipeline_version=PIPELINE_VERSION,
        config_hash=CONFIG_HASH,
        file_bytes=config["publish_file_bytes"],
    script:
        "../scripts/publish.py"
