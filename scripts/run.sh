#!/usr/bin/env bash
# One command: install what is missing, load demo data once, start the posapp desktop app.
#   scripts/run.sh [posapp arguments]      (make run does the same)
# Environment: POSAPP_DATA_DIR (default ./data in this checkout), POSAPP_DEMO_CUSTOMERS (default 2000),
#              PYTHON (a Python >= 3.11 to build .venv with), POSAPP_SKIP_SYSTEM_DEPS=1 (skip the apt step).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

pkgs=("${QT_RUNTIME_PKGS[@]}")
use_xvfb=0
if ! has_display && [[ -z "${QT_QPA_PLATFORM:-}" ]]; then
    warn "no display (neither DISPLAY nor WAYLAND_DISPLAY is set): the app will run on a virtual X screen (xvfb-run)."
    warn "  To see it, run this from a desktop session, or e.g. QT_QPA_PLATFORM=vnc:size=1280x800 make run and connect a VNC viewer to port 5900."
    pkgs+=("${XVFB_PKGS[@]}")
    use_xvfb=1
fi
ensure_system_packages "${pkgs[@]}"
ensure_venv ""

export POSAPP_DATA_DIR="${POSAPP_DATA_DIR:-$ROOT/data}"
ADMIN="$VENV/bin/posapp-admin"
[[ -x "$ADMIN" ]] || die "$ADMIN is missing; the install did not finish."

# Demo data only once: skip when the demo's first rep (1001) already exists in this data directory.
has_demo() {
    [[ -f "$POSAPP_DATA_DIR/posapp.sqlite3" ]] || return 1
    "$VENV/bin/python" - <<'PY'
import sys
from posapp.paths import DataPaths
from posapp.services.dto import SYSTEM_ACTOR
from posapp.services.registry import Services

services = Services.open(DataPaths.resolve())
try:
    sys.exit(0 if any(e.number == "1001" for e in services.employees.list(SYSTEM_ACTOR)) else 1)
finally:
    services.close()
PY
}

if has_demo 2>/dev/null; then
    say "Using the demo data already in $POSAPP_DATA_DIR"
else
    say "Creating the database in $POSAPP_DATA_DIR"
    "$ADMIN" init
    say "Loading demo data (${POSAPP_DEMO_CUSTOMERS:-2000} customers, seed 1)"
    "$ADMIN" demo --customers "${POSAPP_DEMO_CUSTOMERS:-2000}" --seed 1
fi

cat >&2 <<'TXT'

  Sign in with a demo employee (number / PIN):
    rep      1001 / 2580
    manager  2001 / 3691
    admin    9001 / 4826

TXT

if ((use_xvfb)); then
    have xvfb-run || die "no display and no xvfb-run: install xvfb and xauth (apt-get install xvfb xauth), or run from a desktop session."
    say "Starting posapp on a virtual screen (xvfb-run); stop it with Ctrl+C"
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$VENV/bin/posapp" "$@"
fi
say "Starting posapp"
exec "$VENV/bin/posapp" "$@"
