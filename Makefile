# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Test processes: one per core by default, each taking whole files (their fixtures and order kept);
# `make test WORKERS=0` runs in this process alone. The 25 slowest tests are listed at the end.
WORKERS ?= auto

.PHONY: install run test lint check clean messages

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## Set up, create the SQLite database with demo cases and a demo user, and serve the app at
## http://127.0.0.1:8000 (pages, JSON API at /api, OpenAPI at /docs). Ctrl-C stops.
run: install
	$(BIN)/ncpflow init --demo
	@PW=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))'); \
	if printf '%s\n' "$$PW" | $(BIN)/ncpflow users add demo --role handler --password-stdin \
	    --actor "make run"; then \
	  echo "sign in as: demo   password: $$PW   (shown once)"; \
	else echo "demo user exists; new password: $(BIN)/ncpflow users passwd demo"; fi
	$(BIN)/ncpflow serve --host 127.0.0.1 --port 8000

## Set up and run the whole test suite (SQLite, and PostgreSQL when installed).
## `make test` also measures branch coverage, prints it and fails below the floor (fail_under in
## pyproject.toml), as .ci/run does; it costs about a sixth more CPU (`make test COVERAGE=` skips it).
COVERAGE ?= 1
test: install
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile --durations=25 $(if $(COVERAGE),--cov --cov-report=term)

## Lint, type-check and check the layer rules.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy states workflow storage notifications ncpflow translations
	$(BIN)/lint-imports

check: lint test

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage .coverage.* htmlcov

## Extract the message catalogue's template (translations/ncpflow.pot) from the code and the
## templates (babel.cfg), and merge new strings into each language's .po to be translated.
messages: install
	$(BIN)/pybabel extract --mapping-file babel.cfg --no-location --sort-output \
	    --keywords N_ --no-wrap --project ncpflow --output-file translations/ncpflow.pot .
	$(BIN)/pybabel update --input-file translations/ncpflow.pot --output-dir translations/locale \
	    --domain ncpflow --no-fuzzy-matching --ignore-obsolete --no-wrap
	@# A fixed creation date: the catalogue changes only when its messages do (no merge conflicts).
	sed -i 's/^"POT-Creation-Date: .*"$$/"POT-Creation-Date: 2026-01-01 00:00+0000\\n"/' \
	    translations/ncpflow.pot translations/locale/*/LC_MESSAGES/ncpflow.po
