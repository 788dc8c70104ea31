"""PostgreSQL statements of a push: one JSON parameter per table and set-based statements, sent through the psycopg
connection under the SQLAlchemy one (same transaction).

(COPY straight into the RLS tables is not allowed for store roles. COPY into session temp tables was used before:
truncating them at every commit (ON COMMIT DELETE ROWS) cost more than the server's JSON parsing; INSERT ... SELECT
unnest(array parameters) and executemany measured slower still: psycopg dumps arrays in Python.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import orjson
from psycopg.rows import namedtuple_row
from sqlalchemy import Connection

from posapp.central import models as m
from posapp.central.codec import compact_hlc, json_text_fast
from posapp.central.merge import Batch
from posapp.sync.protocol import Change

ROW_COLS = [str(c.name) for c in m.row.columns]
ROW_LIST = ", ".join(ROW_COLS)
ROW_COLS_R = ", ".join("coalesce(r.data, (SELECT l.payload FROM central_change l WHERE l.change_id = r.data_change)) "
                       "AS data" if c == "data" else f"r.{c}" for c in ROW_COLS)
_CHANGE_LIST = ", ".join(c.name for c in m.change.columns)

LEDGER_SQL = (f"INSERT INTO central_change ({_CHANGE_LIST}) SELECT t.change_id, %s, %s, t.seq, t.entity, t.entity_id, "
              "t.op, t.payload, t.hlc, %s, %s FROM json_to_recordset(%s::json) AS t(change_id varchar, seq bigint, "
              "entity varchar, entity_id varchar, op varchar, payload text, hlc varchar) "
              "ON CONFLICT (change_id) DO NOTHING RETURNING change_id")
_LEDGER_PLAIN = LEDGER_SQL.split(" ON CONFLICT")[0]
# LATERAL ... LIMIT 1: one primary-key lookup per key, whatever the planner's statistics say (the LIMIT keeps the
# subquery from being pulled up into a hash join over all of the store's rows)
LOOKUP_SQL = (f"SELECT {ROW_COLS_R} FROM json_to_recordset(%s::json) AS k(e varchar, i varchar) CROSS JOIN LATERAL "
              "(SELECT * FROM central_row c WHERE c.store_id = %s AND c.entity = k.e AND c.entity_id = k.i LIMIT 1) r")
# OFFSET 0: an index lookup per parent, never a hash join over the store's rows
CHILDREN_SQL = (f"SELECT {ROW_COLS_R} FROM json_array_elements_text(%s::json) AS k(pid) CROSS JOIN LATERAL "
                "(SELECT * FROM central_row c WHERE c.store_id = %s AND c.parent_id = k.pid OFFSET 0) r")
_INSERT_ROWS = (f"INSERT INTO central_row ({ROW_LIST}) SELECT {ROW_LIST} "
                "FROM json_populate_recordset(NULL::central_row, %s::json)")
_UPDATE_ROWS = ("UPDATE central_row r SET " + ", ".join(f"{c} = t.{c}" for c in ROW_COLS[3:]) +
                " FROM json_populate_recordset(NULL::central_row, %s::json) t "
                "WHERE r.store_id = t.store_id AND r.entity = t.entity AND r.entity_id = t.entity_id")


class Statement(NamedTuple):
    """A statement to run with ``cursor.execute(sql, params, prepare=prepare)``.

    ``prepare=False`` for the row update: once psycopg prepares it (after 5 runs), PostgreSQL's generic plan joins
    the parameter's rows by a sequential scan of ``central_row`` (measured: 6 ms per push at 75,000 rows) instead of
    primary-key lookups.
    """

    sql: str
    params: tuple[Any, ...]
    prepare: bool | None = None

    def run(self, cur: Any) -> None:
        cur.execute(self.sql, self.params, prepare=self.prepare)


def raw(conn: Connection) -> Any:
    """The psycopg connection under a SQLAlchemy connection (same transaction)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    return driver


def send_begin(driver: Any, store_id: str, terminal_id: str) -> Any:
    """Pipeline: SET LOCAL app.store_id, terminal seen, the store's sequence row locked; the cursor whose
    :func:`fetch_seq` gives the sequence's current value."""
    driver.cursor().execute("SELECT set_config('app.store_id', %s, true)", (store_id,))
    driver.cursor().execute(
        "INSERT INTO central_terminal (store_id, terminal_id, registered_at, last_seen_at) VALUES (%s, %s, now(), "
        "now()) ON CONFLICT (store_id, terminal_id) DO UPDATE SET last_seen_at = excluded.last_seen_at",
        (store_id, terminal_id))
    cur = driver.cursor()
    cur.execute("INSERT INTO central_store_seq AS s (store_id, last_seq) VALUES (%s, 0) "
                "ON CONFLICT (store_id) DO UPDATE SET last_seq = s.last_seq RETURNING last_seq", (store_id,))
    return cur


def fetch_seq(cur: Any) -> int:
    row = cur.fetchone()
    assert row is not None
    return int(row[0])


def ledger_json(changes: Sequence[Change]) -> str:
    """The ledger parameter: orjson writes each Change dataclass as an object of its fields."""
    return orjson.dumps(changes).decode()


def send_ledger(driver: Any, changes_json: str, store_id: str, terminal_id: str, batch_id: str, now: datetime,
                *, answers: bool) -> Any:
    """Pipeline: insert the ledger rows (``changes_json``: :func:`ledger_json`). ``answers``: ``ON CONFLICT DO
    NOTHING RETURNING change_id`` (the cursor gives the ids not seen before); else a plain insert, which fails on
    the primary key if one was seen before."""
    cur = driver.cursor()
    cur.execute(LEDGER_SQL if answers else _LEDGER_PLAIN, (store_id, terminal_id, batch_id, now, changes_json))
    return cur


def send_lookup(driver: Any, store_id: str, keys: Sequence[tuple[str, str]]) -> Any | None:
    """Pipeline: read the stored rows of ``keys`` (entity, id); the cursor (central_row records), None if none."""
    if not keys:
        return None
    cur = driver.cursor(row_factory=namedtuple_row)
    cur.execute(LOOKUP_SQL, (keys_json(keys), store_id))
    return cur


def send_children(driver: Any, store_id: str, parent_ids: Sequence[str]) -> Any | None:
    """Pipeline: read the stored rows whose parent is one of ``parent_ids``; the cursor, None if none."""
    if not parent_ids:
        return None
    cur = driver.cursor(row_factory=namedtuple_row)
    cur.execute(CHILDREN_SQL, (orjson.dumps(list(parent_ids)).decode(), store_id))
    return cur


def send_seq(driver: Any, store_id: str, seq: int) -> None:
    driver.cursor().execute("UPDATE central_store_seq SET last_seq = %s WHERE store_id = %s", (seq, store_id))


def keys_json(keys: Iterable[tuple[str, str]]) -> str:
    return orjson.dumps([{"e": e, "i": i} for e, i in keys]).decode()


def lookup(conn: Connection, store_id: str, keys: Sequence[tuple[str, str]]) -> list[Any]:
    """The stored rows of ``keys`` (entity, id) of the store (records with central_row's columns)."""
    return _fetched(send_lookup(raw(conn), store_id, keys))


def children(conn: Connection, store_id: str, parent_ids: Sequence[str]) -> list[Any]:
    """The stored rows of the store whose parent is one of ``parent_ids``."""
    return _fetched(send_children(raw(conn), store_id, parent_ids))


def _fetched(cur: Any | None) -> list[Any]:
    if cur is None:
        return []
    with cur:
        return list(cur.fetchall())


def take_rows(batch: Batch) -> list[Statement]:
    """The statement writing the batch's dirty rows (new ones inserted, stored ones updated; one JSON parameter
    each); the rows count as written from here on (a later change to one is an update)."""
    new: list[dict[str, Any]] = []
    stored: list[dict[str, Any]] = []
    for r in batch.rows.values():
        if not r.dirty:
            continue
        top = r.top if r.text is not None else r.hlc
        data: str | None
        if r.text is not None:  # exactly one insert's payload, kept once: in the ledger; every field of its HLC
            data, ref, field_hlc = None, r.text_change, f'{{"*":"{top}"}}'  # HLC text matched HLC_RE: no escaping
        else:
            data, ref = json_text_fast(r.data), None
            field_hlc = compact_hlc(r.field_hlc, r.data, json_text_fast)
        (stored if r.stored else new).append(dict(zip(ROW_COLS, (
            r.store_id, r.entity, r.entity_id, data, field_hlc, top, r.origin, r.parent_id, r.seq,
            r.created_seq, r.deleted, r.recv_text(), ref), strict=True)))
        r.dirty, r.stored = False, True
    out: list[Statement] = []
    if stored:
        out.append(Statement(_UPDATE_ROWS, (orjson.dumps(stored).decode(),), prepare=False))
    if new:
        out.append(Statement(_INSERT_ROWS, (orjson.dumps(new).decode(),)))
    return out
