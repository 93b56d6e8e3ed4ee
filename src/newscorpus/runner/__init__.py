"""Run plumbing behind ``newscorpus run`` and ``newscorpus watch``.

``lock`` (one run per results folder, recovery after a killed run), ``run`` (one Snakemake run and
its summary line), ``progress`` (what a person in a terminal sees while it works) and ``watch``
(a run whenever the seeds folder has changed and gone quiet).
"""
