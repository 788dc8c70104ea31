# posapp developer commands. Each one installs what it needs first (see scripts/).
#   make run            install, load demo data once, start the app
#   make test           install test dependencies, run ruff, mypy and the whole pytest suite (what CI runs)
#   make test-fast      the same checks, pytest without the Qt (gui) tests
#   make test PYTEST_ARGS='-k audit -x'    pass arguments to pytest
#   make soak           the long randomized runs at 10x (10,000 fault schedules...); SOAK_SCALE=50 for more
.DEFAULT_GOAL := help
.PHONY: help run test test-fast soak lint typecheck system-deps venv clean

PYTEST_ARGS ?=
# POSAPP_TEST_SCALE for `make soak` (tests/helpers/scale.py): fault schedules, kill -9 loops, hypothesis examples.
SOAK_SCALE ?= 10

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

run:
	scripts/run.sh

test:
	scripts/test.sh $(PYTEST_ARGS)

test-fast:
	scripts/test.sh -m "not gui" $(PYTEST_ARGS)

soak:
	POSAPP_TEST_SCALE=$(SOAK_SCALE) scripts/test.sh -m soak $(PYTEST_ARGS)

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
