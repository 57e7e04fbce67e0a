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

.PHONY: run test test-fast lint format migrate demo worker beat bench check-deploy css clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

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

check-deploy: $(STAMP)
	env -u DEBUG TALENTHUB_ENV=production SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=talenthub.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# GOV.UK Frontend's CSS and JavaScript, rebuilt from package.json (docs/frontend.md). Needs
# Node.js 20.19+ and npm, at development time only: the built files in static/govuk/ are
# committed, so neither `make run` nor the Docker image needs Node.
node_modules/.installed: package.json package-lock.json
	npm ci
	touch $@

css: node_modules/.installed
	npm run build

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules
