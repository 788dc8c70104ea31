"""Publishing the demo rows to the central store, so that "head office already has them" is true.

``posapp-admin demo`` bulk-loads customers, accounts, lines, devices, bills... into the terminal without outbox
entries. Without this step the central store lacks them: every sync's convergence check finds the terminal
holding rows the centre does not have, rebuilds, still differs, and a second terminal of the store never sees
the demo customers. :func:`publish_demo` copies them to the central store as head-office data:

1. The demo load itself (one local transaction) also writes ``sync_state['demo_central'] = pending``.
2. Here, under the terminal's sync lock (``sync.lock``, the one a sync run holds, so no run interleaves):
   the chain-wide catalog (plans, device models, accessories) is loaded (:meth:`CentralStore.load_catalog`,
   idempotent), then every demo row of this store (``origin_terminal_id = 'HQ'``) is read from the local
   database -- each row turned into the JSON object :func:`posapp.sync.outbox.row_payload` would write, by
   SQLite's ``json_object`` in the query itself -- and handed in big batches to
   :func:`posapp.central.seed.load_store_rows` (one central transaction, idempotent by entity id).
3. One local transaction then moves the pull cursor past the loaded rows (when the central store says nothing
   else of the store lies in between, see :class:`~posapp.central.seed.SeedResult`) and marks the demo
   ``published``. The terminal's next pull therefore does not fetch its own demo rows again; a second terminal's
   initial fill (cursor "") gets them.

A failure anywhere leaves the marker ``pending`` and both sides consistent: the central step is all-or-nothing
and idempotent, the cursor is moved only after it committed. Running ``posapp-admin demo`` again publishes what is
missing (a crash between the central commit and step 3 only costs the cursor jump: the next pull then applies the
demo rows as no-ops).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Boolean, Connection, Date, Enum, Integer, LargeBinary, String, Table, Text, Uuid

from posapp.central.seed import SeedResult, SeedRow, load_store_rows
from posapp.central.store import CentralStore
from posapp.core import Core
from posapp.db.models import Base
from posapp.db.types import UTCDateTime
from posapp.demo.generator import ORIGIN
from posapp.demo.schema import TABLES
from posapp.errors import ValidationError
from posapp.sync.engine import CURSOR_KEY
from posapp.sync.protocol import ProtocolRefused

MARKER_KEY = "demo_central"
PENDING = "pending"
PUBLISHED = "published"
BATCH_ROWS = 20_000

Progress = Callable[[str, int, int], None]          # (phase, done, total), like the demo loader's
T = TypeVar("T")


@dataclass(frozen=True)
class PublishReport:
    central: str                     # the central store's URL, password hidden
    rows: int                        # demo rows offered to the central store
    inserted: int                    # of those, new there
    existing: int                    # already there (published before)
    catalog: dict[str, int] | None   # catalog rows new or changed per entity (None: the login may not write it)
    cursor: str                      # the terminal's pull cursor afterwards
    cursor_moved: bool               # the cursor skips the published rows (else the next pull applies them: no-ops)
    seconds: float


# -- the local marker --------------------------------------------------------------------------------------------

_UPSERT = "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"


def mark_pending(raw: Any, *, store_id: str, customers: int, seed: int) -> None:
    """Record, inside the demo load's own transaction (``raw``: its sqlite3 connection), that the rows still have
    to reach the central store."""
    raw.execute(_UPSERT, (MARKER_KEY, json.dumps({"state": PENDING, "store_id": store_id, "customers": customers,
                                                  "seed": seed})))


def marker(core: Core) -> dict[str, Any] | None:
    """The demo's publication state (None: no demo loaded here). A demo loaded before publishing existed (no
    marker, but its ``demo.load`` audit event) counts as pending."""
    with core.db.read_engine.connect() as conn:
        value = conn.exec_driver_sql("SELECT value FROM sync_state WHERE key = ?", (MARKER_KEY,)).scalar()
        if not value:
            loaded = conn.exec_driver_sql("SELECT 1 FROM audit_event WHERE action = 'demo.load' LIMIT 1").scalar()
            return {"state": PENDING} if loaded else None
    return cast(dict[str, Any], json.loads(value))


def is_pending(core: Core) -> bool:
    state = marker(core)
    return state is not None and state.get("state") == PENDING


def can_publish(core: Core, *, explicit: bool) -> bool:
    """Whether ``posapp-admin demo`` on an already loaded database should publish: the demo is still pending, or
    it was published and a central store is named explicitly (e.g. after moving the terminal to another one)."""
    state = marker(core)
    return state is not None and (state.get("state") == PENDING or explicit)


# -- the rows, as the JSON the sync protocol carries -----------------------------------------------------------------

def _json_expr(table: Table, column: str) -> str:
    """SQLite expression giving the column's value as :func:`posapp.sync.outbox.row_payload` puts it in JSON."""
    col = table.c[column]
    q = f'"{column}"'
    t = col.type
    if isinstance(t, Uuid):              # 32 hex digits -> canonical text
        return (f"lower(substr({q},1,8)||'-'||substr({q},9,4)||'-'||substr({q},13,4)||'-'||substr({q},17,4)||'-'"
                f"||substr({q},21))")
    if isinstance(t, UTCDateTime):       # naive UTC text -> ISO 8601 with microseconds and +00:00
        return (f"CASE WHEN {q} IS NULL THEN NULL WHEN length({q}) = 19 THEN substr({q},1,10)||'T'||substr({q},12)"
                f"||'.000000+00:00' ELSE substr({q},1,10)||'T'||substr({q},12,15)||'+00:00' END")
    if isinstance(t, Boolean):
        return f"json(CASE WHEN {q} IS NULL THEN 'null' WHEN {q} THEN 'true' ELSE 'false' END)"
    if isinstance(t, LargeBinary):
        return f"CASE WHEN {q} IS NULL THEN NULL ELSE lower(hex({q})) END"
    if isinstance(t, Enum | Date | Integer | String | Text):   # stored as their JSON value (enums: the value)
        return q
    raise TypeError(f"{table.name}.{column}: no JSON form for {type(t).__name__}")


def rows_sql(entity: str) -> str:
    """``SELECT entity, id, json, hlc, origin`` of the demo rows of one store (parameter: the store id)."""
    table = Base.metadata.tables[entity]
    names = sorted(c.name for c in table.columns)
    pairs = ", ".join(f"'{n}', {_json_expr(table, n)}" for n in names)
    return (f"SELECT '{entity}', {_json_expr(table, 'id')}, json_object({pairs}), updated_hlc, origin_terminal_id "
            f"FROM \"{entity}\" WHERE store_id = ? AND origin_terminal_id = '{ORIGIN}'")


def demo_row_count(conn: Connection, store_id: str) -> int:
    return sum(int(conn.exec_driver_sql(f"SELECT count(*) FROM \"{t}\" WHERE store_id = ? AND origin_terminal_id = ?",
                                        (store_id, ORIGIN)).scalar_one()) for t in TABLES)


def demo_rows(conn: Connection, store_id: str, *, batch: int = BATCH_ROWS) -> Iterator[list[SeedRow]]:
    """Batches of the demo rows of ``store_id`` (parents first), read in one snapshot of ``conn``."""
    raw = conn.connection.driver_connection
    assert raw is not None
    for entity in TABLES:
        cur = raw.execute(rows_sql(entity), (store_id,))
        try:
            while chunk := cur.fetchmany(batch):
                yield chunk
        finally:
            cur.close()


def _read_demo_rows(core: Core, store_id: str) -> Iterator[list[SeedRow]]:
    with core.db.read_engine.connect() as conn, conn.begin():      # one snapshot of the demo rows
        yield from demo_rows(conn, store_id)


_DONE = object()


@contextlib.contextmanager
def prefetched(make: Callable[[], Iterator[T]], *, ahead: int = 2) -> Iterator[Iterator[T]]:
    """The items of ``make()``, produced on a helper thread up to ``ahead`` items in advance (SQLite releases the
    GIL while it steps, so reading the local rows overlaps writing them centrally). The producer's exception is
    raised in the consumer; leaving the block early stops the producer."""
    items: queue.Queue[object] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = make()
        try:
            for item in source:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:  # handed to the consumer
            put(exc)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    def consume() -> Iterator[T]:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield cast(T, item)

    worker = threading.Thread(target=produce, name="demo-publish-reader", daemon=True)
    worker.start()
    try:
        yield consume()
    finally:
        stop.set()
        worker.join()


# -- publishing ------------------------------------------------------------------------------------------------------

@contextlib.contextmanager
def sync_lock(core: Core) -> Iterator[None]:
    """The terminal's sync lock (the file a sync run locks: runs and publishing never interleave)."""
    path: Path = core.paths.database.with_name("sync.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        yield
    finally:
        os.close(fd)


def publish_demo(core: Core, central: CentralStore, *, progress: Progress | None = None,
                 catalog: bool = True) -> PublishReport:
    """Publish this terminal's demo rows to ``central`` (see the module doc); safe to run again."""
    report: Progress = progress or (lambda phase, done, total: None)
    state = marker(core)
    if state is None:
        raise ValidationError("No demo data to publish in this database (load it with `posapp-admin demo`).")
    store_id = core.settings.store_id
    if state.get("store_id", store_id) != store_id:
        raise ValidationError(f"The demo was loaded for store {state['store_id']}, this terminal is now store "
                              f"{store_id}; its rows cannot be published for another store.")
    t0 = time.perf_counter()
    with sync_lock(core):
        changed: dict[str, int] | None = None
        if catalog:
            from posapp.central.catalog import catalog_rows

            try:
                changed = central.load_catalog(catalog_rows())
            except ProtocolRefused:     # a store's login may not write the chain-wide catalog
                changed = None
        with core.db.read_engine.connect() as conn:
            cursor = str(conn.exec_driver_sql("SELECT value FROM sync_state WHERE key = ?",
                                              (CURSOR_KEY,)).scalar() or "")
        with core.db.read_engine.connect() as conn:
            total = demo_row_count(conn, store_id)
        report("central store", 0, total)
        with prefetched(lambda: _read_demo_rows(core, store_id)) as batches:
            seed: SeedResult = load_store_rows(central, store_id, batches, after_cursor=cursor, expected_rows=total,
                                               progress=lambda done: report("central store", done, total))
        done = {"state": PUBLISHED, "store_id": store_id, "central": central.url, "rows": seed.rows,
                "first_seq": seed.first_seq, "last_seq": seed.last_seq}
        with core.db.write_engine.connect() as conn, conn.begin():
            if seed.cursor is not None:
                conn.exec_driver_sql(_UPSERT, (CURSOR_KEY, seed.cursor))
            conn.exec_driver_sql(_UPSERT, (MARKER_KEY, json.dumps({**state, **done})))
    return PublishReport(central=central.url, rows=seed.rows, inserted=seed.inserted + seed.completed,
                         existing=seed.existing, catalog=changed, cursor=seed.cursor or cursor,
                         cursor_moved=seed.cursor is not None and seed.cursor != cursor,
                         seconds=time.perf_counter() - t0)


__all__ = ["MARKER_KEY", "PublishReport", "can_publish", "demo_row_count", "demo_rows", "is_pending", "mark_pending",
           "marker", "prefetched", "publish_demo", "rows_sql", "sync_lock"]
