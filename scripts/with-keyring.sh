#!/usr/bin/env bash
# Run a command inside a private D-Bus session with gnome-keyring's Secret Service started and unlocked,
# so `keyring` finds its SecretService backend. Nothing touches the user's own keyrings: the keyring file,
# the runtime dir and the password are throwaway and removed afterwards.
#   scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
(($#)) || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing (apt-get install dbus gnome-keyring)" >&2; exit 1; }
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/posapp-keyring.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/runtime" "$tmp/data"
export XDG_RUNTIME_DIR="$tmp/runtime"    # Qt and gnome-keyring want a private 0700 runtime dir
export XDG_DATA_HOME="$tmp/data"         # gnome-keyring keeps keyrings/login.keyring here
export POSAPP_KEYRING_SESSION=1          # tests: this session has a Secret Service (see tests/helpers)

# An empty password makes gnome-keyring prompt when it creates the login collection (and fail headless),
# so unlock with a throwaway one.
set +e
dbus-run-session -- bash -c '
    head -c 24 /dev/urandom | base64 | tr -d "\n" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>"$XDG_RUNTIME_DIR/gnome-keyring.log" \
        || { echo "with-keyring: gnome-keyring-daemon failed:" >&2; cat "$XDG_RUNTIME_DIR/gnome-keyring.log" >&2; exit 1; }
    exec "$@"' with-keyring "$@"
rc=$?
exit "$rc"
