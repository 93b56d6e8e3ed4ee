# Figures for `snakemake --report`, drawn from the published tables and the benchmark files.
# Part of `rule all` (config report_figures, default true), so that `snakemake --report FILE`
# after a run has every figure; drawing them costs about 3 s on runs that changed something.


# Cheap and reads the published tables: on a cluster it runs on the submit host.
localrules:
    report_figures,


rule report_figures:
    input:
        published=get_report_flag,
    output:
        languages=report(
            f"{RESULTS}/report/languages.svg",
            caption="../report/languages.rst",
            category="1. Corpus",
        ),
        weeks=report(
            f"{RESULTS}/report/weeks.svg",
            caption="../report/weeks.rst",
            category="1. Corpus",
        ),
        status=report(
            f"{RESULTS}/report/status.svg",
            caption="../report/status.rst",
            category="1. Corpus",
        ),
        stories=report(
            f"{RESULTS}/report/stories.svg",
            caption="../report/stories.rst",
            category="1. Corpus",
        ),
        entities_person=report(
            f"{RESULTS}/report/entities_person.svg",
            caption="../report/entities_person.rst",
            category="2. Entities",
        ),
        entities_gpe=report(
            f"{RESULTS}/report/entities_gpe.svg",
            caption="../report/entities_gpe.rst",
            category="2. Entities",
        ),
        entities_org=report(
            f"{RESULTS}/report/entities_org.svg",
            caption="../report/entities_org.rst",
            category="2. Entities",
        ),
        people_timeline=report(
            f"{RESULTS}/report/people_timeline.svg",
            caption="../report/people_timeline.rst",
            category="2. Entities",
        ),
        quoted_people=report(
            f"{RESULTS}/report/quoted_people.svg",
            caption="../report/quoted_people.rst",
            category="2. Entities",
        ),
        places_map=report(
            f"{RESULTS}/report/places_map.svg",
            caption="../report/places_map.rst",
            category="2. Entities",
        ),
        places_top=report(
            f"{RESULTS}/report/places_top.svg",
            caption="../report/places_top.rst",
            category="2. Entities",
        ),
        removed_per_document=report(
            f"{RESULTS}/report/removed_per_document.svg",
            caption="../report/removed_per_document.rst",
            category="3. Cleaning",
        ),
        removed_by_kind=report(
            f"{RESULTS}/report/removed_by_kind.svg",
            caption="../report/removed_by_kind.rst",
            category="3. Cleaning",
        ),
        runtime=report(
            f"{RESULTS}/report/runtime.svg",
            caption="../report/runtime.rst",
            category="4. Run time and memory",
        ),
        memory=report(
            f"{RESULTS}/report/memory.svg",
            caption="../report/memory.rst",
            category="4. Run time and memory",
        ),
    log:
        f"{RESULTS}/logs/report_figures.log",
    benchmark:
        f"{RESULTS}/benchmarks/report_figures.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        # From the input path rather than config, as the linter asks.
        results_dir=lambda wildcards, input: os.path.dirname(
            os.path.dirname(input.published[0])
        ),
        # Where publish wrote the tables (config tables_uri or {results_dir}/tables).
        tables_uri=get_tables_root,
        benchmarks=get_report_benchmarks,
    script:
        "../scripts/report.py"
