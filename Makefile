# Two commands for a new user (see README):  make demo   and   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export GX_ANALYTICS_ENABLED ?= false

.PHONY: setup demo test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)  ## virtualenv with the pinned dependencies

demo: $(STAMP)  ## set up, run the flow on the bundled sample dumps, write the report
	$(BIN)/broadsheet run samples/inbox
	$(BIN)/broadsheet report

test: $(STAMP)  ## the whole test suite (what CI runs)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(STAMP)  ## extraction quality and throughput benchmarks (needs ../shared/bench); see bench/README.md
	$(BIN)/python bench/text_bench.py
	$(BIN)/python bench/text_speed.py
	$(BIN)/python bench/html_bench.py
	$(BIN)/python bench/meta_bench.py
	$(BIN)/python bench/throughput.py --docs 1000
	$(BIN)/python bench/throughput.py --docs 6250
	$(BIN)/python bench/adversarial.py

clean:
	rm -rf $(VENV) data bench/out
