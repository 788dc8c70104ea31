"""Secrets live in the OS keyring, on a real Secret Service (gnome-keyring under dbus-run-session).

Run through `make test` / scripts/with-keyring.sh; without a Secret Service these tests skip, and under CI
(CI=true) they fail instead, so CI always exercises the real keyring.
"""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

from posapp.security import secrets
from posapp.services.registry import Services
from tests.helpers.fixtures import SecretScope

pytestmark = pytest.mark.keyring


def test_keyring_uses_the_secret_service_backend(secret_service: SecretScope) -> None:
    import keyring
    from keyring.backends import SecretService

    backend = keyring.get_keyring()
    assert isinstance(backend, SecretService.Keyring), backend
    assert not type(backend).__module__.startswith("keyrings.alt")
    assert type(backend).__module__.split(".")[-1] not in ("fail", "null")


def test_set_get_delete_round_trip(secret_service: SecretScope) -> None:
    store, terminal = secret_service.store_id, secret_service.terminal_id
    assert secrets.get_secret(store, terminal, "central-password") is None
    secrets.set_secret(store, terminal, "central-password", "s3cr3t-ünïcode")
    assert secrets.get_secret(store, terminal, "central-password") == "s3cr3t-ünïcode"
    secrets.set_secret(store, terminal, "central-password", "rotated")
    assert secrets.get_secret(store, terminal, "central-password") == "rotated"
    secrets.delete_secret(store, terminal, "central-password")
    assert secrets.get_secret(store, terminal, "central-password") is None
    secrets.delete_secret(store, terminal, "central-password")  # deleting what is gone is not an error


def test_secrets_are_kept_apart_per_store_and_terminal(secret_service: SecretScope) -> None:
    store = secret_service.store_id
    secrets.set_secret(store, secret_service.terminal_id, "central-password", "one")
    assert secrets.get_secret(store, "99", "central-password") is None


def test_terminal_key_is_stable_and_never_in_the_data_dir(secret_service: SecretScope,
                                                          services: Services) -> None:
    store, terminal = secret_service.store_id, secret_service.terminal_id
    key = secrets.ensure_terminal_key(store, terminal)
    assert len(key) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", key)
    assert secrets.ensure_terminal_key(store, terminal) == key
    assert secrets.get_secret(store, terminal, "terminal-key") == key

    services.close()  # flush SQLite (WAL) so every byte the app wrote is in the files we scan
    files = [p for p in services.core.paths.root.rglob("*") if p.is_file()]
    assert any(p.name == services.core.paths.database.name for p in files), files
    needle = key.encode()
    leaked = [p for p in files if needle in Path(p).read_bytes()]
    assert leaked == [], f"the terminal key was written to {leaked}"


def test_keyrings_alt_is_not_a_runtime_dependency() -> None:
    requirements = importlib.metadata.requires("posapp") or []
    runtime = [r for r in requirements if "extra ==" not in r]
    names = {re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in runtime}
    assert "keyring" in names
    assert "keyrings-alt" not in names and "keyrings.alt" not in names, runtime
