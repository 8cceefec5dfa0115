# cablesite: `make site` builds the sample archive, `make test` runs every test. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test deps chromium golden serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(STAMP) $(NODE_STAMP)

# Debian's chromium for the browser tests (Playwright drives it; no browser is downloaded).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

site: deps
	$(BIN)/cablesite build

serve: deps
	$(BIN)/cablesite serve

test: deps chromium
	$(BIN)/python -m pytest -q

# Rewrite the golden outputs (seed JSON and the seed site) after an intended change; review the diff.
golden: deps
	$(BIN)/python -m pytest -q tests/test_parse_seeds.py tests/test_site.py --regen

clean:
	rm -rf site .venv node_modules .pytest_cache
