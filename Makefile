# Two entry points that work on a fresh machine with only Python and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SCENARIO ?= scenarios/kherson-2022-11.yaml
RUNS   ?= 4000
SAMPLES ?= 4000

.PHONY: demo test install clean bench serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the package metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all]'
	touch $(STAMP)

install: $(STAMP)

# The main job on the Kherson scenario: paired policy comparison, then an
# exploration (sensitivity, scenario discovery, truce map) and its HTML report.
demo: $(STAMP)
	$(BIN)/ceasefire compare $(SCENARIO) --runs $(RUNS) --record-every 61 --out out/kherson-2022-11 --force
	$(BIN)/ceasefire explore $(SCENARIO) --samples $(SAMPLES) --map-runs 100 --out out/kherson-explore --force
	$(BIN)/ceasefire report out/kherson-explore --force
	@echo "report: out/kherson-explore/report.html; summary: out/kherson-2022-11/summary.md"

# The suite on WORKERS processes (pytest-xdist, a test file per worker at a time), then the tests that
# assert a response time alone (marker `serial`), so the other worker's load cannot fail them.
WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist loadfile -m "not serial"
	$(BIN)/python -m pytest -q -m serial

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/explore.py
	$(BIN)/python benchmarks/evidence.py
	$(BIN)/python benchmarks/dashboard.py

serve: $(STAMP)
	$(BIN)/ceasefire serve $(SCENARIO)

clean:
	rm -rf out .pytest_cache
