"""Facts about the environment the tests run in (no fixtures here, importable from any test)."""

from __future__ import annotations

import os
from contextlib import closing
from typing import NoReturn

CI_ENV = "CI"


def in_ci() -> bool:
    """True under CI (CI=true), where a missing service fails a test instead of skipping it."""
    return os.environ.get(CI_ENV, "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the test on a developer machine; fail it under CI, so CI always exercises the real thing."""
    import pytest

    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def secret_service_problem() -> str | None:
    """Why no Secret Service can be used here, or None when one answers on the D-Bus session bus."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return ("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset); run the tests through "
                "scripts/with-keyring.sh or `make test`")
    try:
        import secretstorage
    except ImportError:
        return "secretstorage is not installed (pip install -e '.[test]')"
    try:
        with closing(secretstorage.dbus_init()) as conn:
            if not secretstorage.check_service_availability(conn):
                return "no Secret Service on the D-Bus session bus (start gnome-keyring-daemon --components=secrets)"
    except Exception as exc:  # jeepney/secretstorage raise several kinds when the bus is unusable
        return f"the D-Bus session bus is unusable: {exc!r}"
    return None
