# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Exact versions CI installs (ranges live in pyproject.toml).
CONSTRAINTS := constraints.txt

.PHONY: demo test test-fast lint bench clean runners flink-demo spark-demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml setup.py $(CONSTRAINTS)
	$(BIN)/pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[dev,train]"
	touch $@

## make demo: install, audit the demo corpus shipped in the package, print a summary
demo: $(VENV)/.installed
	$(BIN)/corpusgate demo --out demo-out

# Beam's job servers for Flink and Spark (scripts/fetch_runners.sh, docs/runners.md).
FLINK_VERSION ?= 1.20
RUNNERS_DIR ?= .cache/runners
BEAM_VERSION := $(shell sed -n 's/^apache-beam==\([0-9.]*\).*/\1/p' $(CONSTRAINTS))
FETCH_RUNNERS := CORPUSGATE_RUNNERS_DIR=$(RUNNERS_DIR) FLINK_VERSION=$(FLINK_VERSION) scripts/fetch_runners.sh

## make runners: fetch Beam's Flink and Spark job-server jars with Maven
runners:
	$(FETCH_RUNNERS)

## make flink-demo / spark-demo: the demo audit on an embedded Flink cluster or a local
## Spark, started by Beam from the job-server jar; SDK workers in this process (LOOPBACK)
flink-demo: $(VENV)/.installed
	$(FETCH_RUNNERS) flink
	$(BIN)/corpusgate demo --out demo-out-flink --runner=FlinkRunner '--flink_master=[local]' \
	    --flink_version=$(FLINK_VERSION) --environment_type=LOOPBACK \
	    --flink_job_server_jar=$(RUNNERS_DIR)/beam-runners-flink-$(FLINK_VERSION)-job-server-$(BEAM_VERSION).jar

spark-demo: $(VENV)/.installed
	$(FETCH_RUNNERS) spark
	$(BIN)/corpusgate demo --out demo-out-spark --runner=SparkRunner '--spark_master_url=local[2]' \
	    --environment_type=LOOPBACK \
	    --spark_job_server_jar=$(RUNNERS_DIR)/beam-runners-spark-3-job-server-$(BEAM_VERSION).jar

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
	rm -rf $(VENV) demo-out demo-out-flink demo-out-spark build *.egg-info
