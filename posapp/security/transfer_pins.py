"""A port-in's transfer PIN, held in the OS keyring from the moment the rep types it until the carrier accepted
the port (then dropped). Never in the database, the outbox, the audit, a log or a receipt."""

from __future__ import annotations

import uuid

from posapp.security.secrets import delete_secret, get_secret, set_secret


def _what(port_in_id: uuid.UUID) -> str:
    return f"transfer-pin/{port_in_id}"


def hold_transfer_pin(store_id: str, terminal_id: str, port_in_id: uuid.UUID, pin: str) -> None:
    set_secret(store_id, terminal_id, _what(port_in_id), pin)


def read_transfer_pin(store_id: str, terminal_id: str, port_in_id: uuid.UUID) -> str | None:
    return get_secret(store_id, terminal_id, _what(port_in_id))


def drop_transfer_pin(store_id: str, terminal_id: str, port_in_id: uuid.UUID) -> None:
    delete_secret(store_id, terminal_id, _what(port_in_id))
