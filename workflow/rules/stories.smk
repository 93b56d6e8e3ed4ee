# Exact and near copies across the whole corpus: one job per change set, after every batch's
# assemble (text, publication date, status), before publish. Signatures are computed for the
# batch documents only; the index of the others lives beside the outputs, not among them, so
# that Snakemake does not delete it before the job.
rule stories:
    input:
        changes=lambda wildcards: changeset_file(wildcards.changeset),
        documents=get_stories_documents,
    output:
        stories=temp(f"{RESULTS}/stories/changes/{{changeset}}/stories.parquet"),
        duplicates=temp(f"{RESULTS}/stories/changes/{{changeset}}/duplicates.parquet"),
        replace=temp(f"{RESULTS}/stories/changes/{{changeset}}/stories_replace.json"),
    log:
        f"{RESULTS}/logs/stories/{{changeset}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/stories/{{changeset}}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        settings=stage_settings(config, "stories"),
        index_dir=f"{RESULTS}/stories/index",
        tables_uri=get_tables_root,
        state_uri=lambda wildcards: STATE_URI,
    script:
        "../scripts/stories.py"
