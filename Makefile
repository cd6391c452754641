# The two commands of the README:
#   make demo   installs monev and runs it on the embedded default (SQLite + demo data, the web
#               app and a worker); `make demo PORT=8080` serves on another port
#   make test   installs monev with its test tools and runs the whole suite (lint, import layers,
#               types, tests on SQLite and on PostgreSQL). `.ci/run` runs exactly this.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/monev
PORT ?= 8000

.PHONY: demo test install install-dev lint typecheck test-sqlite test-postgres messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	scripts/install-system-deps

# The demo prints the time from the start of `make demo` (install included) to a served dashboard.
demo:
	@start=$$(date +%s); $(MAKE) --no-print-directory install && \
	MONEV_DEBUG=true $(BIN)/monev demo --port $(PORT) --since $$start

lint:
	$(BIN)/ruff check monev tests tools $(wildcard bench)
	$(BIN)/ruff format --check monev tests tools $(wildcard bench)
	$(BIN)/lint-imports --cache-dir $(CURDIR)/var/import-linter

typecheck:
	MONEV_DEBUG=true MONEV_HOME=$(CURDIR)/var/typecheck $(BIN)/mypy monev

test-sqlite:
	MONEV_HOME=$(CURDIR)/var/test-sqlite $(BIN)/pytest -q -p no:cacheprovider

test-postgres:
	scripts/ensure-postgres
	MONEV_HOME=$(CURDIR)/var/test-postgres DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider

test: install-dev lint typecheck test-sqlite test-postgres

messages:
	cd monev && PYTHONPATH=.. ../$(BIN)/python -m django makemessages -l en -i "migrations/*" --settings=monev.settings
	cd monev && PYTHONPATH=.. ../$(BIN)/python -m django compilemessages --settings=monev.settings

# Security proof (docs/security.md): scope matrix, fuzzing, API schema fuzzing, faults,
# privacy scan after the demo on both engines, 10-minute load. About 25 minutes; every step
# runs, and the target fails if any step failed.
check-security:
	@status=0; \
	MONEV_HOME=$(CURDIR)/var/check-security MONEV_API_FUZZ_EXAMPLES=50 $(BIN)/pytest -q -p no:cacheprovider tests/scope tests/prove tests/core/test_security.py || status=1; \
	scripts/privacy-after-demo || status=1; \
	scripts/ensure-postgres && DATABASE_URL=$(dir $(PG_URL))postgres scripts/privacy-after-demo || status=1; \
	$(BIN)/python bench/faults.py || status=1; \
	$(BIN)/python bench/faults.py --postgres $(dir $(PG_URL))postgres --restart-postgres || status=1; \
	$(BIN)/python bench/load.py || status=1; \
	exit $$status
