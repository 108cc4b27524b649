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
CITY ?=
REPORT ?= score-dispersion
PARAMS ?=
AS ?=

# No file lists here: `python -m analysis` decides what is out of date (data/processed/.inputs and
# build/records/), so a deleted city file triggers a rebuild, a file name with a space needs no escaping,
# and an interrupted step never has make delete a file it did not write.
.PHONY: help setup data reports report test test-fast lab bench screenshots clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@mkdir -p .venv
	$(SETUP_CMD)
	@touch $@

setup: $(STAMP) ## create the environment (.venv with pip, or the active conda env) and install the package

data: $(STAMP) ## clean data/raw into the tidy tables in data/processed (skipped when nothing changed)
	$(PY) -m analysis data

reports: $(STAMP) ## publish every report of reports.yml in Polish and English to reports/; unchanged ones are skipped
	$(PY) -m analysis reports --jobs $(JOBS)

report: $(STAMP) ## one report: make report CITY=gdynia [PARAMS='max_year_gap=5; top_n=3' AS=gdynia-gap5]
	$(PY) -m analysis report $(if $(CITY),--city "$(CITY)",--report "$(REPORT)") $(if $(PARAMS),--params "$(PARAMS)") $(if $(AS),--as "$(AS)")

test: $(STAMP) ## run the whole test suite (notebook and browser tests included)
	$(PY) -m pytest

test-fast: $(STAMP) ## the tests that need no kernel and no browser (about a minute)
	$(PY) -m pytest -m "not slow" -q

lab: data ## open JupyterLab on the project (kernel python3 has the analysis package)
	$(PY) -m jupyter lab --notebook-dir=.

bench: $(STAMP) ## measure build speed, scale and report sizes; writes benchmarks/RESULTS.md
	$(PY) benchmarks/run.py

screenshots: reports ## the README's pictures: pages in headless Chromium at 1280 and 390 px (docs/*.png)
	$(PY) docs/screenshots.py

clean: ## delete every build output (processed data, executed notebooks, reports)
	rm -rf data/processed build reports
