"""Pulled rows held back by a collision with a local unique key (issue 10 §5).

Two terminals of a store can each create a row with the same value of a local unique key before either has seen
the other's (both type employee number 8001; later: one phone number from the pool, one IMEI). The central store
keeps both rows — they have different ids — and serves both, but this terminal's database refuses the second one.
Before, that row was skipped as a problem on every pull, the convergence check found the centre holding a row the
terminal lacked, rebuilt the entity, still differed, and every run failed, forever.

Now a pulled row that the database refuses, and that has the same value of a key declared in
:attr:`posapp.sync.entities.EntityPolicy.unique` as another local row, is **held**: its data is kept in
``sync_held_row`` (not in the entity's table) and a ``local_unique`` conflict is written to ``sync_conflict``
(entity, both ids, key and value, both rows' origin terminals — no other field of either row) for a manager.
Meanwhile:

* the convergence digest counts held rows as known here (:func:`held_ids`): they are at the centre and on this
  terminal, just not written yet, so the check agrees and the run succeeds with the conflict counted;
* every later pull of the same row replaces the held data (or writes the row, once it no longer collides);
* every run retries the held rows (:func:`retry_rows`): once the collision is gone (one of the two rows renumbered
  here or at the other terminal), the row is written, released and its conflict marked resolved.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from posapp.db.models.sync import SyncConflict, SyncHeldRow
from posapp.sync.entities import EntityPolicy, UniqueKey
from posapp.sync.protocol import RowState

HELD = cast(Table, SyncHeldRow.__table__)
CONFLICTS = cast(Table, SyncConflict.__table__)
KIND = "local_unique"                # sync_conflict.kind of a held row


@dataclass(frozen=True)
class Collision:
    key: UniqueKey
    value: str
    local_id: str                    # the local row that already has the value
    local_terminal: str


def conflict_id(entity: str, entity_id: str) -> str:
    return f"local:{entity}:{entity_id}"


def find_collision(conn: Connection, table: Table, pol: EntityPolicy,
                   values: Mapping[str, Any]) -> Collision | None:
    """The first declared unique key whose value in ``values`` another local row already has (None: no such)."""
    pk = table.c[pol.key]
    for key in pol.unique:
        value = values.get(key.field)
        if value is None or key.field not in table.c:
            continue
        cols = [pk] + ([table.c.origin_terminal_id] if "origin_terminal_id" in table.c else [])
        row = conn.execute(select(*cols).where(table.c[key.field] == value, pk != values[pol.key])
                           .limit(1)).first()
        if row is not None:
            return Collision(key=key, value=str(value), local_id=str(row[0]),
                             local_terminal=str(row[1]) if len(row) > 1 else "")
    return None


def hold(conn: Connection, state: RowState, collision: Collision, *, now: datetime) -> bool:
    """Keep ``state`` back and flag it; True when it was not held before (a new conflict)."""
    was = conn.scalar(select(HELD.c.entity).where(HELD.c.entity == state.entity,
                                                  HELD.c.entity_id == state.entity_id))
    values = {"data": state.data, "hlc": state.hlc, "key": collision.key.field, "value": collision.value[:120],
              "local_id": collision.local_id, "held_at": now}
    ins = sqlite_insert(HELD).values(entity=state.entity, entity_id=state.entity_id, **values)
    conn.execute(ins.on_conflict_do_update(index_elements=[HELD.c.entity, HELD.c.entity_id], set_=values))
    try:
        pulled_terminal = str(json.loads(state.data).get("origin_terminal_id") or "")
    except (ValueError, AttributeError):
        pulled_terminal = ""
    detail = json.dumps({"key": collision.key.field, "value": collision.value, "pulled_id": state.entity_id,
                         "local_id": collision.local_id, "pulled_terminal": pulled_terminal,
                         "local_terminal": collision.local_terminal, "noun": collision.key.noun,
                         "what": collision.key.what, "fix": collision.key.fix}, sort_keys=True)
    cid = conflict_id(state.entity, state.entity_id)
    row = {"kind": KIND, "entity": state.entity, "entity_id": state.entity_id, "store_id": state.store_id,
           "detail": detail, "resolved": False}
    fresh = was is None
    conn.execute(sqlite_insert(CONFLICTS).values(conflict_id=cid, detected_at=now.isoformat(), **row)
                 .on_conflict_do_update(index_elements=[CONFLICTS.c.conflict_id],
                                        set_=row if not fresh else {**row, "detected_at": now.isoformat()}))
    return fresh


def release(conn: Connection, keys: Iterable[tuple[str, str]]) -> int:
    """The rows ``keys`` were written (or deleted at the centre): no longer held, their conflicts resolved."""
    n = 0
    for entity, entity_id in keys:
        n += int(conn.execute(delete(HELD).where(HELD.c.entity == entity, HELD.c.entity_id == entity_id))
                 .rowcount or 0)
        conn.execute(update(CONFLICTS).where(CONFLICTS.c.conflict_id == conflict_id(entity, entity_id))
                     .values(resolved=True))
    return n


def held_keys(conn: Connection) -> set[tuple[str, str]]:
    return {(str(e), str(i)) for e, i in conn.execute(select(HELD.c.entity, HELD.c.entity_id))}


def held_ids(conn: Connection) -> dict[str, set[str]]:
    """Ids of held rows per entity (known here, counted by the convergence digest)."""
    out: dict[str, set[str]] = {}
    for entity, entity_id in conn.execute(select(HELD.c.entity, HELD.c.entity_id)):
        out.setdefault(entity, set()).add(entity_id)
    return out


def held_count(conn: Connection) -> int:
    return len(held_keys(conn))


def held_rows(conn: Connection, store_id: str) -> list[RowState]:
    """The held rows as pulled, to be applied again (:func:`posapp.sync.apply.retry_held`)."""
    return [RowState(entity=e, entity_id=i, store_id=store_id, data=d, hlc=h) for e, i, d, h in conn.execute(
        select(HELD.c.entity, HELD.c.entity_id, HELD.c.data, HELD.c.hlc).order_by(HELD.c.held_at))]


def held_data(conn: Connection, entity: str, entity_id: str) -> dict[str, Any] | None:
    """The held row's pulled data (for a manager's label of the row), or None."""
    text = conn.scalar(select(HELD.c.data).where(HELD.c.entity == entity, HELD.c.entity_id == entity_id))
    if text is None:
        return None
    data = json.loads(text)
    return data if isinstance(data, dict) else None


__all__ = ["KIND", "Collision", "conflict_id", "find_collision", "held_count", "held_data", "held_ids",
           "held_keys", "held_rows", "hold", "release"]
