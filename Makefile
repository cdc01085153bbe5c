# Empreinte — two commands for a fresh Debian 12 machine: `make demo` and `make test`.
# Each sets itself up: system libraries for WeasyPrint and the PDF checks (apt-get when root, else
# the exact command is printed), a virtualenv in .venv, and the package with its test extras.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
                libfontconfig1 fonts-dejavu-core fonts-noto-cjk fonts-symbola poppler-utils
STAMP := $(VENV)/.installed

.PHONY: demo test setup system lint typecheck docs bench clean

demo: setup
	$(BIN)/empreinte demo --out empreinte-demo
	@echo "Open empreinte-demo/report.pdf (French) and empreinte-demo/report.en.pdf (English)."

test: setup
	$(BIN)/ruff check audit estimators tests data/examples
	$(BIN)/ruff format --check audit estimators tests data/examples
	$(BIN)/mypy audit estimators
	$(BIN)/python -m pytest

setup: system $(STAMP)

system:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages. Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check audit estimators tests data/examples
	$(BIN)/ruff format --check audit estimators tests data/examples

typecheck: setup
	$(BIN)/mypy audit estimators

docs: setup
	$(BIN)/empreinte docs --out docs

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) empreinte-demo build dist .pytest_cache .mypy_cache .ruff_cache
