"""Secrets in the OS keyring (central-store password, terminal key). Never in a file or the database."""

from __future__ import annotations

import contextlib
import secrets as _secrets
from typing import Any

SERVICE = "posapp"


class SecretStoreUnavailable(RuntimeError):
    """No usable OS keyring (e.g. no Secret Service running)."""


def _keyring() -> Any:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise SecretStoreUnavailable(
            "No OS keyring is available (on Linux start a Secret Service such as gnome-keyring).")
    return keyring


def _name(store_id: str, terminal_id: str, what: str) -> str:
    return f"{store_id}/{terminal_id}/{what}"


def set_secret(store_id: str, terminal_id: str, what: str, value: str) -> None:
    _keyring().set_password(SERVICE, _name(store_id, terminal_id, what), value)


def get_secret(store_id: str, terminal_id: str, what: str) -> str | None:
    value = _keyring().get_password(SERVICE, _name(store_id, terminal_id, what))
    return None if value is None else str(value)


def delete_secret(store_id: str, terminal_id: str, what: str) -> None:
    import keyring.errors

    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        _keyring().delete_password(SERVICE, _name(store_id, terminal_id, what))


def ensure_terminal_key(store_id: str, terminal_id: str) -> str:
    """The terminal's key (used to authenticate to the central store), created on first use."""
    key = get_secret(store_id, terminal_id, "terminal-key")
    if key is None:
        key = _secrets.token_urlsafe(32)
        set_secret(store_id, terminal_id, "terminal-key", key)
    return key
