#!/usr/bin/env bash
# One command: install what the tests need (system packages, .venv with posapp[test]), then run
# ruff, mypy (strict on posapp/ and ui/), lint-imports (the layer contracts in pyproject.toml) and pytest
# with a real Secret Service. Arguments go to pytest:
#   scripts/test.sh                  the whole suite (what CI runs; make test does the same)
#   scripts/test.sh -m "not gui"     the fast lane, without Qt tests
# Environment: PYTHON, POSAPP_SKIP_SYSTEM_DEPS=1 as in scripts/run.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_system_packages "${QT_RUNTIME_PKGS[@]}" "${TEST_PKGS[@]}"
ensure_venv test
export PATH="$VENV/bin:$PATH"

failed=()
lint_paths=()
for d in posapp ui tests; do [[ -d "$d" ]] && lint_paths+=("$d"); done
say "ruff check ${lint_paths[*]}"
ruff check "${lint_paths[@]}" || failed+=(ruff)
say "mypy (strict on posapp/ and ui/)"
mypy || failed+=(mypy)
say "lint-imports (import layers, pyproject.toml [tool.importlinter])"
lint-imports --no-cache || failed+=(lint-imports)
say "pytest (private D-Bus session with gnome-keyring)"
"$ROOT/scripts/with-keyring.sh" python -m pytest --durations=25 "$@" || failed+=("pytest (exit $?)")

if ((${#failed[@]})); then
    warn "FAILED: ${failed[*]}"
    exit 1
fi
