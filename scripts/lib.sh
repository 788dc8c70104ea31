# Shared by scripts/run.sh and scripts/test.sh. Source it; do not run it.
# Installs what posapp needs on Debian/Ubuntu (apt, as root or with passwordless sudo),
# and creates .venv with the project installed in it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${POSAPP_VENV:-$ROOT/.venv}"

say()  { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf 'posapp: %s\n' "$*" >&2; }
die()  { printf 'posapp: error: %s\n' "$*" >&2; exit 1; }

# What Qt (PySide6 6.x wheels) needs from the system to start, read off `readelf -d` / `ldd` of
# libQt6{Core,Gui,Widgets,Charts,Svg,PrintSupport,DBus,OpenGL,XcbQpa} and the xcb/offscreen/wayland
# platform plugins; apt pulls their own dependencies. On a new Debian 12 machine of this project's
# kind all but libxcb-icccm4 and libxcb-keysyms1 are already there (the xcb plugin fails without those two).
QT_RUNTIME_PKGS=(
    libgl1 libegl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
    libxkbcommon0 libxkbcommon-x11-0 libx11-6 libx11-xcb1
    libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
    libxcb-xfixes0 libxcb-xkb1 libwayland-client0 libwayland-cursor0
    fonts-dejavu-core
)
# A virtual screen for `make run` on a machine without one.
XVFB_PKGS=(xvfb xauth)
# What the test suite uses besides Qt: a PostgreSQL server (central-store tests), pdftoppm/pdftotext
# (receipts), zbarimg (barcodes), a real Secret Service on a private D-Bus session (keyring tests), a real X
# server with a window manager (`bench startup --xvfb` and its test).
TEST_PKGS=(postgresql poppler-utils zbar-tools gnome-keyring dbus xvfb xauth openbox)

have() { command -v "$1" >/dev/null 2>&1; }

# A package counts as installed under its own name or Ubuntu 24.04's "t64" name (libglib2.0-0t64, ...).
pkg_installed() {
    local p
    for p in "$1" "${1}t64"; do
        dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' && return 0
    done
    return 1
}

missing_pkgs() {
    local p
    for p in "$@"; do pkg_installed "$p" || printf '%s\n' "$p"; done
}

# ensure_system_packages PKG... : install what is missing, or say exactly what to install and stop.
ensure_system_packages() {
    if [[ "${POSAPP_SKIP_SYSTEM_DEPS:-}" == 1 ]]; then
        warn "POSAPP_SKIP_SYSTEM_DEPS=1: not checking system packages."
        return 0
    fi
    if ! have dpkg-query || ! have apt-get; then
        warn "not a Debian/Ubuntu system: cannot check system packages. posapp needs the equivalents of:"
        warn "  $*"
        return 0
    fi
    local missing
    mapfile -t missing < <(missing_pkgs "$@")
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    local sudo=()
    if ((EUID != 0)); then
        if have sudo && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            warn "these system packages are missing: ${missing[*]}"
            warn "install them (as root) and run this command again:"
            warn "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
            exit 1
        fi
    fi
    say "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}" </dev/null
    local still
    mapfile -t still < <(missing_pkgs "${missing[@]}")
    ((${#still[@]} == 0)) || die "apt did not install: ${still[*]}"
}

# A Python >= 3.11 with venv support: $PYTHON, else the newest python3.X on PATH, else python3.
find_python() {
    local c
    for c in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
        have "$c" || continue
        if "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

# ensure_venv EXTRAS : .venv with `pip install -e .[EXTRAS]`; skipped when pyproject.toml is unchanged
# since the last install with the same extras.
ensure_venv() {
    local extras="${1:-}" stamp want
    if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        warn "$VENV has a Python older than 3.11 (or a broken one); recreating it."
        rm -rf "$VENV"
    fi
    if [[ ! -x "$VENV/bin/python" ]]; then
        local py
        py="$(find_python)" || die "posapp needs Python 3.11 or newer; found: $(python3 --version 2>&1 || echo 'no python3').
  On Debian 12: apt-get install python3 python3-venv. On Ubuntu 22.04: apt-get install python3.11 python3.11-venv.
  Or set PYTHON=/path/to/python3.11 and run this again."
        if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
            local ver
            ver="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            if [[ "$py" == /usr/bin/* ]]; then
                ensure_system_packages "python${ver}-venv"
            else
                die "$py cannot create virtual environments (no ensurepip); install its venv module."
            fi
        fi
        say "Creating $VENV with $("$py" --version 2>&1) ($py)"
        "$py" -m venv "$VENV"
    fi
    # One line per install: "<sha256 of pyproject.toml> <extras>". An install with [test] also serves a plain run.
    stamp="$VENV/.posapp-installed"
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [[ -f "$stamp" ]] && "$VENV/bin/python" -c 'import posapp' 2>/dev/null \
        && { grep -qx "$want $extras" "$stamp" || { [[ -z "$extras" ]] && grep -q "^$want " "$stamp"; }; }; then
        return 0
    fi
    say "Installing posapp$([[ -n "$extras" ]] && echo " with [$extras]") into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip || warn "could not upgrade pip; going on with $("$VENV/bin/pip" --version)"
    "$VENV/bin/python" -m pip install -q -e "$ROOT$([[ -n "$extras" ]] && echo "[$extras]")"
    # keyrings.alt stores secrets in plain files; posapp must only ever use the OS keyring.
    if "$VENV/bin/python" -m pip show -q keyrings.alt >/dev/null 2>&1; then
        warn "keyrings.alt is installed in $VENV; posapp must not use it. Remove it: $VENV/bin/pip uninstall keyrings.alt"
    fi
    { grep -v "^$want $extras\$" "$stamp" 2>/dev/null | grep "^$want " || true; echo "$want $extras"; } >"$stamp.new"
    mv "$stamp.new" "$stamp"
}

has_display() { [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; }
