# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install serve test lint openapi clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(STAMP)

serve: install  ## run the service on 127.0.0.1:8000 (SQLite, ./data/storage, local runner)
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
