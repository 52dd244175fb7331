# Two commands for a newcomer: `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install install-test translations run worker test lint format

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	$(PY) -m babel.messages.frontend compile --use-fuzzy -d webinars/translations >/dev/null

# The app with its worker, on SQLite, with demo data: http://127.0.0.1:5000
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Starting the worker and the web server on http://$(HOST):$(PORT) (Ctrl-C stops both)"
	$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host $(HOST) --port $(PORT)

worker: install
	$(FLASK) worker

# The whole suite. PostgreSQL tests run when TEST_DATABASE_URL is set, browser tests
# when Chromium is installed, Redis and Zoom-contract tests when those are there; otherwise
# they skip with a reason (listed by reason at the end). With CI=true, anything missing
# fails the run instead, and so does any skip not on tests/skip_report.py's allow-list.
test: install-test
	$(PY) -m pytest -n auto --dist loadfile -q $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
