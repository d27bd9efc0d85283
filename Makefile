# Polku — every developer and CI command. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
CLIENTS ?= 2000

.DEFAULT_GOAL := help
.PHONY: help install translations demo serve test browser-test debian-packages security lint typecheck imports migrations-check lock clean loadtest loadtest-short wheel wheel-check audit deploy-lint

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): requirements/dev.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Polku needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	touch $(STAMP)

install: $(STAMP) translations ## Create .venv and install the locked dependencies

translations: $(STAMP) ## Compile the .po translation catalogues into .mo files
	$(BIN)/python manage.py compile_translations

demo: install ## Create the SQLite database with demo data and serve http://127.0.0.1:8000/
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo --clients $(CLIENTS)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST)

test: install ## Run the whole test suite (SQLite unless DATABASE_URL is set)
	$(BIN)/python -m pytest -n 2 -q

debian-packages: ## Chromium (browser tests) and GNU gettext (catalogue check) via apt; needs root
	@command -v chromium >/dev/null && command -v xgettext >/dev/null || { apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core gettext; }

browser-test: install debian-packages ## Browser journeys and axe accessibility checks (fi, sv, en) in Chromium
	$(BIN)/python -m pytest tests/browser -m browser -p no:xdist -q

security: install ## bandit (no high findings) and schemathesis against the API (no 5xx)
	$(BIN)/bandit -r polku config -x '*/tests/*,*/migrations/*' --severity-level high -q
	bash .ci/api-fuzz

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install ## mypy with django-stubs
	$(BIN)/mypy config polku tests

imports: install ## import-linter contracts (the rules engine stays pure)
	$(BIN)/lint-imports

migrations-check: install ## Fail if a model change lacks a migration
	$(BIN)/python manage.py makemigrations --check --dry-run

loadtest: install ## 50 simulated workers for 2 min on gunicorn + PostgreSQL; fails on an error or page p95 >= 100 ms
	bash loadtest/run 50 2m

loadtest-short: install ## CI smoke load test: 20 workers for 20 s; fails on any error (no p95 bar)
	LOADTEST_P95_MS=$${LOADTEST_P95_MS:-0} LOADTEST_OUT=build/loadtest/short bash loadtest/run 20 20s

lock: ## Regenerate requirements/runtime.lock (servers) and dev.lock (developers, CI) from pyproject.toml
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.lock
	# The servers run exactly the versions the tests ran: dev.lock constrains runtime.lock.
	$(BIN)/uv pip compile pyproject.toml --constraint requirements/dev.lock --generate-hashes --no-strip-extras \
	  --python-version 3.11 -o requirements/runtime.lock

wheel: translations ## Build dist/polku-*.whl with templates, static files and compiled translations
	rm -rf dist build/lib
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

wheel-check: install ## Build the wheel, install it with runtime.lock in a fresh venv, serve it on PostgreSQL
	bash .ci/wheel-check

audit: install ## pip-audit both lock files against PyPI's advisories (ignores: requirements/audit-ignore.txt)
	bash .ci/audit

deploy-lint: install ## hadolint on the Dockerfile, compose.yaml against the Compose schema, systemd units verified
	bash .ci/deploy-lint

clean: ## Remove the virtual environment and the SQLite database
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm
