# Everyday targets. Every target installs what it needs into .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
# The demo and the tests are offline by design: never let a stray key reach the network.
OFFLINE := env -u OPENAI_API_KEY -u OPENAI_BASE_URL -u OPENAI_ORG_ID -u OPENAI_PROJECT_ID \
	-u DISPATCH_OPENAI_API_KEY -u DISPATCH_OPENAI_BASE_URL DISPATCH_ENGINE=extractive

.PHONY: demo test install dev lint bench scale quality screenshots clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(STAMP)

install: $(STAMP)
dev: $(DEVSTAMP)

demo: $(STAMP)
	@$(OFFLINE) $(BIN)/dispatch --corpus seeds --db data/demo.db status minerals-deal

test: $(DEVSTAMP)
	$(OFFLINE) $(BIN)/python -m pytest -q

lint: $(DEVSTAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(OFFLINE) $(BIN)/python bench/run.py

# make scale [SIZES=1000,5000] [PGSIZES=1000] (PGSIZES= empty: SQLite only)
SIZES ?= 1000,5000,10000,20000
PGSIZES ?= 1000,5000
scale: $(DEVSTAMP)
	$(OFFLINE) $(BIN)/python bench/scale.py --sizes $(SIZES) $(if $(PGSIZES),--postgres --postgres-sizes $(PGSIZES))

quality: $(DEVSTAMP)
	$(OFFLINE) $(BIN)/python bench/quality/check_gold.py
	$(OFFLINE) $(BIN)/python bench/quality/score.py
	$(OFFLINE) $(BIN)/python bench/quality/dating.py

screenshots: $(DEVSTAMP)
	$(OFFLINE) SCREENSHOT_DIR=$(CURDIR)/docs $(BIN)/python -m pytest -q tests/discord/test_screenshots.py

clean:
	rm -rf $(VENV) data
