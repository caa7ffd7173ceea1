# Asar — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
FLASK  := $(BIN)/flask
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?=

export FLASK_APP := run.py
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

.PHONY: install run test translations extract-messages update-translations serve clean

install: $(STAMP) translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip 2>/dev/null || true
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]' 2>&1 | sed '/is ignored: it is neither a file nor a directory/d'
	$(BIN)/python -c "import flask, flask_sqlalchemy, reportlab, qrcode, pytest"
	touch $(STAMP)

# Compiled catalogues (.mo) are build output, not kept in git.
translations: $(STAMP)
	$(BIN)/pybabel compile -q -d app/translations --use-fuzzy 2>/dev/null || $(BIN)/pybabel compile -d app/translations

run: install
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	@echo ""
	@echo "Asar is running on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Production-style serving: gunicorn (set DATABASE_URL, SECRET_KEY and ASAR_ENV=production).
serve: install
	$(FLASK) db upgrade
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 3 --threads 4 --access-logfile - run:app

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output --project Asar .

update-translations: extract-messages
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
