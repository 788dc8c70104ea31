# posapp developer commands. Each one installs what it needs first (see scripts/).
#   make run            install, load demo data once, start the app
#   make test           install test dependencies, run ruff, mypy and the whole pytest suite (what CI runs)
#   make test-fast      the same checks, pytest without the Qt (gui) tests
#   make test PYTEST_ARGS='-k audit -x'    pass arguments to pytest
.DEFAULT_GOAL := help
.PHONY: help run test test-fast lint typecheck system-deps venv clean

PYTEST_ARGS ?=

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

run:
	scripts/run.sh

test:
	scripts/test.sh $(PYTEST_ARGS)

test-fast:
	scripts/test.sh -m "not gui" $(PYTEST_ARGS)

lint: venv
	.venv/bin/ruff check posapp ui tests

typecheck: venv
	.venv/bin/mypy

system-deps:
	scripts/system-deps.sh test

venv:
	@bash -c 'source scripts/lib.sh && ensure_venv test'

clean:
	rm -rf .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist *.egg-info
