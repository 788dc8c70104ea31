"""How a terminal reaches its central store: a transport factory built from the settings.

``central_url`` empty = the embedded central store, a SQLite file in the data folder (created on first use, so a
single store works out of the box); otherwise a SQLAlchemy URL (PostgreSQL: the password comes from the OS
keyring, never from a file). Today the central store runs in-process behind :class:`Transport`; a web client
would be another factory with the same shape.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from posapp.services.core import Core
from posapp.sync.protocol import Transport, TransportError


class CentralUnavailable(TransportError):
    """The central store named by the settings cannot be opened (not installed, unreachable, no password)."""


def _central() -> Any:
    try:
        return importlib.import_module("posapp.central.connect")
    except ImportError as exc:
        raise CentralUnavailable(f"the central store is not available in this build ({exc})") from exc


def central_transport_factory(core: Core) -> Any:
    """A zero-argument callable returning a context manager that yields a :class:`Transport` to the central
    store the settings name (read when called, so a changed ``central_url`` takes effect at the next run)."""

    def factory() -> AbstractContextManager[Transport]:
        return _open(core)

    return factory


@contextmanager
def _open(core: Core) -> Iterator[Transport]:
    module = _central()
    url = core.settings.central_url
    try:
        opened = module.open_transport(url or None, data_dir=core.paths.root, store_id=core.settings.store_id)
    except TransportError:
        raise
    except Exception as exc:  # an unreachable server, a missing password: the terminal is offline
        raise CentralUnavailable(" ".join(str(exc).split())[:300] or type(exc).__name__) from exc
    with opened as transport:
        yield transport
