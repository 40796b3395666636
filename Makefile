# The two commands: `make run` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin
# PostgreSQL run of the suite: set DESKBOARD_TEST_DATABASE_URL (CI does).
PG_URL ?= $(DESKBOARD_TEST_DATABASE_URL)

.PHONY: run test install lint pytest bench

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q uv==0.13.9

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

install: .venv/.synced

run: install
	$(PY)/deskboard migrate
	$(PY)/deskboard seed --demo --if-empty
	$(PY)/deskboard serve

lint: install
	$(PY)/ruff check deskboard tests bench
	$(PY)/ruff format --check deskboard tests bench

pytest: install
	$(PY)/pytest -q
	@if [ -n "$(PG_URL)" ]; then \
	  echo "== pytest on PostgreSQL =="; \
	  DESKBOARD_TEST_DATABASE_URL="$(PG_URL)" $(PY)/pytest -q; \
	fi

test: lint pytest

bench: install
	$(PY)/python -m bench
