# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# One stamp per install: serving needs only the package, the tests also its dev tools.
SERVE_STAMP := $(VENV)/.installed-serve
DEV_STAMP   := $(VENV)/.installed-dev

.PHONY: install install-serve serve test lint openapi sdk clean

$(SERVE_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

# The dev install holds everything serving needs, so it stamps both.
$(DEV_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[dev]'
	touch $@ $(SERVE_STAMP)

install-serve: $(SERVE_STAMP)

install: $(DEV_STAMP)

serve: install-serve  ## run the service on 127.0.0.1:8000 (SQLite, ./data/storage, local runner)
	$(BIN)/resnet-studio serve

lint: install
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy

test: lint  ## install, lint, type-check and run every test
	$(BIN)/python -m pytest

openapi: install  ## regenerate the committed contract from the app
	$(BIN)/resnet-studio openapi --output openapi.yaml

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache

# The Python SDK, generated from the committed contract (tests/test_generated_client.py fails
# on drift): run after `make openapi`, and commit clients/python.
sdk: install
	PATH=$(BIN):$$PATH $(BIN)/openapi-python-client generate --path openapi.yaml \
	  --config clients/openapi-python-client.yaml --meta setup \
	  --output-path clients/python --overwrite
