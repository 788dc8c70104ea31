"""The central store (guide §4): the chain's copy of every store's data, reached through a SQLAlchemy URL.

Embedded default: a SQLite file in the data directory (``<data dir>/central.sqlite``); production: PostgreSQL via
psycopg 3 with row-level security per store. Terminals talk to it through :class:`~posapp.sync.protocol.Transport`.

API::

    from posapp.central import CentralStore, InProcessTransport, init_central

    init_central(url)                              # create/upgrade the schema (posapp-admin central init)
    central = CentralStore.open(url)               # head office / embedded (the URL's user)
    central = CentralStore.open(url, create=True)  # create/upgrade first, then open
    central = CentralStore.open(pg_url, role="posapp_store_s1", password=...)  # a store's RLS-confined login
    transport = InProcessTransport(central)        # Transport: push / pull / digest / conflicts via the JSON form
    central.load_catalog({"plan": [...], "device_model": [...], "accessory": [...]})
    central.rows(store_id, entity) -> {id: data}; central.change_count(store_id); central.stock_on_hand(s, sku)
    central.claimants(kind, key); central.register_terminal(store_id, terminal_id); central.close()

Pull cursors are opaque text (``""`` = initial fill). Digest ids hash: :func:`id_hash` (sha256 of the sorted ids
joined by ``"\\n"``) over non-deleted pull-visible rows created at or before the cursor.
"""

from posapp.central.reads import id_hash
from posapp.central.schema import NotACentralStore, default_url, init_central
from posapp.central.store import CentralStore
from posapp.central.transport import InProcessTransport

__all__ = ["CentralStore", "InProcessTransport", "NotACentralStore", "default_url", "id_hash", "init_central"]
