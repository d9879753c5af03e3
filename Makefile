# The two commands a newcomer needs (see README):
#   make site   builds the example council's public site into site/
#   make test   installs what the tests need (browser included) and runs the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONWARNDEFAULTENCODING := 1

.PHONY: site internal test lint golden bench preview clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when the package's dependencies change.
$(VENV)/.site-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.site-installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

site: $(VENV)/.site-installed
	$(BIN)/yourreview build

internal: $(VENV)/.site-installed
	$(BIN)/yourreview build --audience internal

preview: $(VENV)/.site-installed
	$(BIN)/yourreview preview

test: $(VENV)/.test-installed
	bash scripts/install-test-tools.sh
	$(MAKE) lint
	$(BIN)/pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# Rewrite the golden letters after an intended change to the templates; review the diff.
golden: $(VENV)/.test-installed
	$(BIN)/pytest tests/test_letters.py --update-golden

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site site-internal .pytest_cache .mypy_cache .ruff_cache
