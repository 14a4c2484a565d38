# Two commands: `make run` (install, migrate, seed the demo, serve) and `make test` (every check).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/public -type f 2>/dev/null)

export CONCORD_DEMO ?= 1

.PHONY: run test install system-deps-run system-deps-test frontend lint unit e2e bench openapi clean

run: system-deps-run install
	$(BIN)/concord serve

test: system-deps-test install lint
	cd frontend && npm run check-api && npm test
	$(BIN)/pytest -q -p no:cacheprovider

install: $(STAMP) frontend/dist/index.html

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend/dist/index.html: frontend/node_modules/.package-lock.json frontend/package.json $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend: frontend/dist/index.html

# The SPA's client is generated from this schema; `make test` fails when they drift apart.
openapi: $(STAMP)
	$(BIN)/python scripts/export_openapi.py frontend/openapi.json
	cd frontend && npm run gen-api

lint: $(STAMP)
	$(BIN)/ruff check app tests bench scripts migrations
	$(BIN)/python scripts/export_openapi.py $(VENV)/openapi.json
	cmp -s $(VENV)/openapi.json frontend/openapi.json || (echo "frontend/openapi.json is stale: run make openapi" && exit 1)
	$(BIN)/hadolint Dockerfile

unit: install
	CONCORD_TEST_ENGINES=sqlite $(BIN)/pytest -q -x --ignore=tests/e2e

e2e: install
	$(BIN)/pytest -q tests/e2e

bench: install
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
