# The two commands: `make run` and `make test`. Needs only python3 and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=
# make test spreads the suite over the machine's two cores (pytest-xdist; TEST_WORKERS=0 runs it in one process).
TEST_WORKERS ?= 2

.PHONY: run test test-postgres test-clock lint format audit bench chromium faketime clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py setup_schedules
	$(PY) manage.py seed_demo
	PORT=$(PORT) HOST=$(HOST) bin/serve

test: $(VENV)/.dev chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The same suite against PostgreSQL (DATABASE_URL must point at it; .ci/run sets it).
test-postgres: $(VENV)/.dev chromium
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The SQLite suite with the wall clock of every process moved to CLOCK_DATE (YYYY-MM-DD, Asia/Shanghai) by
# faketime: proves no test depends on the real date. .ci/run picks two dates from the day it runs.
test-clock: $(VENV)/.dev chromium faketime
	@test -n "$(CLOCK_DATE)" || { echo "make test-clock CLOCK_DATE=YYYY-MM-DD" >&2; exit 2; }
	bin/at-date $(CLOCK_DATE) $(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Static analysis and known-vulnerable dependencies (tests/security/test_audit.py runs both in
# `make test`; here pip-audit resolves requirements.txt from scratch, as a fresh install would).
audit: $(VENV)/.dev
	$(VENV)/bin/bandit -r . -x ./.venv,./tests,./bench,./var,./staticfiles -q
	$(VENV)/bin/pip-audit --strict -r requirements.txt

bench: $(VENV)/.dev
	$(PY) -m bench.run $(if $(QUICK),--quick,)

# Browser tests drive Debian's chromium; install it from Debian's packages when missing.
chromium:
	@bin/ensure-chromium

faketime:
	@bin/ensure-faketime

clean:
	rm -rf $(VENV) staticfiles var/cache
