# The two commands a newcomer needs are `make serve` and `make test`; each first sets up whatever
# is missing (Python virtualenv and packages, npm assets, and for tests a Chromium).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
VENDOR := content/docs/assets/vendor
export CHROMIUM ?= /usr/bin/chromium
HOST   ?= 127.0.0.1:8000
comma  := ,

# mkdocs-material 9.8 prints an end-of-life banner on every build otherwise.
export NO_MKDOCS_2_WARNING := 1

# Every Python package, with its exact version and hashes: what `make` installs. `make lock`
# refreshes it from the ranges in pyproject.toml; `make canary` tests the newest releases instead.
LOCK   := requirements.txt
EXTRAS := test,bench,dev
CANARY := .venv-canary

.PHONY: serve build build-zensical pdf test lint pytest lock canary report reload-time bench screenshots setup assets chromium clean

serve: setup assets ## Preview with live reload (pages, data and templates; restart it after a change to plugins/)
	PRINT_PAGE=false $(BIN)/mkdocs serve --dev-addr $(HOST)

build: setup assets ## Strict build into site/
	$(BIN)/mkdocs build --strict

# The same site built by Zensical, the engine after MkDocs 1: `mi-survey export` renders every page
# with the survey's own render layer into build/export/ (plain Markdown and HTML, no plugin needed),
# which Zensical builds into site-zensical/. Zensical writes only below its project folder.
EXPORT := build/export
build-zensical: setup assets ## The site built by Zensical from `mi-survey export`, into site-zensical/
	$(BIN)/mi-survey export $(EXPORT)
	cd $(EXPORT) && $(abspath $(BIN))/zensical build --clean -f mkdocs.yml
	rm -rf site-zensical && mv $(EXPORT)/site site-zensical

pdf: build chromium ## The PDF edition: the print page printed by Chromium into site/survey.pdf
	$(BIN)/python scripts/pdf.py site site/survey.pdf

test: setup assets chromium ## Lint, types and every test, browser tests included
	@$(MAKE) --no-print-directory lint pytest

lint: setup ## ruff (lint and format) and mypy, as configured in pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# One worker per core (pytest-xdist), a test file per worker at a time (two files that share a
# visit of the site go together, see tests/conftest.py): the files' shared builds and browsers are
# made once per worker. Files go out in the order tests/conftest.py gives them (longest first),
# not xdist's (most tests first).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The tests start many Python processes (the workers, each build, mike, the exporter), each
# importing the generator. Where PYTHONDONTWRITEBYTECODE is set, as in many containers, every one
# compiled it from source again and pytest rewrote every test module again in each worker
# (`make test` took 82.6 s rather than 84.1 s, the means of six runs and two on the project's
# machine). The tests write their bytecode as Python does by default, into the __pycache__
# folders git ignores.
pytest: export PYTHONDONTWRITEBYTECODE :=
pytest: setup assets chromium
	$(BIN)/pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# Not after `setup`: its check fails while the lock is behind pyproject.toml, which is why one locks.
lock: ## Re-resolve requirements.txt from pyproject.toml's ranges (UPGRADE=pkg for one package)
	@test -x $(BIN)/pip-compile || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK); }
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --all-build-deps --strip-extras \
	  $(foreach extra,$(subst $(comma), ,$(EXTRAS)),--extra $(extra)) \
	  --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade-package $(UPGRADE),--upgrade) \
	  --output-file $(LOCK) pyproject.toml
	@echo "$(LOCK) updated: run 'make test', then commit it with pyproject.toml"

# The weekly canary: the newest releases pyproject.toml's ranges allow, in a virtualenv of their
# own, through the same lint and tests. It prints which versions differ from the lock.
canary: assets chromium ## Every test against the newest releases the ranges allow (not the lock)
	rm -rf $(CANARY)
	$(PYTHON) -m venv $(CANARY)
	$(CANARY)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e ".[$(EXTRAS)]"
	$(CANARY)/bin/python scripts/lock.py diff $(LOCK) $(CANARY)/bin/python
	@touch $(CANARY)/.installed
	@$(MAKE) --no-print-directory VENV=$(CANARY) lint pytest

report: build chromium ## Each page's bytes, requests, diagrams, console errors and accessibility, in Chromium
	$(BIN)/python scripts/site_report.py site

reload-time: setup assets ## Seconds from saving a YAML record to `mkdocs serve` showing the change
	$(BIN)/python scripts/measure_reload.py 5

bench: setup assets ## Build time and memory: our plugin vs pre-rendered vs mkdocs-macros, 3 scales
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)

screenshots: build chromium ## Desktop, phone and dark-mode screenshots of the main pages into screenshots/
	$(BIN)/python scripts/screenshots.py site screenshots

setup: $(VENV)/.installed

# Exactly the locked packages (hash-checked), then our own package on top without resolving
# anything; the two checks fail when pyproject.toml asks for something the lock does not hold.
$(VENV)/.installed: $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	$(BIN)/python scripts/lock.py check
	@touch $@

assets: $(VENDOR)/.installed

node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

# Mermaid's ES module build (it loads each diagram type's code on demand) and tablesort, copied
# where the site serves them: no page fetches code from a third-party host.
$(VENDOR)/.installed: node_modules/.package-lock.json
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/mermaid/chunks/mermaid.esm.min $(VENDOR)/tablesort
	cp node_modules/mermaid/dist/mermaid.esm.min.mjs $(VENDOR)/mermaid/
	cp node_modules/mermaid/dist/chunks/mermaid.esm.min/*.mjs $(VENDOR)/mermaid/chunks/mermaid.esm.min/
	cp node_modules/mermaid/LICENSE $(VENDOR)/mermaid/
	cp node_modules/tablesort/dist/tablesort.min.js node_modules/tablesort/dist/sorts/tablesort.number.min.js \
	   node_modules/tablesort/LICENCE $(VENDOR)/tablesort/
	@touch $@

chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "Installing Debian's chromium package for the browser tests"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else \
	  echo "The browser tests need Chromium at $(CHROMIUM). Install it with your package manager," \
	       "or run: make test CHROMIUM=/path/to/chromium" >&2; exit 1; \
	fi

clean:
	rm -rf site site-zensical build/export $(VENDOR) .pytest_cache .mypy_cache .ruff_cache $(CANARY)
