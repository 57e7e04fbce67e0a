# TalentHub. `make run` and `make test` do all set-up on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The development profile: DEBUG on (unless DEBUG is set), the development secret key.
# The settings default to production, so a server nobody configured never runs with DEBUG
# on; this Makefile is the developer's entry point, so its targets run as "dev".
# check-deploy overrides it to check the production profile.
export TALENTHUB_ENV ?= dev

# pip itself, pinned like everything else (the lock files pin the rest, with hashes).
PIP_VERSION := 26.3
PIP_TOOLS_VERSION := 7.6.2
LOCK_VENV := .venv-lock
LOCK_ARGS ?=
BACKUP_DIR ?= var/backups

.PHONY: install lock run test test-fast lint format migrate demo worker beat bench bench-pages \
	check-deploy backup restore css clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The locked set (docs/operations.md, "Dependencies"): exactly these versions, and only files
# whose hashes are listed. The project itself installs nothing (pyproject.toml, packages = []).
$(STAMP): requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Re-resolve the lock files from pyproject.toml, keeping every pin that still fits; pass
# LOCK_ARGS="--upgrade-package NAME" (or "--upgrade") to move on. docs/operations.md.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || ( $(PYTHON) -m venv $(LOCK_VENV) \
		&& $(LOCK_VENV)/bin/python -m pip install --quiet pip==$(PIP_VERSION) \
			pip-tools==$(PIP_TOOLS_VERSION) )
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
		--no-emit-find-links $(LOCK_ARGS) -o requirements.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra dev -c requirements.txt $(LOCK_ARGS) \
		-o requirements-dev.txt pyproject.toml

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite: unit, request-level, concurrency (PostgreSQL) and browser tests.
# Two workers on two cores; set PYTEST_ARGS="-n0" to run in one process.
test: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(STAMP)
	$(BIN)/celery -A talenthub worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A talenthub beat --loglevel=INFO

bench: $(STAMP)
	$(BIN)/python -m bench

# Every main page and admin changelist on gunicorn + PostgreSQL at 10× the demo, against a
# one-query list served alongside (docs/benchmarks.md). Needs DATABASE_URL (PostgreSQL):
# it creates and drops a database of its own there. BENCH_ARGS="--scale 100" for 100×.
BENCH_ARGS ?=
bench-pages: $(STAMP)
	$(BIN)/python -m bench bench_pages $(BENCH_ARGS)

check-deploy: $(STAMP)
	env -u DEBUG TALENTHUB_ENV=production SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=talenthub.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# A PostgreSQL dump (custom format) and a tar of MEDIA_ROOT, side by side in
# BACKUP_DIR/<UTC timestamp>/; `make restore BACKUP=that directory` puts both back, replacing
# what is there (docs/operations.md, "Backup and restore").
backup: $(STAMP)
	$(BIN)/python manage.py backup --backup-dir "$(BACKUP_DIR)"

restore: $(STAMP)
	test -n "$(BACKUP)" || { echo "Give BACKUP=<a directory made by make backup>"; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)" --yes

# GOV.UK Frontend's CSS and JavaScript, rebuilt from package.json (docs/frontend.md). Needs
# Node.js 20.19+ and npm, at development time only: the built files in static/govuk/ are
# committed, so neither `make run` nor the Docker image needs Node.
node_modules/.installed: package.json package-lock.json
	npm ci
	touch $@

css: node_modules/.installed
	npm run build

clean:
	rm -rf $(VENV) $(LOCK_VENV) staticfiles .pytest_cache .ruff_cache node_modules
