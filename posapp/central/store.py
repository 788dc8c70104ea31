"""The central store: applies pushed changes exactly once, merges them by entity policy, serves pulls and digests.

API (see also :mod:`posapp.central`)::

    central = CentralStore.open(url)                 # schema must exist: posapp-admin central init / init_central
    central = CentralStore.open(url, create=True)    # create/upgrade the schema first (tests, embedded SQLite)
    central.push(PushRequest) -> PushResponse        # one transaction per batch; per-change applied/duplicate/rejected
    central.pull(PullRequest) -> PullResponse        # rows of the store + shared rows after the cursor, in seq order
    central.digest(DigestRequest) -> DigestResponse  # per pulled entity: count + sha256 of sorted ids <= cursor
    central.conflicts(store_id) -> tuple[Conflict, ...]
    central.load_catalog({"plan": [row, ...], ...}) # head office: the shared catalog
    central.close()

Exactly once: ``central_change.change_id`` is a primary key forever; a batch inserts its changes with
``ON CONFLICT DO NOTHING ... RETURNING`` and only the returned ones are applied (the rest are ``duplicate``).

Pull sequence: every store has one row in ``central_store_seq``. A push locks it first (``UPDATE ... RETURNING``,
a row lock on PostgreSQL, the write lock on SQLite) and holds it until commit, so sequence numbers of a store are
committed in order: a pull that has seen seq N never misses a row committed later with a seq <= N.

Merge, per :mod:`posapp.sync.entities`: every row keeps per-field HLCs; a field takes the value with the greatest
HLC (ties: the greater JSON text), so the merged state does not depend on arrival order or duplication.
``event`` rows accept inserts once and changes only from their origin terminal; ``profile`` rows log a
``field_lww`` conflict when an edit arrives after a newer value from another node and is discarded (the losing
value and both HLCs are in the conflict's detail); ``stock`` movements are summed per sku (negative
on-hand = ``oversell``); ``shared`` entities are refused from stores. Claims (IMEI sold / activated) record every
claimant; a second live claimant of a key is flagged ``uniqueness`` (both rows are kept).
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from psycopg.rows import namedtuple_row
from sqlalchemy import Connection, bindparam, delete, select, text, update

from posapp.central import models as m
from posapp.central.codec import (
    chunks,
    compact_hlc,
    expand_hlc,
    hlc_node,
    json_text,
    json_text_fast,
    json_value,
)
from posapp.central.reads import ID_RE, SHARED_STORE, CentralReads
from posapp.sync.entities import POLICIES, Claim, EntityPolicy, Kind, matches, policy
from posapp.sync.hlc import Stamp
from posapp.sync.protocol import (
    PROTOCOL_VERSION,
    Change,
    ChangeResult,
    ChangeStatus,
    ProtocolRefused,
    PushRequest,
    PushResponse,
)

DELETED = "__deleted__"
_BOOKKEEPING = frozenset({"updated_hlc", DELETED})
_HLC_RE = re.compile(r"^[0-9]{13}\.[0-9]{5,}\.[A-Za-z0-9_.:-]{1,40}$")  # ms.counter.node (posapp.sync.hlc)
_OPS = ("insert", "update", "delete")
_CHILD_CLAIMS: dict[str, list[tuple[str, Claim]]] = defaultdict(list)
for _name, _pol in POLICIES.items():
    for _c in _pol.claims:
        if _c.parent is not None:
            _CHILD_CLAIMS[_c.parent[0]].append((_name, _c))


def _recv_text(r: _Row) -> str | None:
    if r.field_recv is None:
        return None
    return compact_hlc(r.field_recv, r.data)


@dataclass(slots=True)
class _Row:
    store_id: str
    entity: str
    entity_id: str
    data: dict[str, Any]
    field_hlc: dict[str, str]
    origin: str
    parent_id: str | None
    seq: int
    created_seq: int | None
    deleted: bool
    stored: bool                      # exists in the database (update) or not (insert)
    dirty: bool = False
    text: str | None = None           # the data as JSON text when it is exactly one insert's payload
    field_recv: dict[str, str] | None = None  # profiles: field -> central HLC when the value held was received
    top: str = ""                     # with ``text``: the insert's HLC (every field's)

    @property
    def hlc(self) -> str:
        return max(self.field_hlc.values()) if self.field_hlc else ""


@dataclass
class _Batch:
    """State of one push transaction."""

    store_id: str
    terminal_id: str
    seq: int
    recv: str = ""                    # the central HLC of this batch's arrival (after every HLC in it)
    rows: dict[tuple[str, str], _Row] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    stock: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stock_first: dict[str, str] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def conflict(self, kind: str, entity: str, entity_id: str, detail: Mapping[str, Any]) -> None:
        self.conflicts.append({"conflict_id": str(uuid.uuid4()), "store_id": self.store_id, "kind": kind,
                               "entity": entity, "entity_id": entity_id, "detail": json_text(dict(detail)),
                               "detected_at": self.now, "resolved": False})


class _Rejected(Exception):
    pass


class CentralStore(CentralReads):
    """One central store database (SQLite file or PostgreSQL) with its write side: pushes merged by entity
    policy, claims, stock, head office loads. Thread-safe: every call is its own transaction."""



    def _lock_seq(self, conn: Connection, store_id: str) -> int:
        """Lock the store's sequence row for this transaction (created at 0 if missing); its current value."""
        sc = m.store_seq.c
        stmt = self._insert(m.store_seq).values(store_id=store_id, last_seq=0)
        return int(conn.execute(stmt.on_conflict_do_update(index_elements=["store_id"],
                                                           set_={"last_seq": sc.last_seq})
                                .returning(sc.last_seq)).scalar_one())

    def _pg_begin_push(self, conn: Connection, store_id: str, terminal_id: str) -> int:
        """PostgreSQL, one round trip: SET LOCAL app.store_id, terminal seen, lock the store's sequence row.

        The ids are inlined as literals: both matched ``ID_RE`` (letters, digits, '-', '_') in push().
        """
        assert ID_RE.match(store_id) and ID_RE.match(terminal_id)
        with _raw(conn).cursor() as cur:
            cur.execute(
                f"SELECT set_config('app.store_id', '{store_id}', true);"
                "INSERT INTO central_terminal (store_id, terminal_id, registered_at, last_seen_at) "
                f"VALUES ('{store_id}', '{terminal_id}', now(), now()) ON CONFLICT (store_id, terminal_id) "
                "DO UPDATE SET last_seen_at = excluded.last_seen_at;"
                f"INSERT INTO central_store_seq AS s (store_id, last_seq) VALUES ('{store_id}', 0) "
                "ON CONFLICT (store_id) DO UPDATE SET last_seq = s.last_seq RETURNING last_seq")
            while cur.nextset():
                pass
            row = cur.fetchone()
            assert row is not None
            return int(row[0])

    # -- push ----------------------------------------------------------------------------------------------
    def push(self, request: PushRequest) -> PushResponse:
        if request.protocol != PROTOCOL_VERSION:
            raise ProtocolRefused(f"protocol {request.protocol} is not supported (this central speaks "
                                  f"{PROTOCOL_VERSION})")
        self._check_ids(request.store_id, request.terminal_id)
        results: dict[int, ChangeResult] = {}
        first_index: dict[str, int] = {}
        candidates: list[tuple[int, Change, EntityPolicy, dict[str, Any]]] = []
        top_hlc: str | None = None
        for i, ch in enumerate(request.changes):
            if ch.change_id in first_index:
                continue
            first_index[ch.change_id] = i
            try:
                pol, payload = self._validate(request, ch)
            except _Rejected as exc:
                results[i] = ChangeResult(ch.change_id, ChangeStatus.REJECTED, str(exc))
                continue
            candidates.append((i, ch, pol, payload))
            if top_hlc is None or ch.hlc > top_hlc:
                top_hlc = ch.hlc
        if candidates:
            assert top_hlc is not None
            recv = str(self.clock.observe(Stamp.parse(top_hlc)))
            with self._tx(request.store_id, write=True, configure=self.dialect != "postgresql") as conn:
                self._apply_batch(conn, request, candidates, results, recv)
        out: list[ChangeResult] = []
        for i, ch in enumerate(request.changes):
            first = first_index[ch.change_id]
            if first == i:
                out.append(results[i])
            else:  # the same change twice in one batch: the later copy is a replay of the first
                r = results[first]
                out.append(r if r.status is ChangeStatus.REJECTED
                           else ChangeResult(ch.change_id, ChangeStatus.DUPLICATE))
        return PushResponse(results=tuple(out), server_hlc=str(self.clock.now()))

    def _validate(self, request: PushRequest, ch: Change) -> tuple[EntityPolicy, dict[str, Any]]:
        pol = policy(ch.entity)
        if pol is None:
            raise _Rejected(f"unknown entity {ch.entity!r}")
        if pol.shared:
            raise _Rejected(f"{ch.entity} is chain-wide catalog data owned by head office; stores cannot change it")
        if ch.op not in _OPS:
            raise _Rejected(f"unknown operation {ch.op!r}")
        if not ch.entity_id or len(ch.entity_id) > 60:
            raise _Rejected("missing or too long entity id")
        if len(ch.change_id) > 36 or not ch.change_id:
            raise _Rejected("bad change id")
        if not _HLC_RE.match(ch.hlc):
            raise _Rejected(f"not a hybrid logical clock stamp: {ch.hlc!r}")
        try:
            payload = json_value(ch.payload) if ch.payload else {}
        except ValueError:
            raise _Rejected("payload is not valid JSON") from None
        if not isinstance(payload, dict):
            raise _Rejected("payload is not a JSON object")
        if "store_id" in payload and payload["store_id"] != request.store_id:
            raise _Rejected(f"row belongs to store {payload['store_id']!r}, pushed by store {request.store_id!r}")
        if pol.key in payload and str(payload[pol.key]) != ch.entity_id:
            raise _Rejected(f"payload {pol.key} {payload[pol.key]!r} differs from entity id {ch.entity_id!r}")
        if pol.kind is Kind.STOCK:
            if ch.op != "insert":
                raise _Rejected("stock movements are append-only")
            if not isinstance(payload.get(pol.stock_qty), int) or not payload.get(pol.stock_sku):
                raise _Rejected(f"a stock movement needs {pol.stock_sku} and an integer {pol.stock_qty}")
        return pol, payload

    def _apply_batch(self, conn: Connection, request: PushRequest,
                     candidates: list[tuple[int, Change, EntityPolicy, dict[str, Any]]],
                     results: dict[int, ChangeResult], recv: str) -> None:
        store_id, terminal_id = request.store_id, request.terminal_id
        if self.dialect == "postgresql":
            batch = _Batch(store_id, terminal_id, self._pg_begin_push(conn, store_id, terminal_id), recv)
        else:
            batch = _Batch(store_id, terminal_id, self._lock_seq(conn, store_id), recv)
            self._touch_terminal(conn, store_id, terminal_id, batch.now)
        batch_id, now = request.batch_id[:60], batch.now
        if self.dialect == "postgresql":
            fresh = self._pg_insert_ledger(conn, [ch for _, ch, _, _ in candidates], store_id, terminal_id,
                                           batch_id, now)
        else:
            fresh = self._insert_ledger(conn, [
                (ch.change_id, store_id, terminal_id, ch.seq, ch.entity, ch.entity_id, ch.op, ch.payload, ch.hlc,
                 batch_id, now) for _, ch, _, _ in candidates])  # in the column order of central_change
        todo = []
        for i, ch, pol, payload in candidates:
            if ch.change_id in fresh:
                todo.append((i, ch, pol, payload))
            else:
                results[i] = ChangeResult(ch.change_id, ChangeStatus.DUPLICATE)
        self._load_rows(conn, batch, {(ch.entity, ch.entity_id) for _, ch, _, _ in todo})
        undo: list[str] = []
        touched: dict[tuple[str, str], _Row] = {}
        for i, ch, pol, payload in todo:
            try:
                r = self._apply(batch, ch, pol, payload)
            except _Rejected as exc:
                results[i] = ChangeResult(ch.change_id, ChangeStatus.REJECTED, str(exc))
                undo.append(ch.change_id)
                continue
            results[i] = ChangeResult(ch.change_id, ChangeStatus.APPLIED)
            touched[(r.entity, r.entity_id)] = r
        for chunk in chunks(undo):
            conn.execute(delete(m.change).where(m.change.c.change_id.in_(chunk)))
        self._claims(conn, batch, list(touched.values()))
        self._write_batch(conn, batch)

    def _touch_terminal(self, conn: Connection, store_id: str, terminal_id: str, now: datetime) -> None:
        stmt = self._insert(m.terminal).values(store_id=store_id, terminal_id=terminal_id, registered_at=now,
                                               last_seen_at=now)
        conn.execute(stmt.on_conflict_do_update(index_elements=["store_id", "terminal_id"],
                                                set_={"last_seen_at": now}))

    def _insert_ledger(self, conn: Connection, ledger: list[tuple[Any, ...]]) -> set[str]:
        fresh: set[str] = set()
        stmt = self._insert(m.change).on_conflict_do_nothing(index_elements=["change_id"]) \
            .returning(m.change.c.change_id)
        cols = [c.name for c in m.change.columns]
        for chunk in chunks(ledger, 500):
            fresh.update(str(v) for v in conn.execute(stmt, [dict(zip(cols, rec, strict=True))
                                                             for rec in chunk]).scalars())
        return fresh

    def _load_rows(self, conn: Connection, batch: _Batch, keys: Iterable[tuple[str, str]]) -> None:
        """Read the stored rows of ``keys`` (entity, id) of the batch's store into the batch (by primary key)."""
        todo = sorted(k for k in set(keys) if k not in batch.rows)
        if not todo:
            return
        if self.dialect == "postgresql":
            with _raw(conn).cursor(row_factory=namedtuple_row) as cur:
                # LATERAL ... LIMIT 1: one primary-key lookup per key, whatever the planner's statistics say (the
                # LIMIT keeps the subquery from being pulled up into a hash join over all of the store's rows)
                cur.execute(f"SELECT {_ROW_COLS_R} FROM unnest(%s::varchar[], %s::varchar[]) AS k(entity, entity_id) "
                            "CROSS JOIN LATERAL (SELECT * FROM central_row c WHERE c.store_id = %s "
                            "AND c.entity = k.entity AND c.entity_id = k.entity_id LIMIT 1) r",
                            ([e for e, _ in todo], [i for _, i in todo], batch.store_id))
                for rec in cur:
                    self._cache(batch, rec)
            return
        by_entity: dict[str, list[str]] = defaultdict(list)
        for entity, entity_id in todo:
            by_entity[entity].append(entity_id)
        r = m.row.c
        for entity, ids in by_entity.items():
            for chunk in chunks(ids):
                for rec in conn.execute(select(m.row).where(r.store_id == batch.store_id, r.entity == entity,
                                                            r.entity_id.in_(chunk))):
                    self._cache(batch, rec)

    @staticmethod
    def _cache(batch: _Batch, rec: Any) -> _Row:
        data = json_value(rec.data)
        field_hlc = expand_hlc(json_value(rec.field_hlc), data)
        field_recv = None if rec.field_recv is None else expand_hlc(json_value(rec.field_recv), data)
        row = _Row(store_id=rec.store_id, entity=rec.entity, entity_id=rec.entity_id, data=data,
                   field_hlc=field_hlc, field_recv=field_recv, origin=rec.origin_terminal_id, parent_id=rec.parent_id,
                   seq=int(rec.seq), created_seq=None if rec.created_seq is None else int(rec.created_seq),
                   deleted=bool(rec.deleted), stored=True)
        batch.rows[(row.entity, row.entity_id)] = row
        return row

    def _apply(self, batch: _Batch, ch: Change, pol: EntityPolicy, payload: dict[str, Any]) -> _Row:
        key = (ch.entity, ch.entity_id)
        r = batch.rows.get(key)
        if pol.kind in (Kind.EVENT, Kind.STOCK) and r is not None:
            if r.origin != batch.terminal_id:
                raise _Rejected(f"{ch.entity} {ch.entity_id} belongs to terminal {r.origin}; events change only "
                                "at their origin terminal (corrections are new events)")
            if ch.op == "insert" and r.created_seq is not None:
                raise _Rejected(f"{ch.entity} {ch.entity_id} was already inserted (events are inserted once)")
        fresh = r is None and ch.op == "insert"
        h = ch.hlc
        if fresh:  # the common case: a new row is its insert's payload, every field at the insert's HLC
            r = _Row(store_id=batch.store_id, entity=ch.entity, entity_id=ch.entity_id, data=payload,
                     field_hlc=dict.fromkeys(payload, h), origin=batch.terminal_id, parent_id=None, seq=0,
                     created_seq=None, deleted=False, stored=False,
                     field_recv=dict.fromkeys(payload, batch.recv) if pol.kind is Kind.PROFILE else None)
            batch.rows[key] = r
            fields: Mapping[str, Any] = {}
        elif r is None:
            r = _Row(store_id=batch.store_id, entity=ch.entity, entity_id=ch.entity_id, data={}, field_hlc={},
                     origin=batch.terminal_id, parent_id=None, seq=0, created_seq=None, deleted=False, stored=False)
            batch.rows[key] = r
            fields = {DELETED: True} if ch.op == "delete" else payload
        else:
            fields = {DELETED: True} if ch.op == "delete" else payload
        changed = False
        profile = pol.kind is Kind.PROFILE
        if profile and r.field_recv is None:
            r.field_recv = {}
        recv = r.field_recv if profile else None
        for k, v in fields.items():
            cur = r.field_hlc.get(k)
            have = r.data.get(k) if k != DELETED else r.deleted
            if cur is None or h > cur or (h == cur and json_text(v) > json_text(have)):
                if (recv is not None and cur is not None and have != v and k not in _BOOKKEEPING
                        and hlc_node(cur) != hlc_node(h) and k in recv and h < recv[k]):
                    # the writer's clock was behind the centre's when the value it replaces arrived: it cannot
                    # have seen that value (every pull moves a terminal's clock past the centre's), so the two
                    # edits were concurrent and the older one is lost
                    batch.conflict("field_lww", ch.entity, ch.entity_id,
                                   {"field": k, "loser": have, "loser_hlc": cur, "winner_hlc": h})
                if k == DELETED:
                    r.deleted = True
                else:
                    r.data[k] = v
                r.field_hlc[k] = h
                if recv is not None:
                    recv[k] = batch.recv
                changed = True
            elif pol.kind is Kind.PROFILE and have != v and hlc_node(cur) != hlc_node(h) and k not in _BOOKKEEPING:
                batch.conflict("field_lww", ch.entity, ch.entity_id,
                               {"field": k, "loser": v, "loser_hlc": h, "winner_hlc": cur})
        if ch.op == "insert" and r.created_seq is None:
            r.created_seq = batch.seq + 1
            r.origin = batch.terminal_id  # a profile may have been edited elsewhere before its insert arrived
            changed = True
            if pol.kind is Kind.STOCK:
                sku = str(payload[pol.stock_sku])
                batch.stock[sku] += int(payload[pol.stock_qty])
                batch.stock_first.setdefault(sku, ch.entity_id)
        if changed:
            r.seq = batch.next_seq()
            r.dirty = True
            r.text = ch.payload if fresh else None
            r.top = h
            for c in pol.claims:
                if c.parent is not None:  # only rows that could claim are found through their parent
                    parent = r.data.get(c.parent[1])
                    r.parent_id = None if parent is None or not r.data.get(c.field) else str(parent)
        return r

    # -- claims ----------------------------------------------------------------------------------------------
    def _claims(self, conn: Connection, batch: _Batch, touched: list[_Row]) -> None:
        candidates: dict[tuple[str, str], _Row] = {}
        parent_ids: dict[str, set[str]] = defaultdict(set)
        for r in touched:
            if any(r.data.get(c.field) for c in POLICIES[r.entity].claims):
                candidates[(r.entity, r.entity_id)] = r
            if r.entity in _CHILD_CLAIMS:
                parent_ids[r.entity].add(r.entity_id)
        if not candidates and not parent_ids:
            return
        rc = m.row.c
        for parent_entity, ids in parent_ids.items():
            child_entities = sorted({e for e, _ in _CHILD_CLAIMS[parent_entity]})
            if self.dialect == "postgresql":
                with _raw(conn).cursor(row_factory=namedtuple_row) as cur:
                    # OFFSET 0: an index lookup per parent, never a hash join over the store's rows
                    cur.execute(f"SELECT {_ROW_COLS_R} FROM unnest(%s::varchar[]) AS k(pid) CROSS JOIN LATERAL "
                                "(SELECT * FROM central_row c WHERE c.store_id = %s AND c.parent_id = k.pid "
                                "OFFSET 0) r",
                                (sorted(ids), batch.store_id))
                    found = [rec for rec in cur.fetchall() if rec.entity in child_entities]
            else:
                found = [rec for chunk in chunks(sorted(ids)) for rec in conn.execute(select(m.row).where(
                    rc.store_id == batch.store_id, rc.parent_id.in_(chunk), rc.entity.in_(child_entities)))]
            for rec in found:
                row = batch.rows.get((rec.entity, rec.entity_id)) or self._cache(batch, rec)
                candidates[(row.entity, row.entity_id)] = row
        # parents of candidates that are not loaded yet
        need: set[tuple[str, str]] = set()
        for r in candidates.values():
            for c in POLICIES[r.entity].claims:
                if c.parent is not None and r.parent_id and (c.parent[0], r.parent_id) not in batch.rows:
                    need.add((c.parent[0], r.parent_id))
        self._load_rows(conn, batch, need)
        claims: list[tuple[str, str, _Row]] = []
        releases: list[tuple[str, str]] = []
        for r in candidates.values():
            if r.created_seq is None or r.deleted:
                continue
            for c in POLICIES[r.entity].claims:
                value = r.data.get(c.field)
                parent = None
                if c.parent is not None:
                    parent = batch.rows.get((c.parent[0], r.parent_id or ""))
                    if parent is None or parent.created_seq is None:
                        continue
                if value and matches(r.data, c.when) and (parent is None or matches(parent.data, c.parent[2]
                                                                                     if c.parent else {})):
                    claims.append((c.kind, str(value), r))
                if (c.release_via and r.data.get(c.release_via) and matches(r.data, c.release_when)
                        and parent is not None and matches(parent.data, c.release_parent)):
                    releases.append((c.kind, str(r.data[c.release_via])))
        if not claims and not releases:
            return
        cc = m.claim.c
        for kind, released_id in releases:
            conn.execute(update(m.claim).where(cc.kind == kind, cc.store_id == batch.store_id,
                                               cc.entity_id == released_id).values(released=True))
        keys = sorted({(k, v) for k, v, _ in claims})
        if self.dialect == "postgresql":  # serialise claim checks of one key across stores
            for k, v in keys:
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"{k}:{v}"})
        existing: dict[tuple[str, str], list[Any]] = defaultdict(list)  # Row or _ClaimRec
        by_kind: dict[str, list[str]] = defaultdict(list)
        for k, v in keys:
            by_kind[k].append(v)
        for k, values in by_kind.items():
            for chunk in chunks(values):
                for rec in conn.execute(select(m.claim).where(cc.kind == k, cc.claim_key.in_(chunk))):
                    existing[(rec.kind, rec.claim_key)].append(rec)
        new_rows: list[dict[str, Any]] = []
        for k, v, r in claims:
            holders = existing[(k, v)]
            if any(h.store_id == batch.store_id and h.entity == r.entity and h.entity_id == r.entity_id
                   for h in holders):
                continue
            live = [h for h in holders if not h.released]
            if live:
                batch.conflict("uniqueness", r.entity, r.entity_id, {
                    "claim": k, "key": v, "others": [{"store_id": h.store_id, "entity": h.entity,
                                                      "entity_id": h.entity_id} for h in live]})
            claim_row: dict[str, Any] = {"kind": k, "claim_key": v, "store_id": batch.store_id, "entity": r.entity,
                                         "entity_id": r.entity_id, "released": False, "claimed_at": batch.now}
            new_rows.append(claim_row)
            holders.append(_ClaimRec(**claim_row))
        if new_rows:
            conn.execute(self._insert(m.claim).on_conflict_do_nothing(), new_rows)

    # -- write back ----------------------------------------------------------------------------------------
    def _write_batch(self, conn: Connection, batch: _Batch) -> None:
        if self.dialect == "postgresql":
            self._pg_write_rows(conn, batch)
        else:
            self._write_rows(conn, batch)
        self._write_rest(conn, batch)

    def _write_rows(self, conn: Connection, batch: _Batch) -> None:
        inserts, updates = [], []
        for r in batch.rows.values():
            if not r.dirty:
                continue
            if r.text is not None:  # exactly one insert's payload: its text, every field of its HLC
                top = r.hlc
                data, field_hlc = r.text, f'{{"*":"{top}"}}'  # HLC text matched _HLC_RE: no escaping needed
            else:
                top = r.hlc
                data, field_hlc = json_text(r.data), compact_hlc(r.field_hlc, r.data)
            values = {"data": data, "field_hlc": field_hlc, "field_recv": _recv_text(r), "hlc": top, "seq": r.seq,
                      "created_seq": r.created_seq, "deleted": r.deleted, "parent_id": r.parent_id,
                      "origin_terminal_id": r.origin}
            if r.stored:
                updates.append({"k_store": r.store_id, "k_entity": r.entity, "k_id": r.entity_id, **values})
            else:
                inserts.append({"store_id": r.store_id, "entity": r.entity, "entity_id": r.entity_id, **values})
        if inserts:
            conn.execute(m.row.insert(), inserts)
        if updates:
            c = m.row.c
            conn.execute(update(m.row).where(c.store_id == bindparam("k_store"), c.entity == bindparam("k_entity"),
                                             c.entity_id == bindparam("k_id"))
                         .values(data=bindparam("data"), field_hlc=bindparam("field_hlc"),
                                 field_recv=bindparam("field_recv"), hlc=bindparam("hlc"),
                                 seq=bindparam("seq"), created_seq=bindparam("created_seq"),
                                 deleted=bindparam("deleted"), parent_id=bindparam("parent_id"),
                                 origin_terminal_id=bindparam("origin_terminal_id"))
                         .execution_options(synchronize_session=False), updates)

    def _write_rest(self, conn: Connection, batch: _Batch) -> None:
        """Stock, conflicts and the store's sequence."""
        if batch.stock:
            sc = m.stock.c
            for sku, delta in sorted(batch.stock.items()):
                stmt = self._insert(m.stock).values(store_id=batch.store_id, sku=sku, on_hand=delta)
                on_hand = conn.execute(stmt.on_conflict_do_update(
                    index_elements=["store_id", "sku"], set_={"on_hand": sc.on_hand + delta})
                    .returning(sc.on_hand)).scalar_one()
                if on_hand < 0:
                    batch.conflict("oversell", "stock_movement", batch.stock_first[sku],
                                   {"sku": sku, "on_hand": int(on_hand)})
        if batch.conflicts:
            conn.execute(m.conflict.insert(), batch.conflicts)
        conn.execute(update(m.store_seq).where(m.store_seq.c.store_id == batch.store_id)
                     .values(last_seq=batch.seq))

    # -- PostgreSQL fast paths: one JSON parameter per table, set-based statements --------------------------------
    # (COPY straight into the RLS tables is not allowed for store roles. COPY into session temp tables was used
    # before: truncating them at every commit (ON COMMIT DELETE ROWS) cost more than the server's JSON parsing;
    # INSERT ... SELECT unnest(array parameters) and executemany measured slower still.)
    def _pg_insert_ledger(self, conn: Connection, changes: list[Change], store_id: str, terminal_id: str,
                          batch_id: str, now: datetime) -> set[str]:
        """Insert the ledger rows of ``changes`` (orjson writes each Change dataclass as an object of its fields);
        the ids of the changes inserted, i.e. not seen before."""
        with _raw(conn).cursor() as cur:
            cur.execute(f"INSERT INTO central_change ({_CHANGE_LIST}) SELECT t.change_id, %s, %s, t.seq, t.entity, "
                        "t.entity_id, t.op, t.payload, t.hlc, %s, %s FROM json_to_recordset(%s::json) AS t("
                        "change_id varchar, seq bigint, entity varchar, entity_id varchar, op varchar, payload text, "
                        "hlc varchar) ON CONFLICT (change_id) DO NOTHING RETURNING change_id",
                        (store_id, terminal_id, batch_id, now, orjson.dumps(changes).decode()))
            return {str(r[0]) for r in cur.fetchall()}

    def _pg_write_rows(self, conn: Connection, batch: _Batch) -> None:
        """The batch's dirty rows as JSON (central_row's columns): new ones inserted, stored ones updated."""
        new: list[dict[str, Any]] = []
        stored: list[dict[str, Any]] = []
        for r in batch.rows.values():
            if not r.dirty:
                continue
            top = r.top if r.text is not None else r.hlc
            if r.text is not None:  # exactly one insert's payload: its text, every field of its HLC
                data, field_hlc = r.text, f'{{"*":"{top}"}}'  # HLC text matched _HLC_RE: no escaping needed
            else:
                data, field_hlc = json_text_fast(r.data), compact_hlc(r.field_hlc, r.data, json_text_fast)
            (stored if r.stored else new).append(dict(zip(_ROW_COLS, (
                r.store_id, r.entity, r.entity_id, data, field_hlc, top, r.origin, r.parent_id, r.seq,
                r.created_seq, r.deleted, _recv_text(r)), strict=True)))
        insert = (f"INSERT INTO central_row ({_ROW_LIST}) SELECT {_ROW_LIST} "
                  "FROM json_populate_recordset(NULL::central_row, %s::json)")
        sets = ", ".join(f"{c} = t.{c}" for c in _ROW_COLS[3:])
        upd = (f"UPDATE central_row r SET {sets} FROM json_populate_recordset(NULL::central_row, %s::json) t "
               "WHERE r.store_id = t.store_id AND r.entity = t.entity AND r.entity_id = t.entity_id")
        with _raw(conn).cursor() as cur:
            if new and stored:
                cur.execute(f"WITH u AS ({upd}) {insert}", (orjson.dumps(stored).decode(), orjson.dumps(new).decode()))
            elif new:
                cur.execute(insert, (orjson.dumps(new).decode(),))
            elif stored:
                cur.execute(upd, (orjson.dumps(stored).decode(),))

    # -- pull ----------------------------------------------------------------------------------------------
    # -- head office -----------------------------------------------------------------------------------------
    def load_catalog(self, catalog: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, int]:
        """Upsert chain-wide catalog rows (``{"plan": [row, ...], ...}``); returns rows changed per entity.

        Only rows whose data changed get a new shared sequence (so reloading the same catalog pulls nothing).
        """
        changed: dict[str, int] = {}
        hlc = str(self.clock.now())
        with self._tx(SHARED_STORE, write=True) as conn:
            batch = _Batch(SHARED_STORE, "central", self._lock_seq(conn, SHARED_STORE))
            for entity, rows in catalog.items():
                pol = policy(entity)
                if pol is None or not pol.shared:
                    raise ValueError(f"{entity} is not a shared catalog entity")
                data = {str(r[pol.key]): dict(r) for r in rows}
                self._load_rows(conn, batch, {(entity, k) for k in data})
                n = 0
                for key, values in sorted(data.items()):
                    r = batch.rows.get((entity, key))
                    if r is None:
                        r = _Row(SHARED_STORE, entity, key, {}, {}, "central", None, 0, None, False, False)
                        batch.rows[(entity, key)] = r
                    if r.data == values and not r.deleted and r.created_seq is not None:
                        continue
                    r.data = values
                    r.field_hlc = dict.fromkeys(values, hlc)
                    r.deleted = False
                    r.seq = batch.next_seq()
                    if r.created_seq is None:
                        r.created_seq = r.seq
                    r.dirty = True
                    n += 1
                changed[entity] = n
            self._write_batch(conn, batch)
        return changed

    def register_terminal(self, store_id: str, terminal_id: str) -> None:
        self._check_ids(store_id, terminal_id)
        with self._tx(store_id, write=True) as conn:
            self._touch_terminal(conn, store_id, terminal_id, datetime.now(UTC))

@dataclass
class _ClaimRec:
    kind: str
    claim_key: str
    store_id: str
    entity: str
    entity_id: str
    released: bool
    claimed_at: datetime


_ROW_COLS_R = ", ".join(f"r.{c.name}" for c in m.row.columns)
_ROW_COLS = [str(c.name) for c in m.row.columns]
_ROW_LIST = ", ".join(_ROW_COLS)
_CHANGE_LIST = ", ".join(c.name for c in m.change.columns)


def _raw(conn: Connection) -> Any:
    """The psycopg connection under a SQLAlchemy connection (same transaction)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    return raw
