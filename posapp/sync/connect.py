"""How a terminal reaches its central store: a transport factory built from the settings.

``central_url`` empty = the embedded central store, a SQLite file in the data folder (created on first use, so a
single store works out of the box); otherwise a SQLAlchemy URL. For PostgreSQL the login is the URL's user (the
store's role, ``posapp-admin central add-store``) and the password comes from the OS keyring (the store's entry
written by ``central add-store`` or ``terminal register --password-stdin``), never from a file. Today the central
store runs in-process behind :class:`~posapp.sync.protocol.Transport`; a web client would be another factory with
the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from posapp.core import Core
from posapp.sync.protocol import Transport, TransportError

PASSWORD_SECRET = "central_password"


class CentralUnavailable(TransportError):
    """The central store named by the settings cannot be opened (unreachable, refused, no password)."""


def central_password(store_id: str, terminal_id: str) -> str | None:
    """The store's central-store password from the OS keyring: the entry ``posapp-admin central add-store`` /
    ``terminal register --password-stdin`` keep (:func:`posapp.central.admin.store_password`), else a
    terminal-specific one; None when there is none (or no keyring: e.g. trust authentication)."""
    from posapp.central.admin import store_password
    from posapp.security.secrets import SecretStoreUnavailable, get_secret

    try:
        return store_password(store_id) or get_secret(store_id, terminal_id, PASSWORD_SECRET)
    except SecretStoreUnavailable:
        return None


@contextmanager
def open_transport(url: str, *, data_dir_central: str, store_id: str, terminal_id: str) -> Iterator[Transport]:
    """A transport to the central store at ``url`` ("" = the embedded SQLite file ``data_dir_central``)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from posapp.central.store import CentralStore
    from posapp.central.transport import InProcessTransport

    try:
        if not url:
            central = CentralStore.open(data_dir_central, create=True)
        else:
            password = None
            if make_url(url).get_backend_name() == "postgresql":
                password = central_password(store_id, terminal_id)
            central = CentralStore.open(url, password=password)
    except DBAPIError as exc:
        raise CentralUnavailable(f"central store unreachable: {type(exc.orig).__name__}") from exc
    try:
        yield InProcessTransport(central)
    finally:
        central.close()


def central_transport_factory(core: Core) -> Callable[[], AbstractContextManager[Transport]]:
    """A zero-argument callable opening a transport to the central store the settings name (read at each call, so
    a changed ``central_url`` takes effect at the next run)."""

    def factory() -> AbstractContextManager[Transport]:
        from posapp.central.schema import default_url

        s = core.settings
        return open_transport(s.central_url, data_dir_central=default_url(core.paths.root), store_id=s.store_id,
                              terminal_id=s.terminal_id)

    return factory
