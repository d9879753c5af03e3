# The two commands a newcomer needs (see README):
#   make site   builds the example council's public site into site/
#   make test   installs what the tests need (browser included) and runs the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONWARNDEFAULTENCODING := 1

.PHONY: site internal test lint golden bench preview upgrade schemas clean

UV := $(BIN)/uv
# uv installs exactly what uv.lock names (the versions the tests last passed with) into .venv,
# using this machine's Python: it never downloads an interpreter.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
UV_SYNC := $(UV) sync --locked --inexact --quiet

# uv itself comes from PyPI, pinned by hash (requirements/uv.txt). pip predates
# PYTHONWARNDEFAULTENCODING and would print its EncodingWarnings, so it runs without it.
$(UV):
	$(PYTHON) -m venv $(VENV)
	env -u PYTHONWARNDEFAULTENCODING $(BIN)/python -m pip install -q --require-hashes -r requirements/uv.txt

# Reinstall only when the lock changes.
$(VENV)/.site-installed: uv.lock pyproject.toml | $(UV)
	$(UV_SYNC)
	touch $@

$(VENV)/.test-installed: uv.lock pyproject.toml | $(UV)
	$(UV_SYNC) --extra test
	touch $@ $(VENV)/.site-installed

# The example's answers go into its answers store as the README's "The example council's
# answers" imports them (tests/test_example_answers.py holds the two together). Importing again
# changes nothing, so make imports only when a file in feedback/ is newer than the store.
EXAMPLE_ANSWERS := $(shell find feedback/exports feedback/paper feedback/received -type f 2>/dev/null)
answers.sqlite3: $(EXAMPLE_ANSWERS) | $(VENV)/.site-installed
	$(BIN)/yourreview import feedback/exports/2024-25/after-review.xlsx feedback/exports/2024-25/carer.csv
	$(BIN)/yourreview import feedback/exports/2025-26/after-review-2025-10-06.xlsx feedback/exports/2025-26/after-review-2026-03-30.xlsx
	$(BIN)/yourreview import --encoding cp1252 feedback/exports/2025-26/carer.csv
	$(BIN)/yourreview import feedback/paper feedback/received
	touch $@

site: $(VENV)/.site-installed answers.sqlite3
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
	# mypy opens files without naming the encoding; the warning is about its code, not ours.
	env -u PYTHONWARNDEFAULTENCODING $(BIN)/mypy

# Rewrite the golden letters after an intended change to the templates; review the diff.
golden: $(VENV)/.test-installed
	$(BIN)/pytest tests/test_letters.py --update-golden

# After changing a declaration in src/yourreview/kinds.py: the JSON Schemas, VS Code's map of
# files to schemas and the README's tables of fields, made afresh. Commit what changed.
schemas: $(VENV)/.site-installed
	$(BIN)/yourreview schema

# BENCH_N=100,1000 for fewer sizes (10,000 takes long on a shared 2-core machine).
bench: $(VENV)/.test-installed
	BENCH_N="$(BENCH_N)" $(BIN)/python benchmarks/run.py

# The newest versions PyPI serves that pyproject.toml's ranges allow: rewrite uv.lock, then
# run the whole suite against them. Commit uv.lock only if it passes.
upgrade: | $(UV)
	$(UV) lock --upgrade
	$(MAKE) test

clean:
	rm -rf site site-internal .pytest_cache .mypy_cache .ruff_cache
