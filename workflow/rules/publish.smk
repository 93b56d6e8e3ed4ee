# The only writer of the Delta tables and the catalog: one commit per table per change set. The
# tables are not declared outputs (Snakemake deletes outputs before a job runs, which would drop
# their history); the change set's record is written after the commits.
rule publish:
    input:
        unpack(get_publish_inputs),
    output:
        temp(changeset_record("{changeset}")),
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


# The record, kept as the change set's flag. A run with nothing to do still names the last flag
# (the report figures stand on it), so this job is judged again then; publish's is not (its
# output is a temporary that is gone, as every batch file is), so no later edit of publish (its
# script, a parameter) reruns a change set already published. The one line below is this rule's
# code as Snakemake compares it: change it and every results folder's last change set is
# published again (keep_publish_record's body is free to change).
localrules:
    mark_published,


rule mark_published:
    input:
        changeset_record("{changeset}"),
    output:
        changeset_flag("{changeset}"),
    log:
        f"{RESULTS}/logs/mark_published/{{changeset}}.log",
    threads: 1
    resources:
        mem_mb=100,
        runtime=1,
    run:
        keep_publish_record(input[0], output[0], log[0])
