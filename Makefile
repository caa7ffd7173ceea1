# Asar — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
FLASK  := $(BIN)/flask
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?=

export FLASK_APP := run.py
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

.PHONY: install run test translations extract-messages update-translations serve clean load

install: $(STAMP) translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip 2>/dev/null || true
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]' 2>&1 | sed '/is ignored: it is neither a file nor a directory/d'
	$(BIN)/python -c "import flask, flask_sqlalchemy, reportlab, qrcode, pytest"
	touch $(STAMP)

# axe-core (package.json) for the browser accessibility tests; re-installed when the lock changes.
$(NODE_STAMP): $(or $(wildcard package-lock.json),package.json)
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js with npm (e.g. apt-get install nodejs npm); the browser tests need axe-core from package.json" >&2; exit 1; }
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	test -f node_modules/axe-core/axe.min.js
	touch $(NODE_STAMP)

# Compiled catalogues (.mo) are build output, not kept in git.
translations: $(STAMP)
	$(BIN)/pybabel compile -q -d app/translations --use-fuzzy 2>/dev/null || $(BIN)/pybabel compile -d app/translations

run: install
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	@echo ""
	@echo "Asar is running on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Production serving: gunicorn sized by gunicorn.conf.py. Set ASAR_ENV=production, SECRET_KEY and
# DATABASE_URL (PostgreSQL); see "Running a real forum" in the README.
serve: install
	$(FLASK) db upgrade
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py run:app

# The morning-rush load test (bench/load/README.md): locust in its own venv, gunicorn + PostgreSQL on loopback.
load: install
	test -x bench/load/.venv/bin/python || $(PYTHON) -m venv bench/load/.venv
	test -x bench/load/.venv/bin/locust || bench/load/.venv/bin/python -m pip install --quiet --disable-pip-version-check 'locust>=2.20' 2>&1 | sed '/is ignored: it is neither a file nor a directory/d'
	$(BIN)/python bench/load/run.py

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output --project Asar .

update-translations: extract-messages
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache node_modules
	find . -name __pycache__ -prune -exec rm -rf {} +
