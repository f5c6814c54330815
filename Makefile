# coop-review: two commands take a fresh clone to a result.
#   make review   set up (if needed), then regenerate the review of every sample year
#   make test     set up (if needed), then run all tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: setup review test test-fast lab sample-data clean-outputs

setup: $(READY)

# Re-install when the package definition changes.
$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(READY)

review: $(READY)
	$(BIN)/coop-review run --all

test: $(READY)
	$(BIN)/python -m pytest

test-fast: $(READY)
	$(BIN)/python -m pytest -m "not slow" tests

lab: $(READY)
	$(BIN)/jupyter lab --notebook-dir=.

sample-data: $(READY)
	$(BIN)/python scripts/make_sample_returns.py

clean-outputs:
	rm -rf data/processed reports
