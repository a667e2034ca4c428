# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install browser demo test lint types unit bench serve clean crosscheck fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,ray,cnmaps]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/matcher demo -o out

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy matcher
	$(BIN)/mypy geodata matcher_cli service.py matcher_service

# Headless Chromium for the page's browser tests, from Debian's packages (needs root; where it
# cannot be installed the browser tests skip, except under CI where they fail).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -q && apt-get install -y -q --no-install-recommends chromium) >/dev/null 2>&1 \
	  || echo "Chromium could not be installed; the browser tests will be skipped"; }

unit: install browser
	$(BIN)/pytest

test: lint types unit

# Thousands of random rounds against the independent model (tests/crosscheck); CROSSCHECK_ROUNDS=n
crosscheck: install
	$(BIN)/pytest -m crosscheck -s -q tests/crosscheck

bench: install
	$(BIN)/python -m benchmarks.run --with-service
	$(BIN)/python -m benchmarks.bench_page
	$(BIN)/python -m benchmarks.bench_practices

# Long schemathesis run (≥ 10,000 cases per database, plans present), SQLite and PostgreSQL.
fuzz: install
	$(BIN)/python -m benchmarks.fuzz --examples 220

serve: install
	$(BIN)/uvicorn --factory service:create_app --host 127.0.0.1 --port 8000 \
		--http matcher_service.http_protocol:ProblemHttpTools --log-config matcher_service/log_config.json

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
