# Sentences (senter) and entities (ner) share one spaCy pass: one tokenization, one model load.
# Quotes and their speakers come from the same sentences and entities, in the same job.
rule annotate:
    input:
        cleaned=batch_file("cleaned.parquet"),
        detected=batch_file("detected.parquet"),
    output:
        docs=temp(batch_file("annotated.parquet")),
        sentences=temp(batch_file("sentences.parquet")),
        entities=temp(batch_file("entities.parquet")),
        quotes=temp(batch_file("quotes.parquet")),
    log:
        log_file("annotate"),
    benchmark:
        benchmark_file("annotate")
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=240,
    params:
        settings=stage_settings(config, "annotate"),
        models=config["spacy_models"],
        batch_size=config["entities"]["batch_size"],
        cache_dir=f"{RESULTS}/cache",
        reuse=not config["force"],
        # Its content hash is in settings (the reuse key); the path only says where to read it.
        places_file=config["entities"]["places_file"],
    script:
        "../scripts/annotate.py"
