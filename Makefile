# Kielce Smart City Benchmarks — the Makefile is the pipeline:
#   data/raw ──make data──▶ data/processed ──make reports──▶ build/ (executed notebooks) ──▶ reports/ (HTML)
# Run `make help` to list the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
# Processes for `make test-fast` (pytest-xdist); its tests share no files, each works in its own tmp_path.
TEST_WORKERS ?= 2
# Inside the conda environment of environment.yml (which holds every extra), install only the package
# itself; otherwise a .venv made with pip, with only the extras a target needs: `make reports` the
# publishing packages, `make test` also [test], `make lab` also [lab] (JupyterLab).
ifeq ($(CONDA_DEFAULT_ENV),kielce-smart-city)
  PY := python
  LINT_IMPORTS := lint-imports
  INSTALL = $(PY) -m pip install --no-deps -e .
  STAMP = .venv/.installed-conda-$(subst /,_,$(CONDA_DEFAULT_ENV))
else
  PY := .venv/bin/python
  LINT_IMPORTS := .venv/bin/lint-imports
  INSTALL = $(PY) -m pip install -q -e '.$(if $(filter base,$(1)),,[$(1)])'
  STAMP = .venv/.installed-$(1)
endif
# What each kind of target needs installed first (the tests set these empty to use their own interpreter).
NEEDS_BASE := $(call STAMP,base)
NEEDS_TEST := $(call STAMP,test)
NEEDS_LAB := $(call STAMP,lab)

# --- the values of `make report` and `make reports` ---------------------------------------------
# CITY, REPORT, PARAMS, AS, JOBS and DRY_RUN reach `python -m analysis ... --from-env` through the
# environment (KIELCE_*), never pasted into a shell line: a quote, a space, a `;` or a `$(...)` in a
# value is only text. AS counts only when given on the command line, because GNU make predefines
# AS = as (the assembler), and a value from the environment may be the assembler too.
given = $(if $(filter command line environment,$(origin $(1))),$(value $(1)))
unexport CITY REPORT PARAMS AS JOBS DRY_RUN
report: export KIELCE_CITY = $(call given,CITY)
report: export KIELCE_REPORT = $(call given,REPORT)
report: export KIELCE_PARAMS = $(call given,PARAMS)
report: export KIELCE_AS = $(if $(filter command line,$(origin AS)),$(value AS))
report reports: export KIELCE_DRY_RUN = $(call given,DRY_RUN)
# Which were typed on the command line, even empty: `make report CITY=` is refused, not "no city".
report reports: export KIELCE_GIVEN = $(strip $(foreach v,CITY REPORT JOBS,$(if $(filter command line,$(origin $(v))),$(v))))
report reports: export KIELCE_JOBS = $(call given,JOBS)

# No file lists here: `python -m analysis` decides what is out of date (data/processed/.inputs and
# build/records/), so a deleted city file triggers a rebuild, a file name with a space needs no escaping,
# and an interrupted step never has make delete a file it did not write.
.PHONY: help setup data reports report test test-fast lint format i18n i18n-check chromium lab bench screenshots clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.venv/bin/python:
	@$(PYTHON) -m venv .venv || { rm -rf .venv; echo "error: '$(PYTHON) -m venv' failed; on Debian/Ubuntu install python3-venv (sudo apt-get install -y python3-venv)" >&2; exit 1; }

.venv/.installed-%: pyproject.toml | .venv/bin/python
	$(call INSTALL,$*)
	@touch $@

.venv/.installed-conda-%: pyproject.toml
	@mkdir -p .venv
	$(INSTALL)
	@touch $@

setup: $(NEEDS_TEST) ## create the environment (.venv with pip, or the active conda env) with the test tools

data: $(NEEDS_BASE) ## clean data/raw into the tidy tables in data/processed (skipped when nothing changed)
	$(PY) -m analysis data

reports: $(NEEDS_BASE) chromium ## publish every report of reports.yml in Polish and English to reports/, PDF profiles included [JOBS=2]
	$(PY) -m analysis reports --from-env

report: $(NEEDS_BASE) chromium ## one report: make report CITY=gdynia [PARAMS='max_year_gap=5; top_n=3' AS=gdynia-gap5] [DRY_RUN=1]
	$(PY) -m analysis report --from-env

test: $(NEEDS_TEST) chromium ## run the whole test suite (notebook and browser tests included; installs Chromium if needed)
	$(PY) -m pytest --durations=20

test-fast: $(NEEDS_TEST) ## the tests that start no kernel and no browser, in two processes (under a minute on 2 idle cores)
	$(PY) -m pytest -m "not slow" -q -n $(TEST_WORKERS)

lint: $(NEEDS_TEST) ## ruff check, ruff format --check, lint-imports, the catalogue up to date (changes nothing)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(LINT_IMPORTS)
	$(PY) -m analysis.text.catalogue --check

format: $(NEEDS_TEST) ## fix what ruff can fix and format the code
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

i18n: $(NEEDS_TEST) ## extract messages (pybabel), update the Polish catalogue; fails if anything is untranslated, fuzzy or unused
	$(PY) -m analysis.text.catalogue

i18n-check: $(NEEDS_TEST) ## change nothing; fail if messages.pot or the Polish messages.po is out of date or incomplete
	$(PY) -m analysis.text.catalogue --check

chromium: ## Debian's Chromium for the PDF profiles and the browser tests (found on PATH, else installed with apt-get)
	@bash .ci/chromium

lab: $(NEEDS_LAB) data ## open JupyterLab on the project (kernel python3 has the analysis package)
	$(PY) -m jupyter lab --notebook-dir=.

bench: $(NEEDS_BASE) ## measure build speed, scale and report sizes; writes benchmarks/RESULTS.md
	$(PY) benchmarks/run.py

screenshots: $(NEEDS_TEST) chromium reports ## the README's pictures: pages in headless Chromium at 1280 and 390 px (docs/*.png)
	$(PY) docs/screenshots.py

clean: ## delete every build output (processed data, executed notebooks, reports)
	rm -rf data/processed build reports
