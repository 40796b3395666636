# The two commands: `make run` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin
# PostgreSQL run of the suite: set DESKBOARD_TEST_DATABASE_URL (CI does).
PG_URL ?= $(DESKBOARD_TEST_DATABASE_URL)

.PHONY: run test install lint pytest bench ui ui-deps ui-test typecheck vitest e2e audit

# --- frontend: Vue app built into frontend/dist, which `deskboard serve` serves ---
FRONTEND := frontend
NPM := cd $(FRONTEND) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm
# npm ci writes node_modules/.package-lock.json: older than package-lock.json means stale.
UI_DEPS := $(FRONTEND)/node_modules/.package-lock.json
UI_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/tsconfig.json $(FRONTEND)/package.json
UI_BUILT := $(FRONTEND)/dist/index.html

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q uv==0.13.9

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

install: .venv/.synced

$(UI_DEPS): $(FRONTEND)/package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

ui-deps: $(UI_DEPS)

$(UI_BUILT): $(UI_DEPS) $(UI_SOURCES)
	$(NPM) run build
	touch $@

ui: $(UI_BUILT)

typecheck: ui-deps
	$(NPM) run typecheck

vitest: ui-deps
	$(NPM) test

# Playwright in Debian's Chromium (/usr/bin/chromium) against a freshly migrated server.
e2e: install ui
	$(NPM) run e2e

ui-test: typecheck vitest e2e

run: install ui
	$(PY)/deskboard migrate
	$(PY)/deskboard seed --demo --if-empty
	$(PY)/deskboard serve

lint: install
	$(PY)/ruff check deskboard tests bench security
	$(PY)/ruff format --check deskboard tests bench security
	$(PY)/mypy deskboard security

# Known vulnerabilities in uv.lock and in the UI's production npm packages; fails on any without
# a current waiver in security/audit-waivers.toml (security/README.md). CI passes
# AUDIT_FLAGS=--allow-unreachable npm: npm's advisory endpoint does not answer from its network.
# npm audit reads frontend/package-lock.json only: no node_modules needed.
audit: install
	$(PY)/python -m security.audit $(AUDIT_FLAGS)

# ui-deps: tests/plugins/test_scaffold_build.py builds a scaffolded plugin with frontend/node_modules.
pytest: install ui-deps
	$(PY)/pytest -q
	@if [ -n "$(PG_URL)" ]; then \
	  echo "== pytest on PostgreSQL =="; \
	  DESKBOARD_TEST_DATABASE_URL="$(PG_URL)" $(PY)/pytest -q; \
	fi

test: lint pytest ui-test

bench: install
	$(PY)/python -m bench
