# Suivi — `make run` starts everything, `make test` checks everything. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_STAMP := var/.apt-updated

.DEFAULT_GOAL := help
.PHONY: help setup lock system-packages run test lint test-python test-ui fuzz bench eval clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# -- set-up: each step runs only when its inputs changed ------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Exactly the versions of the lock, each file checked against its hash; then Suivi itself,
# editable. tests/test_dependency_lock.py fails when pyproject.toml and the lock disagree:
# run `make lock`.
$(VENV)/.installed: pyproject.toml requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $@

# uv resolves for every platform (--universal) on Python 3.11; the runtime pins bind the dev
# lock (-c), so the image (requirements.txt) and the tests (requirements-dev.txt) run the same.
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --universal --python-version 3.11
lock: $(VENV)/.installed ## pin pyproject.toml's dependencies again, with hashes (requirements*.txt)
	$(LOCK) --output-file requirements.txt
	$(LOCK) --extra dev --constraint requirements.txt --output-file requirements-dev.txt

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(shell find frontend/src frontend/index.html frontend/vite.config.ts -type f 2>/dev/null)
	cd frontend && npm run build --silent

# Debian packages the tests drive: a browser, a PostgreSQL server, docker-compose to check the compose file,
# nginx to run the Compose nginx configuration in front of a service, promtool to check the alert rules.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing="$$missing nginx-light"; \
	command -v promtool >/dev/null || missing="$$missing prometheus"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

setup: $(VENV)/.installed frontend/dist/index.html ## install what is missing (Python, npm, UI build)

# -- the two commands ----------------------------------------------------------------------------

run: setup ## start Suivi on http://127.0.0.1:8000 (ingests the sample corpus on first start)
	$(BIN)/suivi run

test: setup system-packages lint test-python test-ui ## lint, every Python suite (incl. browser e2e), UI unit tests

lint: $(VENV)/.installed ## ruff, the import boundaries between services, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=libs/suivi_testing $(BIN)/lint-imports  # the tests' support is not installed
	$(BIN)/mypy

test-python: $(VENV)/.installed frontend/dist/index.html ## pytest: services, cross-service, end to end, browser
	$(BIN)/pytest

test-ui: frontend/node_modules/.installed ## vitest unit tests of the UI
	cd frontend && npm test --silent

fuzz: $(VENV)/.installed ## long property-based fuzzing of every API
	SUIVI_FUZZ_EXAMPLES=2000 $(BIN)/pytest tests/test_fuzz_api.py

bench: $(VENV)/.installed ## every benchmark; figures go to docs/benchmarks.md by hand
	for script in $(filter-out bench/receiver.py,$(wildcard bench/*.py)); do $(BIN)/python $$script || exit 1; done

# The provided evaluation set (third-party texts, never committed) sits beside the repository when present.
SUIVI_EVAL_EXTRA ?= ../shared/eval/extra

eval: $(VENV)/.installed ## score the extractor on the samples, and on the provided set when present
	@mkdir -p var/eval
	$(BIN)/suivi extract --format jsonl samples/corpus/*.txt > var/eval/samples.jsonl
	@$(BIN)/python eval/report.py eval/gold var/eval/samples.jsonl --title "sample documents (samples/corpus)"
	@if [ -d "$(SUIVI_EVAL_EXTRA)/docs" ] && [ -d "$(SUIVI_EVAL_EXTRA)/gold" ]; then \
	  $(BIN)/suivi extract --format jsonl $(SUIVI_EVAL_EXTRA)/docs/*.txt > var/eval/provided.jsonl && \
	  $(BIN)/python eval/report.py $(SUIVI_EVAL_EXTRA)/gold var/eval/provided.jsonl \
	    --title "provided set ($(SUIVI_EVAL_EXTRA))"; \
	else \
	  echo "provided set not found at $(SUIVI_EVAL_EXTRA), skipped (set SUIVI_EVAL_EXTRA to its folder)"; \
	fi
	@SUIVI_EVAL_EXTRA=$(SUIVI_EVAL_EXTRA) $(BIN)/python eval/train_topics.py

clean: ## remove build output and local data (not .venv)
	rm -rf var frontend/dist .pytest_cache .ruff_cache
