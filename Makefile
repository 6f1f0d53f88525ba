# The two commands a newcomer needs are `make serve` and `make test`; each first sets up whatever
# is missing (Python virtualenv and packages, npm assets, and for tests a Chromium).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
VENDOR := content/docs/assets/vendor
export CHROMIUM ?= /usr/bin/chromium
HOST   ?= 127.0.0.1:8000

# mkdocs-material 9.8 prints an end-of-life banner on every build otherwise.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test report reload-time bench screenshots setup assets chromium clean

serve: setup assets ## Preview with live reload (data, templates and the generator are watched)
	$(BIN)/mkdocs serve --dev-addr $(HOST)

build: setup assets ## Strict build into site/
	$(BIN)/mkdocs build --strict

test: setup assets chromium ## Every test, browser tests included
	$(BIN)/pytest

report: build chromium ## Each page's bytes, requests, diagrams, console errors and accessibility, in Chromium
	$(BIN)/python scripts/site_report.py site

reload-time: setup assets ## Seconds from saving a YAML record to `mkdocs serve` showing the change
	$(BIN)/python scripts/measure_reload.py 5

bench: setup assets $(VENV)/.bench-installed ## Build time and memory: our plugin vs pre-rendered vs mkdocs-macros, 3 scales
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

screenshots: build chromium ## Desktop, phone and dark-mode screenshots of the main pages into screenshots/
	$(BIN)/python scripts/screenshots.py site screenshots

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
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
	rm -rf site $(VENDOR) .pytest_cache
