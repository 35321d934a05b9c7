# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Exact versions CI installs (ranges live in pyproject.toml).
CONSTRAINTS := constraints.txt

.PHONY: demo test test-fast lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml setup.py $(CONSTRAINTS)
	$(BIN)/pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[dev]"
	touch $@

## make demo: install, audit the demo corpus shipped in the package, print a summary
demo: $(VENV)/.installed
	$(BIN)/corpusgate demo --out demo-out

## make test: install with the dev extras and run the test suite
# pytest exits 5 when it collects no tests; make would turn that into a bare "Error 5".
test: $(VENV)/.installed-dev
	$(BIN)/pytest -q || { s=$$?; if [ $$s -eq 5 ]; then echo "pytest: no tests collected"; fi; exit $$s; }

## make test-fast: the inner loop: every test except whole-audit runs (marker e2e)
test-fast: $(VENV)/.installed-dev
	$(BIN)/pytest -q -m "not e2e"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed-dev
	$(BIN)/python scripts/bench_pipeline.py

clean:
	rm -rf $(VENV) demo-out build *.egg-info
