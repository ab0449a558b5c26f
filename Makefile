# Two entry points: `make run` (set up + ingest seeds/) and `make test` (set up + run the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: setup browser postgres run ui test test-postgres bench screenshots lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	# Bytecode written once here, so no command compiles modules from source (PYTHONDONTWRITEBYTECODE is
	# common in containers). compileall, not uv's --compile-bytecode: uv skips compiling when it has
	# nothing to install, which left existing virtualenvs without bytecode.
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing npm from Debian (for the offline Data Docs and report assets)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "npm is missing: apt-get install npm" >&2; exit 1; fi; }
	$(BIN)/python -m expectations.docs_assets   # Data Docs' CSS and scripts from npm, for offline pages
	touch $@

setup: $(VENV)/.installed

# Headless Chromium and its WebDriver for the report, Data Docs and Prefect UI tests, from Debian's
# packages (needs root): both are checked, since the UI test needs chromedriver as well.
BROWSER_PARTS := chromium chromedriver
browser:
	@missing=$$(for part in $(BROWSER_PARTS); do command -v $$part >/dev/null 2>&1 || printf '%s ' $$part; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $${missing}from Debian (chromium chromium-driver)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "missing $${missing}: browser tests will be skipped (apt-get install chromium chromium-driver)"; fi; \
	fi

# PostgreSQL server binaries for the PostgreSQL-catalog test pass, from Debian's packages (needs root).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL is missing: apt-get install postgresql" >&2; exit 1; fi; }

# The end-to-end tests again with a PostgreSQL catalog (a throwaway server on 127.0.0.1).
E2E_TESTS := tests/test_pipeline.py tests/test_readers.py tests/test_views.py tests/test_reliability_crash.py \
	tests/test_entity_pipeline.py tests/test_cli.py
test-postgres: setup postgres
	WIREHOUSE_TEST_CATALOG=postgres $(BIN)/python -m pytest $(E2E_TESTS)

run: setup
	$(BIN)/wirehouse run

# Local Prefect server and UI on http://127.0.0.1:4200 (telemetry off); Ctrl-C stops it.
ui: setup
	$(BIN)/wirehouse ui

test: setup browser
	$(BIN)/python -m pytest

# Pipeline benchmark on 10k Reuters-21578 articles from ../shared/corpus, then the hostile-input
# benchmark (generated files of copies and of one word); both write docs/BENCHMARKS.md.
bench: setup
	$(BIN)/python -m bench.pipeline --articles 10000 --write docs/BENCHMARKS.md
	$(BIN)/python -m bench.hostile_input --write docs/BENCHMARKS.md

# The README's screenshots (docs/report.png, docs/prefect-run.png) from a real run over seeds/.
screenshots: setup browser
	$(BIN)/python -m tests.screenshots --out docs

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra train --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) data
