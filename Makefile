# concern-screener: the front door. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SCREENER := $(VENV)/bin/screener
STAMP := $(VENV)/.installed
DEMO_ROWS ?= 30000
DEMO_DATA := data/demo/contacts.parquet
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup demo demo-data demo-train demo-keys serve test test-fast lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## create .venv with the project and its dev tools

browser-deps: ## Debian's Chromium for the browser tests (needs root)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

demo-data: $(STAMP) ## generate and validate a demo dataset
	$(SCREENER) data generate --rows $(DEMO_ROWS) --seed 1 --out $(DEMO_DATA)
	$(SCREENER) data validate $(DEMO_DATA)

demo: demo-data ## generate data, validate, train, register, promote, create keys, serve
	@echo "demo: generated and validated $(DEMO_DATA)"

test: $(STAMP) ## the whole test suite (CI runs this)
	$(PY) -m pytest -q $(PYTEST_ARGS)

test-fast: $(STAMP) ## unit tests only
	$(PY) -m pytest -q tests/unit $(PYTEST_ARGS)

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check training serving tests bench
	$(VENV)/bin/mypy training serving

bench: $(STAMP) ## benchmarks that print their figures
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean: ## remove generated data, stores and the venv
	rm -rf $(VENV) data/demo mlflow.db mlruns audit.db reports
