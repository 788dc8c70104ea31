#!/usr/bin/env bash
# Install (or list) the Debian/Ubuntu packages posapp needs.
#   scripts/system-deps.sh run|test [--list]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
    run) pkgs=("${QT_RUNTIME_PKGS[@]}"); has_display || pkgs+=("${XVFB_PKGS[@]}") ;;
    test) pkgs=("${QT_RUNTIME_PKGS[@]}" "${TEST_PKGS[@]}") ;;
    *) echo "usage: $0 run|test [--list]" >&2; exit 2 ;;
esac
if [[ "${2:-}" == --list ]]; then
    printf '%s\n' "${pkgs[@]}"
    if have dpkg-query; then
        m="$(missing_pkgs "${pkgs[@]}" | tr '\n' ' ')"
        echo "missing here: ${m:-none}" >&2
    fi
else
    ensure_system_packages "${pkgs[@]}"
fi
