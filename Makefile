# Two entry points for a fresh Debian/Ubuntu machine: `make demo` and `make test`.
# Each installs what it needs (a virtualenv, the package, Chromium and a CJK font)
# and is quick when everything is already there.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint browser redis clean

demo: $(STAMP) browser
	$(BIN)/auditkit demo

test: $(STAMP) browser redis
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,distributed]'
	touch $(STAMP)

# Chromium: AUDITKIT_CHROMIUM, Playwright's own build, or the system's. On a machine
# with none of them, install Debian's (Playwright cannot download browsers offline).
browser: $(STAMP)
	@$(BIN)/python -m auditkit.browser --check >/dev/null 2>&1 || scripts/apt-install.sh chromium fonts-wqy-zenhei

# The distributed-batch test starts its own Redis server on loopback.
redis:
	@command -v redis-server >/dev/null 2>&1 || scripts/apt-install.sh redis-server

clean:
	rm -rf $(VENV) auditkit-demo auditkit-out .pytest_cache
