# Two commands for a newcomer: `make run` and `make test`.
# PYTHON: the first of python3.13 … python3.11, python3 that is at least 3.11.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
# Another PORT keeps links working: a public_url on 127.0.0.1/localhost follows the
# port (docs/configuration.md); PUBLISHER_PUBLIC_URL=https://… sets it outright.
PORT ?= 5000

.PHONY: run system-packages test lint bench clean

run: $(VENV)/.installed system-packages
	$(BIN)/publisher run --demo --host $(HOST) --port $(PORT)

# The Debian/Ubuntu packages the PDFs need (Pango, the templates' fonts), as
# `publisher system-packages` finds them missing: installed here when this runs as
# root or with password-less sudo and apt-get exists; otherwise the command is shown
# and `publisher run` starts anyway, with the print and TV channels unavailable.
system-packages: $(VENV)/.installed
	@missing="$$($(BIN)/publisher system-packages)"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	else sudo=none; fi; \
	if [ "$$sudo" != none ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing system packages: $$missing"; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null || \
	  echo "warning: could not install them; run: sudo apt-get install $$missing"; \
	else \
	  echo "warning: missing system packages for the print and TV PDFs; run:"; \
	  echo "  sudo apt-get install $$missing"; \
	fi

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed-test
	$(BIN)/python bench/dispatch_latency.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/render_print.py
	$(BIN)/python bench/media_ingest.py

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 or newer is needed (python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .pytest_cache
