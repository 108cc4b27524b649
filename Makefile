# Kielce Smart City Benchmarks — the Makefile is the pipeline:
#   data/raw ──make data──▶ data/processed ──make reports──▶ build/ (executed notebooks) ──▶ reports/ (HTML)
# Run `make help` to list the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
# Inside the conda environment of environment.yml, use it; otherwise a .venv made with pip.
ifeq ($(CONDA_DEFAULT_ENV),kielce-smart-city)
  PY := python
  SETUP_CMD := $(PY) -m pip install --no-deps -e .
else
  PY := .venv/bin/python
  SETUP_CMD := $(PYTHON) -m venv .venv && $(PY) -m pip install --upgrade pip && $(PY) -m pip install -e '.[test]'
endif
STAMP := .venv/.installed-$(subst /,_,$(CONDA_DEFAULT_ENV))
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CITY ?= kielce

RAW := $(wildcard data/raw/*.tsv data/raw/*.csv data/raw/cities/*.csv)
LIB := $(wildcard src/analysis/*.py)
PROCESSED := data/processed/indicators.csv data/processed/maturity_scores.csv data/processed/published_means_check.csv

.PHONY: help setup data reports report test lab bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@mkdir -p .venv
	$(SETUP_CMD)
	@touch $@

setup: $(STAMP) ## create the environment (.venv with pip, or the active conda env) and install the package

$(PROCESSED) &: $(STAMP) $(RAW) $(LIB)
	$(PY) -m analysis data

data: $(PROCESSED) ## clean data/raw into the tidy tables in data/processed

reports: $(PROCESSED) ## publish every report to reports/ (HTML, CSV, index); unchanged reports are skipped
	$(PY) -m analysis reports --jobs $(JOBS)

report: $(PROCESSED) ## publish one city's benchmark: make report CITY=gdynia
	$(PY) -m analysis report --city $(CITY)

test: $(STAMP) ## run the test suite (notebook and browser tests included)
	$(PY) -m pytest

lab: $(PROCESSED) ## open JupyterLab on the project (kernel python3 has the analysis package)
	$(PY) -m jupyter lab --notebook-dir=.

bench: $(STAMP) ## measure build speed, scale and report sizes; writes benchmarks/RESULTS.md
	$(PY) benchmarks/run.py

clean: ## delete every build output (processed data, executed notebooks, reports)
	rm -rf data/processed build reports
