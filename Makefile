# The manual's verbs. Each target creates the environment first if it is missing.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
export KIZUNA_HOME ?= $(CURDIR)/data

.PHONY: help env browser run test test-fast test-e2e ui bench lint sample clean
CHROMIUM ?= /usr/bin/chromium

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

env: $(STAMP)  ## create .venv from requirements.lock (pinned) and install the project

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

browser:  ## Debian's Chromium for the browser test, installed with apt when missing (root or sudo)
	@test -x $(CHROMIUM) || { \
		SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
		$$SUDO apt-get install -y -q chromium || { $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }; }

run: env  ## generate a sample if $KIZUNA_HOME/landing is empty, then materialize everything
	$(BIN)/kizuna run

test: env browser  ## the whole suite: lint, unit, dbt, ingestion, Dagster end to end and the browser test
	$(BIN)/ruff check orchestration tests quality
	$(BIN)/ruff format --check orchestration tests quality
	$(BIN)/pytest

test-fast: env  ## the suite without the slow end-to-end runs
	$(BIN)/pytest -m "not slow"

test-e2e: env browser  ## the browser test alone: Playwright drives Chromium through the Dagster UI
	$(BIN)/pytest -m e2e

ui: env  ## the Dagster webserver on this project (http://127.0.0.1:3000)
	$(BIN)/kizuna ui

bench: env  ## benchmark at 200k customers against a plain DuckDB floor (not a test)
	$(BIN)/kizuna bench

lint: env  ## ruff on the Python code
	$(BIN)/ruff check orchestration tests quality
	$(BIN)/ruff format --check orchestration tests quality

sample: env  ## (re)generate the sample landing zone only: make sample ARGS="--customers 5000 --seed 7"
	$(BIN)/kizuna sample $(ARGS)

clean:  ## remove runtime state under the default KIZUNA_HOME and dbt's target
	rm -rf data dbt_project/target dbt_project/logs
