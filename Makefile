# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test lint check clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## Set up, create the SQLite database with demo cases, and show them with their due dates.
run: install
	$(BIN)/ncpflow init --demo

## Set up and run the whole test suite (SQLite, and PostgreSQL when installed).
test: install
	$(BIN)/python -m pytest

## Lint, type-check and check the layer rules.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy states workflow storage notifications ncpflow
	$(BIN)/lint-imports

check: lint test

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
