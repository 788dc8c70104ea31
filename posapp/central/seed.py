"""Head-office bulk load of a store's rows into the central store (demo data, migrations from a legacy system).

Rows that "head office already has" (``posapp-admin demo`` loads them into a terminal without outbox entries)
must exist centrally too, or every convergence check finds the terminal holding rows the central store lacks.
:func:`load_store_rows` writes them straight into ``central_row`` in big set-based batches, the way
:meth:`CentralStore.load_catalog` writes shared rows, but for one store::

    result = load_store_rows(central, "S001", batches, after_cursor=terminal_cursor)
    # batches: iterable of sequences of SeedRow (entity, entity_id, data JSON object text, hlc, origin)

* **One transaction**, holding the store's sequence row (as a push does), so the rows get consecutive sequence
  numbers ``first_seq .. last_seq`` and a pull never sees half of them.
* **Idempotent, keyed by (store, entity, entity id)**: a row already there is left as it is (counted
  ``existing``), so running the load again after a failure or a crash adds only what is missing. A row that
  exists only as an edit that arrived before its insert (``created_seq`` NULL) is completed: each field keeps the
  value with the greater HLC, as a pushed insert would.
* **Rows are stored as inserted**: every field at the row's HLC (``field_hlc = {"*": hlc}``), ``created_seq =
  seq``, origin as given (demo rows: ``HQ``). Later terminal edits (newer HLCs) win field by field as usual.
* **Claims** (an activated device's IMEI) are recorded for the loaded rows, set-based; head-office data is
  trusted, so a load does not flag uniqueness conflicts against other stores.
* **Cursor hand-over** (``after_cursor``): if the terminal that holds these rows already pulled everything of
  the store up to the load (no pull-visible row of the store with a sequence after its cursor), the result's
  ``cursor`` lets it skip the loaded rows (store part = ``last_seq``, shared part unchanged). Otherwise
  ``cursor`` is None: the terminal keeps its cursor and its next pull applies the loaded rows as no-ops.

The data text is stored as given (a JSON object in the form :func:`posapp.sync.outbox.row_payload` writes); only
its shape is checked here (it starts with ``{``), not parsed, so millions of rows load at disk speed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from posapp.central import models as m
from posapp.central.codec import expand_hlc, make_cursor, parse_cursor
from posapp.central.store import CentralStore
from posapp.db.types import UTCDateTime
from posapp.errors import ValidationError
from posapp.sync.entities import POLICIES, PULLED_ENTITIES
from posapp.sync.protocol import ProtocolRefused

SeedRow = tuple[str, str, str, str, str]            # entity, entity_id, data (JSON object text), hlc, origin
Progress = Callable[[int], None]                    # rows handled so far

_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,10}$")
_PG_CHUNK = 10_000
_SQLITE_CACHE = -262_144         # KiB: 256 MiB while loading


@dataclass(frozen=True)
class SeedResult:
    store_id: str
    rows: int                   # rows offered
    inserted: int               # rows new to the central store
    completed: int              # rows that existed only as an early edit and got their insert now
    existing: int               # rows already there (a repeated load): left as they were
    first_seq: int              # the store sequence numbers given to the rows (first_seq > last_seq: none)
    last_seq: int
    cursor: str | None          # where the terminal at ``after_cursor`` may continue pulling (None: keep yours)
    seconds: float


def _check(entity: str, entity_id: str, data: str, hlc: str, origin: str) -> None:
    pol = POLICIES.get(entity)
    if pol is None or pol.shared:
        raise ValidationError(f"{entity!r} is not a store entity the central store keeps")
    if not entity_id or len(entity_id) > 60:
        raise ValidationError(f"{entity}: missing or too long id {entity_id!r}")
    if not data.startswith("{"):
        raise ValidationError(f"{entity} {entity_id}: the data is not a JSON object")
    if not hlc or not origin or len(origin) > 10 or len(hlc) > 60:
        raise ValidationError(f"{entity} {entity_id}: missing HLC or origin")
    if any(c.parent is not None or c.when for c in pol.claims):
        raise ValidationError(f"{entity} rows carry claims that depend on other rows; push them as changes")


def _lock_seq(central: CentralStore, conn: Connection, store_id: str) -> int:
    ins = (postgresql.insert(m.store_seq) if central.dialect == "postgresql" else sqlite.insert(m.store_seq))
    conn.execute(ins.values(store_id=store_id, last_seq=0).on_conflict_do_nothing())
    return int(conn.execute(update(m.store_seq).where(m.store_seq.c.store_id == store_id)
                            .values(last_seq=m.store_seq.c.last_seq).returning(m.store_seq.c.last_seq)).scalar_one())


def _handover(conn: Connection, store_id: str, after_cursor: str | None, last: int) -> tuple[int, int] | None:
    """(store, shared) position of ``after_cursor`` when nothing pull-visible of the store lies after it."""
    if after_cursor is None:
        return None
    store_pos, shared_pos = parse_cursor(after_cursor)
    if store_pos > last:        # a cursor of another central store
        return None
    c = m.row.c
    later = conn.execute(select(func.count()).select_from(m.row).where(
        c.store_id == store_id, c.seq > store_pos, c.created_seq.is_not(None),
        c.entity.in_(list(PULLED_ENTITIES)))).scalar_one()
    return (store_pos, shared_pos) if int(later) == 0 else None


def _early_edits(conn: Connection, store_id: str) -> dict[tuple[str, str], Any]:
    """Rows of the store that hold only an edit, no insert yet (rare; completed by the load)."""
    c = m.row.c
    return {(r.entity, r.entity_id): r for r in conn.execute(
        select(c.entity, c.entity_id, m.ROW_DATA.label("data"), c.field_hlc, c.field_recv)
        .where(c.store_id == store_id, c.created_seq.is_(None)))}


def _merge(early: Any, data: str, hlc: str) -> tuple[str, str, str, str | None]:
    """The seed row merged with an early edit, per field by HLC: (data, field_hlc, row hlc, field_recv) as JSON
    text. Receive stamps stay those of the edit's fields (written out, not compact: the loaded fields have none)."""
    import json

    mine = json.loads(data)
    have = json.loads(early.data)
    field_hlc = expand_hlc(json.loads(early.field_hlc), have)
    recv = None if early.field_recv is None else expand_hlc(json.loads(early.field_recv), have)
    for k, v in mine.items():
        if k not in field_hlc or hlc > field_hlc[k]:
            have[k] = v
            field_hlc[k] = hlc
            if recv is not None:
                recv.pop(k, None)

    def dumps(value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    return dumps(have), dumps(field_hlc), max(field_hlc.values()), None if recv is None else dumps(recv)


_SQLITE_INSERT = ("INSERT INTO central_row (store_id, entity, entity_id, data, field_hlc, hlc, origin_terminal_id, "
                  "parent_id, seq, created_seq, deleted) VALUES (?1, ?2, ?3, ?4, '{\"*\":' || json_quote(?5) || '}', "
                  "?5, ?6, NULL, ?7, ?7, 0) ON CONFLICT (store_id, entity, entity_id) DO NOTHING")
_PG_INSERT = ("INSERT INTO central_row (store_id, entity, entity_id, data, field_hlc, hlc, origin_terminal_id, "
              "parent_id, seq, created_seq, deleted) SELECT %s, t.e, t.i, t.d, json_build_object('*', t.h)::text, t.h, "
              "t.o, NULL, t.s, t.s, false FROM unnest(%s::varchar[], %s::varchar[], %s::text[], %s::varchar[], "
              "%s::varchar[], %s::bigint[]) AS t(e, i, d, h, o, s) "
              "ON CONFLICT (store_id, entity, entity_id) DO NOTHING")


def _raw(conn: Connection) -> Any:
    raw = conn.connection.driver_connection
    assert raw is not None
    return raw


@contextmanager
def _sqlite_tuning(conn: Connection) -> Iterator[None]:
    """For the loading connection only: a bigger page cache and ``synchronous = NORMAL`` (in WAL mode a crash or
    power cut can lose the load's commit, never the database's consistency); restored afterwards."""
    raw = _raw(conn)
    sync = raw.execute("PRAGMA synchronous").fetchone()[0]
    cache = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = {_SQLITE_CACHE}")
    raw.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA synchronous = {int(sync)}")
        raw.execute(f"PRAGMA cache_size = {int(cache)}")


def _drop_secondary_indexes(conn: Connection, expected_rows: int | None) -> list[str]:
    """SQLite: drop ``central_row``'s secondary indexes for the load (rebuilt once at the end, in the same
    transaction) when the load is bigger than the table already is; returns their SQL."""
    if not expected_rows:
        return []
    raw = _raw(conn)
    present = int(raw.execute("SELECT coalesce(max(rowid), 0) FROM central_row").fetchone()[0])
    if present >= expected_rows:
        return []
    saved = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'central_row' "
                        "AND sql IS NOT NULL ORDER BY name").fetchall()
    for name, _ in saved:
        raw.execute(f'DROP INDEX "{name}"')
    return [str(sql) for _, sql in saved]


def load_store_rows(central: CentralStore, store_id: str, batches: Iterable[Sequence[SeedRow]], *,
                    after_cursor: str | None = None, progress: Progress | None = None,
                    expected_rows: int | None = None) -> SeedResult:
    """Load head office's rows of ``store_id`` into the central store in one transaction (see the module doc).

    ``expected_rows`` (a hint): on SQLite, a load bigger than the table drops its secondary indexes and builds them
    once at the end, inside the same transaction."""
    if not _ID_RE.match(store_id):
        raise ValidationError(f"bad store id {store_id!r}")
    try:
        with central.engine.connect() as conn:
            if central.dialect == "postgresql":
                return _load(central, conn, store_id, batches, after_cursor, progress, expected_rows)
            with _sqlite_tuning(conn):
                return _load(central, conn, store_id, batches, after_cursor, progress, expected_rows)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":  # row-level security: another store's login
            raise ProtocolRefused(f"this login may not load rows of store {store_id!r}") from exc
        raise


def _load(central: CentralStore, conn: Connection, store_id: str, batches: Iterable[Sequence[SeedRow]],
          after_cursor: str | None, progress: Progress | None, expected_rows: int | None) -> SeedResult:
    t0 = time.perf_counter()
    offered = inserted = completed = 0
    entities: set[str] = set()
    pg = central.dialect == "postgresql"
    with conn.begin():
        if pg:
            conn.execute(text("SELECT set_config('app.store_id', :s, true)"), {"s": store_id})
        last = _lock_seq(central, conn, store_id)
        rebuild = [] if pg else _drop_secondary_indexes(conn, expected_rows)
        position = _handover(conn, store_id, after_cursor, last)
        early = _early_edits(conn, store_id)
        seq = last
        raw = _raw(conn)
        for batch in batches:
            rows: list[tuple[str, str, str, str, str, str, int]] = []       # store first: the SQLite parameters
            for entity, entity_id, data, hlc, origin in batch:
                if entity not in entities:
                    _check(entity, entity_id, data, hlc, origin)
                    entities.add(entity)
                elif not data.startswith("{") or not entity_id:
                    _check(entity, entity_id, data, hlc, origin)
                seq += 1
                hit = early.pop((entity, entity_id), None) if early else None
                if hit is not None:
                    d, fh, h, fr = _merge(hit, data, hlc)
                    c = m.row.c
                    conn.execute(update(m.row).where(c.store_id == store_id, c.entity == entity,
                                                     c.entity_id == entity_id)
                                 .values(data=d, field_hlc=fh, field_recv=fr, hlc=h, seq=seq, created_seq=seq,
                                         deleted=False, origin_terminal_id=origin))
                    completed += 1
                    continue
                rows.append((store_id, entity, entity_id, data, hlc, origin, seq))
            offered += len(batch)
            if rows:
                if pg:
                    with raw.cursor() as cur:
                        for i in range(0, len(rows), _PG_CHUNK):
                            part = rows[i:i + _PG_CHUNK]
                            cur.execute(_PG_INSERT, (store_id, *([r[k] for r in part] for k in range(1, 7))))
                            inserted += max(cur.rowcount, 0)
                else:
                    cur = raw.cursor()
                    try:
                        cur.executemany(_SQLITE_INSERT, rows)
                        inserted += max(cur.rowcount, 0)
                    finally:
                        cur.close()
            if progress is not None:
                progress(offered)
        for sql in rebuild:
            _raw(conn).execute(sql)
        if seq > last:
            _record_claims(central, conn, store_id, sorted(entities), last + 1, seq)
            conn.execute(update(m.store_seq).where(m.store_seq.c.store_id == store_id).values(last_seq=seq))
    cursor = make_cursor(seq, position[1]) if position is not None else None
    return SeedResult(store_id=store_id, rows=offered, inserted=inserted, completed=completed,
                      existing=offered - inserted - completed, first_seq=last + 1, last_seq=seq, cursor=cursor,
                      seconds=time.perf_counter() - t0)


def _record_claims(central: CentralStore, conn: Connection, store_id: str, entities: list[str], first: int,
                   last: int) -> None:
    """Claim rows for the loaded rows that hold a claimed value (set-based, from the stored JSON)."""
    now = bindparam("now", datetime.now(UTC), type_=UTCDateTime())
    for entity in entities:
        for claim in POLICIES[entity].claims:
            if central.dialect == "postgresql":
                value = f"(r.data::jsonb ->> '{claim.field}')"
            else:
                value = f"json_extract(r.data, '$.{claim.field}')"
            sql = (f"INSERT INTO central_claim (kind, claim_key, store_id, entity, entity_id, released, claimed_at) "
                   f"SELECT :kind, {value}, r.store_id, r.entity, r.entity_id, false, :now FROM central_row r "
                   f"WHERE r.store_id = :store AND r.entity = :entity AND r.seq BETWEEN :first AND :last "
                   f"AND coalesce({value}, '') <> '' ON CONFLICT DO NOTHING")
            conn.execute(text(sql).bindparams(now), {"kind": claim.kind, "store": store_id, "entity": entity,
                                                     "first": first, "last": last})


def store_row_count(central: CentralStore, store_id: str, *, origin: str | None = None) -> int:
    """Rows of a store in the central store (pull-visible ones), optionally only those of one origin."""
    c = m.row.c
    cond = and_(c.store_id == store_id, c.created_seq.is_not(None))
    if origin is not None:
        cond = and_(cond, c.origin_terminal_id == origin)
    with central.engine.begin() as conn:
        if central.dialect == "postgresql":
            conn.execute(text("SELECT set_config('app.store_id', :s, true)"), {"s": store_id})
        return int(conn.execute(select(func.count()).select_from(m.row).where(cond)).scalar_one())


__all__ = ["SeedResult", "SeedRow", "load_store_rows", "store_row_count"]
