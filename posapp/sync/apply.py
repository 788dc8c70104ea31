"""Applying pulled rows to the local tables, and the local half of the convergence digest (guide §4).

Entity names are local table names (as written to ``sync_outbox``); :mod:`posapp.sync.entities` says which ones a
terminal pulls. A pulled row is JSON (every column, as :func:`posapp.sync.outbox.row_payload` wrote it); it is
decoded back to column values by the column's type and written with SQLAlchemy Core:

* a row that is not here is inserted;
* a row that is here is updated only in the columns whose value differs, and never in a column that has a pending
  (not yet acknowledged) local outbox change with a newer HLC than the pulled row (per-field guard: that local
  value wins by last-writer-wins once it reaches the central store, so it must not be overwritten meanwhile);
* a row whose value of a declared local unique key (``EntityPolicy.unique``: an employee number, ...) another local
  row already has is **held** (:mod:`posapp.sync.held`): kept aside and flagged as a conflict for a manager, and
  written by a later run once the collision is resolved;
* any other row that cannot be written (e.g. an append-only trigger) is skipped inside a savepoint and reported —
  one bad row never blocks the rest.

Pulled pages are applied on a connection with foreign keys off: the central store serves rows by its sequence, so
a child may arrive before its parent (a customer updated after their sale was pushed); the central store is the
authority on integrity, and the page is applied with its cursor in one transaction.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Enum, LargeBinary, Table, Uuid, delete, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from posapp.db.models import Base
from posapp.db.models.sync import OutboxEntry
from posapp.db.types import UTCDateTime
from posapp.sync import held as held_rows
from posapp.sync.entities import POLICIES, EntityPolicy, Kind
from posapp.sync.protocol import EntityDigest, RowState

_CHUNK = 500


@functools.cache
def pulled_entities() -> tuple[str, ...]:
    """Entities this terminal pulls and has a local table for, parents first (foreign-key order)."""
    order = [t.name for t in Base.metadata.sorted_tables]
    return tuple(n for n in order if n in POLICIES and POLICIES[n].pulled)


def table_for(entity: str) -> tuple[Table, EntityPolicy] | None:
    p = POLICIES.get(entity)
    t = Base.metadata.tables.get(entity)
    if p is None or t is None or not p.pulled:
        return None
    return t, p


def _decode_value(col_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(col_type, Uuid):
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    if isinstance(col_type, UTCDateTime):
        if isinstance(value, datetime):
            return value
        dt = datetime.fromisoformat(str(value))
        return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
    if isinstance(col_type, Date):
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if isinstance(col_type, LargeBinary):
        return value if isinstance(value, bytes) else bytes.fromhex(str(value))
    if isinstance(col_type, Enum) and col_type.enum_class is not None:
        cls = col_type.enum_class
        return value if isinstance(value, cls) else cls(value)
    if isinstance(col_type, Boolean):
        return bool(value)
    return value


def decode_row(table: Table, data: Mapping[str, Any]) -> dict[str, Any]:
    """Column values of ``table`` from a JSON row; unknown fields (a newer central schema) are ignored."""
    return {c.name: _decode_value(c.type, data[c.name]) for c in table.columns if c.name in data}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, PyEnum):
        a = a.value
    if isinstance(b, PyEnum):
        b = b.value
    return bool(a == b)


@dataclass
class ApplyResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    guarded_fields: int = 0
    deleted: int = 0
    skipped: int = 0                                   # entities this terminal does not pull / know
    problems: list[tuple[str, str, str]] = field(default_factory=list)   # (entity, entity_id, reason)
    held: int = 0                                      # rows held back by a local unique key (posapp.sync.held)
    new_held: int = 0                                  # of those, not held before
    released: int = 0                                  # held rows written (or deleted at the centre) by this call

    @property
    def applied(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.deleted


def pending_guard(conn: Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """For (entity, entity_id) pairs: the fields with a pending local outbox change and the newest HLC of each."""
    wanted = set(keys)
    ids = sorted({i for _, i in wanted})
    out: dict[tuple[str, str], dict[str, str]] = {}
    ob = OutboxEntry.__table__
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        rows = conn.execute(select(ob.c.entity, ob.c.entity_id, ob.c.payload, ob.c.hlc)
                            .where(ob.c.acked_at.is_(None), ob.c.entity_id.in_(chunk)))
        for entity, entity_id, payload, hlc in rows:
            key = (entity, entity_id)
            if key not in wanted:
                continue
            fields = out.setdefault(key, {})
            for name in json.loads(payload):
                if fields.get(name, "") < hlc:
                    fields[name] = hlc
    return out


def _write(conn: Connection, stmt: Any, params: Sequence[dict[str, Any]] | dict[str, Any]) -> str | None:
    """Run one statement in a savepoint; the database's refusal as text (nothing written) or None."""
    try:
        with conn.begin_nested():
            conn.execute(stmt, params)
    except (IntegrityError, DBAPIError) as exc:
        return " ".join(str(exc.orig if exc.orig is not None else exc).split())[:300]
    return None


def apply_rows(conn: Connection, rows: Sequence[RowState]) -> ApplyResult:
    """Apply pulled rows (in order) inside the caller's transaction on ``conn``."""
    result = ApplyResult()
    guard = pending_guard(conn, ((r.entity, r.entity_id) for r in rows))
    held_before = held_rows.held_keys(conn)
    by_entity: dict[str, list[RowState]] = {}
    for r in rows:
        by_entity.setdefault(r.entity, []).append(r)
    done: set[tuple[str, str]] = set()
    for entity, states in by_entity.items():
        found = table_for(entity)
        if found is None:
            result.skipped += len(states)
            continue
        table, pol = found
        _apply_entity(_Entity(conn, table, pol, guard, result, done), states)
    if held_before & done:
        result.released += held_rows.release(conn, sorted(held_before & done))
    return result


def retry_held(conn: Connection, store_id: str) -> ApplyResult:
    """Apply the held rows again: those whose collision is gone are written and released, the rest stay held."""
    return apply_rows(conn, held_rows.held_rows(conn, store_id))


class _Entity:
    """One entity's rows of a page: written, held back (a local unique key collision) or reported."""

    def __init__(self, conn: Connection, table: Table, pol: EntityPolicy,
                 guard: Mapping[tuple[str, str], Mapping[str, str]], result: ApplyResult,
                 done: set[tuple[str, str]]) -> None:
        self.conn, self.table, self.pol, self.guard, self.result, self.done = conn, table, pol, guard, result, done

    def ok(self, entity_id: str) -> None:
        self.done.add((self.table.name, entity_id))

    def refused(self, state: RowState, values: Mapping[str, Any], problem: str) -> None:
        """A write the database refused: held when a declared unique key collides, else a problem."""
        collision = held_rows.find_collision(self.conn, self.table, self.pol, values) if self.pol.unique else None
        if collision is None:
            self.result.problems.append((self.table.name, state.entity_id, problem))
            return
        self.result.held += 1
        if held_rows.hold(self.conn, state, collision, now=datetime.now(UTC)):
            self.result.new_held += 1


def _apply_entity(ent: _Entity, states: list[RowState]) -> None:
    conn, table, pol, guard, result = ent.conn, ent.table, ent.pol, ent.guard, ent.result
    pk = table.c[pol.key]
    latest: dict[str, RowState] = {}
    for s in states:                       # a page may hold a row twice (a replayed page): the last one counts
        latest[s.entity_id] = s
    decoded_ids = {i: _decode_value(pk.type, i) for i in latest}
    existing: dict[str, dict[str, Any]] = {}
    id_list = list(decoded_ids.values())
    for start in range(0, len(id_list), _CHUNK):
        for row in conn.execute(select(table).where(pk.in_(id_list[start:start + _CHUNK]))).mappings():
            existing[str(row[pol.key])] = dict(row)
    inserts: list[tuple[RowState, dict[str, Any]]] = []
    single_writer = pol.kind is Kind.EVENT
    for entity_id, state in latest.items():
        have = existing.get(entity_id)
        if state.deleted:
            if have is not None:
                problem = _write(conn, delete(table).where(pk == decoded_ids[entity_id]), {})
                if problem:
                    result.problems.append((table.name, entity_id, problem))
                    continue
                result.deleted += 1
            ent.ok(entity_id)
            continue
        try:
            values = decode_row(table, json.loads(state.data))
        except (ValueError, TypeError) as exc:
            result.problems.append((table.name, entity_id, f"undecodable row: {exc}"))
            continue
        values[pol.key] = decoded_ids[entity_id]
        if have is None:
            inserts.append((state, values))
            continue
        if (single_writer and have.get("updated_hlc") is not None
                and have.get("updated_hlc") == values.get("updated_hlc")):
            result.unchanged += 1          # an event row has one writer: same stamp, same version (e.g. our own)
            ent.ok(entity_id)
            continue
        pending = guard.get((table.name, entity_id), {})
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name == pol.key or _same(have.get(name), value):
                continue
            if pending.get(name, "") > state.hlc:
                result.guarded_fields += 1
                continue
            changes[name] = value
        if not changes:
            result.unchanged += 1
            ent.ok(entity_id)
            continue
        problem = _write(conn, update(table).where(pk == decoded_ids[entity_id]).values(**changes), {})
        if problem:
            ent.refused(state, values, problem)
        else:
            result.updated += 1
            ent.ok(entity_id)
    if not inserts:
        return
    if _write(conn, insert(table), [v for _, v in inserts]) is None:
        result.inserted += len(inserts)
        for state, _ in inserts:
            ent.ok(state.entity_id)
        return
    for state, values in inserts:          # the batch failed: row by row, so one bad row blocks nothing else
        problem = _write(conn, insert(table), values)
        if problem:
            ent.refused(state, values, problem)
        else:
            result.inserted += 1
            ent.ok(state.entity_id)


# -- convergence digest -------------------------------------------------------------------------------------------

def id_hash(ids: Iterable[str]) -> str:
    """sha256 hex of the sorted ids joined by "\\n" (the protocol's :class:`EntityDigest` hash)."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def _wire_uuid(value: str) -> str:
    """The canonical text form of a UUID as SQLAlchemy keeps it in SQLite (32 lowercase hex digits) — by slicing,
    3x faster than ``str(uuid.UUID(value))`` (which any other spelling still goes through)."""
    if len(value) == 32 and value == value.lower():
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(uuid.UUID(value))


def _unshipped(conn: Connection) -> dict[str, set[str]]:
    """Ids whose insert is still in the outbox, was rejected for good or kept local, per entity (two indexed
    lookups: the acknowledged outbox grows without bound, it is never scanned)."""
    out: dict[str, set[str]] = {}
    for sql in ("SELECT entity, entity_id FROM sync_outbox WHERE acked_at IS NULL AND op = 'insert'",
                "SELECT entity, entity_id FROM sync_outbox WHERE ack_status IN ('rejected', 'local_only') "
                "AND op = 'insert'"):
        for entity, entity_id in conn.exec_driver_sql(sql):
            out.setdefault(entity, set()).add(entity_id)
    return out


def _ids_sql(entity: str, store_id: str) -> tuple[str, tuple[str, ...], bool] | None:
    found = table_for(entity)
    if found is None:
        return None
    table, pol = found
    sql = f'SELECT "{pol.key}" FROM "{table.name}"'
    params: tuple[str, ...] = ()
    if not pol.shared and "store_id" in table.c:
        sql += " WHERE store_id = ?"
        params = (store_id,)
    return sql, params, isinstance(table.c[pol.key].type, Uuid)


def local_ids(conn: Connection, entity: str, *, store_id: str,
              unshipped: Mapping[str, set[str]] | None = None) -> set[str]:
    """Ids of the local rows of ``entity`` the central store should also have: this store's rows (every row of a
    shared entity), less rows whose insert is still in the outbox or was rejected for good, plus held rows."""
    q = _ids_sql(entity, store_id)
    if q is None:
        return set()
    sql, params, is_uuid = q
    raw = [r[0] for r in conn.exec_driver_sql(sql, params)]
    # SQLAlchemy keeps a UUID in SQLite as 32 hex digits; ids on the wire are the canonical text form
    ids = {_wire_uuid(v) for v in raw} if is_uuid else {str(v) for v in raw}
    skip = (unshipped if unshipped is not None else _unshipped(conn)).get(entity)
    # held rows (a local unique key collision) are known here, only not written yet: counted like local rows
    return (ids - skip if skip else ids) | held_rows.held_ids(conn).get(entity, set())


def local_digests(conn: Connection, entities: Iterable[str], *, store_id: str) -> dict[str, EntityDigest]:
    """The local digest of every entity, read in one statement (UNION ALL of the per-entity id queries)."""
    unshipped = _unshipped(conn)
    parts: list[str] = []
    params: list[str] = []
    uuids: set[str] = set()
    wanted = list(entities)
    for entity in wanted:
        q = _ids_sql(entity, store_id)
        if q is None:
            continue
        sql, p, is_uuid = q
        parts.append(sql.replace("SELECT ", f"SELECT '{entity}', ", 1))
        params.extend(p)
        if is_uuid:
            uuids.add(entity)
    ids: dict[str, set[str]] = {e: set() for e in wanted}
    if parts:
        for entity, value in conn.exec_driver_sql(" UNION ALL ".join(parts), tuple(params)):
            # SQLAlchemy keeps a UUID in SQLite as 32 hex digits; ids on the wire are the canonical text form
            ids[entity].add(_wire_uuid(value) if entity in uuids else str(value))
    held = held_rows.held_ids(conn)        # known here, only not written yet (see posapp.sync.held)
    out: dict[str, EntityDigest] = {}
    for entity in wanted:
        mine = (ids[entity] - unshipped.get(entity, set())) | held.get(entity, set())
        out[entity] = EntityDigest(entity=entity, count=len(mine), id_hash=id_hash(mine))
    return out


__all__ = ["ApplyResult", "apply_rows", "decode_row", "id_hash", "local_digests", "local_ids", "pending_guard",
           "pulled_entities", "retry_held", "table_for"]
