# One command for the demo, one for the tests. Both create the virtual environment when needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PACKAGES := ./akeneo-client ./sandbox ./sdm_transform ./tap-akeneo ./target-akeneo
STAMP := $(VENV)/.installed

.PHONY: install test demo lint bench clean

$(STAMP): requirements-dev.txt $(addsuffix /pyproject.toml,$(PACKAGES))
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		$(addprefix -e ,$(PACKAGES)) -r requirements-dev.txt
	MELTANO_SEND_ANONYMOUS_USAGE_STATS=false $(BIN)/meltano install
	@touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python demo/run_demo.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy akeneo-client/akeneo_client sandbox/akeneo_sandbox sdm_transform/sdm_transform \
		tap-akeneo/tap_akeneo target-akeneo/target_akeneo

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .meltano .pytest_cache
