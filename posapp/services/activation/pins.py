"""Where the provisioning queue reads a port-in's transfer PIN when it sends the request, and drops it once the
carrier accepted the port. The OS keyring (:mod:`posapp.security.transfer_pins`) in the app and the CLI."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol

from posapp.security.transfer_pins import drop_transfer_pin, read_transfer_pin


class TransferPins(Protocol):
    def read(self, port_in_id: uuid.UUID) -> str | None: ...

    def drop(self, port_in_id: uuid.UUID) -> None: ...


class KeyringTransferPins:
    """The transfer PINs in the OS keyring under this terminal's (store, terminal) ids."""

    def __init__(self, *, ids: Callable[[], tuple[str, str]]) -> None:
        self._ids = ids

    def read(self, port_in_id: uuid.UUID) -> str | None:
        return read_transfer_pin(*self._ids(), port_in_id)

    def drop(self, port_in_id: uuid.UUID) -> None:
        drop_transfer_pin(*self._ids(), port_in_id)
