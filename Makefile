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

# uv, used only by `make lock`, in a throwaway virtualenv: never installed into .venv.
UV_VERSION ?= 0.13.8

.PHONY: run test test-postgres test-clock lint format audit bench examday cluster-check chromium libreoffice faketime lock clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Installs come from the lock files (every package, transitive ones too, pinned with its hashes), never from
# requirements*.txt directly: pip refuses a file whose hash is not in the lock.
$(VENV)/.runtime: requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev: requirements.lock requirements-dev.lock | $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.runtime

# The demo app (demo/: seed_demo) is installed only with DEMO=1, as here.
run: export DEMO := 1
# The public address QR codes, feeds, the sitemap and emails name: the address served, unless SITE_URL is given.
run: export SITE_URL := $(shell HOST='$(HOST)' PORT='$(PORT)' bin/site-url)
run: $(VENV)/.runtime
	bin/init-var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py setup_schedules
	$(PY) manage.py seed_demo
	PORT=$(PORT) HOST=$(HOST) bin/serve

test: $(VENV)/.dev chromium libreoffice
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The same suite against PostgreSQL (DATABASE_URL must point at it; .ci/run sets it).
test-postgres: $(VENV)/.dev chromium libreoffice
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The SQLite suite with the wall clock of every process moved to CLOCK_DATE (YYYY-MM-DD, Asia/Shanghai) by
# faketime: proves no test depends on the real date. .ci/run picks two dates from the day it runs.
test-clock: $(VENV)/.dev chromium libreoffice faketime
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

# The exam-day scenario (bench/examday.py): N staff sit the 100-question exam at once, N raised until p95 > 1 s;
# writes bench/examday.md. SMOKE=1: 25 people for 40 s on each database, checking only that nothing is lost.
examday: $(VENV)/.dev
	$(PY) -m bench.examday $(if $(SMOKE),--levels 25 --window 40 --no-report,)

# Two web nodes and two job clusters on this machine behind Debian's haproxy, sharing PostgreSQL and Redis
# (bench/cluster.py): the page cache, sign-in lock, quiz limit and scheduled jobs hold across them.
# EXAMDAY=N also runs the exam day with N people against one node and through the balancer.
cluster-check: $(VENV)/.dev
	$(PY) -m bench.cluster $(if $(EXAMDAY),--examday $(EXAMDAY),)

# Browser tests drive Debian's chromium; install it from Debian's packages when missing.
chromium:
	@bin/ensure-chromium

faketime:
	@bin/ensure-faketime

# The spreadsheet tests print each export with Debian's LibreOffice Calc and look at the pages (tests/spreadsheets.py).
libreoffice:
	@bin/ensure-libreoffice

# Regenerates requirements.lock and requirements-dev.lock from requirements*.txt after a pin changes there
# (tests/test_requirements.py fails until it is run). The runtime lock is constrained by the dev lock, so both
# pin every shared package to the same version. Hashes cover every file PyPI has for each version.
LOCK_OPTIONS = --quiet --generate-hashes --universal --python-version 3.11 --annotation-style line --custom-compile-command "make lock"
lock:
	@tools="$$(mktemp -d)" && trap 'rm -rf "$$tools"' EXIT && \
	$(PYTHON) -m venv "$$tools" && "$$tools/bin/pip" install -q "uv==$(UV_VERSION)" && \
	"$$tools/bin/uv" pip compile $(LOCK_OPTIONS) requirements-dev.txt -o requirements-dev.lock && \
	"$$tools/bin/uv" pip compile $(LOCK_OPTIONS) requirements.txt -c requirements-dev.lock -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles var/cache
