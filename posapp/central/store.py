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

On PostgreSQL the ledger insert is sent in pipeline mode, and while the server runs it the batch is parsed, merged
as if every change were new and every inserted row absent, and serialised; a probe for those rows goes in the same
pipeline. When the ledger reports replays or the probe finds rows (rare), the batch is merged again from the
stored rows; either way only the ledger's new changes are applied.

Pull sequence: every store has one row in ``central_store_seq``. A push locks it first (``UPDATE ... RETURNING``,
a row lock on PostgreSQL, the write lock on SQLite) and holds it until commit, so sequence numbers of a store are
committed in order: a pull that has seen seq N never misses a row committed later with a seq <= N.

Merge (:mod:`posapp.central.merge`), per :mod:`posapp.sync.entities`: every row keeps per-field HLCs; a field takes
the value with the greatest HLC (ties: the greater JSON text), so the merged state does not depend on arrival order
or duplication. ``event`` rows accept inserts once and changes only from their origin terminal; ``profile`` rows log a
``field_lww`` conflict when an edit arrives after a newer value from another node and is discarded (the losing
value and both HLCs are in the conflict's detail); ``stock`` movements are summed per sku (negative
on-hand = ``oversell``); ``shared`` entities are refused from stores. Claims (IMEI sold / activated) record every
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from psycopg.errors import UniqueViolation
from sqlalchemy import Connection, bindparam, delete, select, text, update

from posapp.central import models as m
from posapp.central import pg
from posapp.central.codec import chunks, compact_hlc, json_text
from posapp.central.merge import Batch, Rejected, Row, apply_change, check_change, parse_payload
from posapp.central.reads import SHARED_STORE, CentralReads
from posapp.sync.entities import POLICIES, Claim, EntityPolicy, matches, matches_any, policy
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

_CHILD_CLAIMS: dict[str, list[tuple[str, Claim]]] = defaultdict(list)
for _name, _pol in POLICIES.items():
    for _c in _pol.claims:
        if _c.parent is not None:
            _CHILD_CLAIMS[_c.parent[0]].append((_name, _c))
_CHILD_ENTITIES = {parent: frozenset(e for e, _ in kids) for parent, kids in _CHILD_CLAIMS.items()}
_CHILD_ENTITY_NAMES = sorted(set().union(*_CHILD_ENTITIES.values()))

_Valid = tuple[int, Change, EntityPolicy]                       # request index, change, its entity's policy
_Parsed = tuple[int, Change, EntityPolicy, dict[str, Any]]      # ... and its payload
_PART, _PARTS = 200, 3  # PostgreSQL pushes are merged and written in up to _PARTS parts of at least _PART changes


class _Screen:
    """A push request's changes that pass :func:`check_change` (each change id once); the others answered."""

    def __init__(self, request: PushRequest) -> None:
        self.request = request
        self.results: dict[int, ChangeResult] = {}
        self.first_index: dict[str, int] = {}
        self.valid: list[_Valid] = []
        for i, ch in enumerate(request.changes):
            if ch.change_id in self.first_index:
                continue
            self.first_index[ch.change_id] = i
            try:
                self.valid.append((i, ch, check_change(ch)))
            except Rejected as exc:
                self.results[i] = ChangeResult(ch.change_id, ChangeStatus.REJECTED, str(exc))

    def answers(self) -> tuple[ChangeResult, ...]:
        """One answer per change of the request, in order (every valid change must have its result)."""
        out: list[ChangeResult] = []
        for i, ch in enumerate(self.request.changes):
            first = self.first_index[ch.change_id]
            if first == i:
                out.append(self.results[i])
            else:  # the same change twice in one batch: the later copy is a replay of the first
                r = self.results[first]
                out.append(r if r.status is ChangeStatus.REJECTED
                           else ChangeResult(ch.change_id, ChangeStatus.DUPLICATE))
        return tuple(out)


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

    # -- push ----------------------------------------------------------------------------------------------
    def push(self, request: PushRequest) -> PushResponse:
        if request.protocol != PROTOCOL_VERSION:
            raise ProtocolRefused(f"protocol {request.protocol} is not supported (this central speaks "
                                  f"{PROTOCOL_VERSION})")
        self._check_ids(request.store_id, request.terminal_id)
        if self.dialect == "postgresql":
            answers = self._pg_push(request)
        else:
            screen = _Screen(request)
            if screen.valid:
                with self._tx(request.store_id, write=True) as conn:
                    self._apply_batch(conn, request, screen.valid, screen.results)
            answers = screen.answers()
        return PushResponse(results=answers, server_hlc=str(self.clock.now()))

    def _pg_push(self, request: PushRequest) -> tuple[ChangeResult, ...]:
        """PostgreSQL: the batch is first written on the assumption that every change is new and every row it
        inserts absent. If the ledger then reports a replay, or a row insert fails on the primary key (an update
        that came before its insert, a re-inserted event), the transaction is rolled back and the batch done
        again carefully: ledger answers and row lookups first, then the merge of the new changes only."""
        for careful in (False, True):
            try:
                with self._tx(request.store_id, write=True, configure=False) as conn:
                    return self._pg_apply_batch(conn, request, careful=careful)
            except UniqueViolation as exc:  # a replay (central_change) or a row that exists (central_row)
                if careful or exc.diag.table_name not in ("central_change", "central_row"):
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    def _parse(store_id: str, valid: Iterable[_Valid], results: dict[int, ChangeResult]) -> list[_Parsed]:
        """The changes whose payload passes; the others are answered rejected."""
        parsed: list[_Parsed] = []
        for i, ch, pol in valid:
            try:
                parsed.append((i, ch, pol, parse_payload(store_id, ch, pol)))
            except Rejected as exc:
                results[i] = ChangeResult(ch.change_id, ChangeStatus.REJECTED, str(exc))
        return parsed

    def _receive(self, parsed: list[_Parsed]) -> str:
        """The central HLC of the batch's arrival: after every HLC in it."""
        return str(self.clock.observe(Stamp.parse(max(ch.hlc for _, ch, _, _ in parsed)))) if parsed else ""

    @staticmethod
    def _merge(batch: Batch, todo: list[_Parsed], results: dict[int, ChangeResult]) -> tuple[list[str], list[Row]]:
        """Apply ``todo`` to the batch's rows; (ids of the changes rejected by the merge, the rows touched)."""
        undo: list[str] = []
        touched: dict[tuple[str, str], Row] = {}
        for i, ch, pol, payload in todo:
            try:
                r = apply_change(batch, ch, pol, payload)
            except Rejected as exc:
                results[i] = ChangeResult(ch.change_id, ChangeStatus.REJECTED, str(exc))
                undo.append(ch.change_id)
                continue
            results[i] = ChangeResult(ch.change_id, ChangeStatus.APPLIED)
            touched[(r.entity, r.entity_id)] = r
        return undo, list(touched.values())

    def _apply_batch(self, conn: Connection, request: PushRequest, valid: list[_Valid],
                     results: dict[int, ChangeResult]) -> None:
        """SQLite: ledger, then the rows of the new changes loaded and merged."""
        store_id, terminal_id = request.store_id, request.terminal_id
        parsed = self._parse(store_id, valid, results)
        if not parsed:
            return
        batch = Batch(store_id, terminal_id, self._lock_seq(conn, store_id), self._receive(parsed))
        self._touch_terminal(conn, store_id, terminal_id, batch.now)
        fresh = self._insert_ledger(conn, [
            (ch.change_id, store_id, terminal_id, ch.seq, ch.entity, ch.entity_id, ch.op, ch.payload, ch.hlc,
             request.batch_id[:60], batch.now) for _, ch, _, _ in parsed])  # in the column order of central_change
        todo = self._fresh(parsed, fresh, results)
        self._load_rows(conn, batch, {(ch.entity, ch.entity_id) for _, ch, _, _ in todo})
        undo, touched = self._merge(batch, todo, results)
        self._undo(conn, undo)
        self._write_rows(conn, batch)
        self._claims(conn, batch, touched)
        self._write_rest(conn, batch)

    @staticmethod
    def _fresh(parsed: list[_Parsed], fresh: set[str], results: dict[int, ChangeResult]) -> list[_Parsed]:
        """The changes new to the ledger; the others are answered duplicate."""
        todo = []
        for p in parsed:
            if p[1].change_id in fresh:
                todo.append(p)
            else:
                results[p[0]] = ChangeResult(p[1].change_id, ChangeStatus.DUPLICATE)
        return todo

    @staticmethod
    def _undo(conn: Connection, change_ids: list[str]) -> None:
        """Take rejected changes out of the ledger (a corrected resend of the same id is then new)."""
        for chunk in chunks(change_ids):
            conn.execute(delete(m.change).where(m.change.c.change_id.in_(chunk)))


    def _pg_apply_batch(self, conn: Connection, request: PushRequest, *, careful: bool) -> tuple[ChangeResult, ...]:
        """Pipelined. First round trip: store set, terminal seen, sequence locked, rows the batch updates read
        (the batch is screened and the ledger's JSON written meanwhile). Then the ledger insert runs on the
        server while this process parses and merges the first part of the batch; each part's rows are sent as
        soon as it is merged, so the server writes one part while the next is merged; the claim lookup and the
        sequence go in the same pipeline, and the answers are put together while the server works. The ledger
        insert is plain: a replay fails it on the primary key (:meth:`_pg_push` then comes back ``careful``).
        ``careful``: the ledger answers per change and the rows the batch inserts are looked up, both before
        one write of the rows."""
        store_id, terminal_id = request.store_id, request.terminal_id
        driver = pg.raw(conn)
        undo: list[str] = []
        touched: dict[tuple[str, str], Row] = {}
        parsed: list[_Parsed] = []
        existing: list[Any] = []
        children: list[Any] | None = None
        answers: tuple[ChangeResult, ...] = ()
        with driver.pipeline() as pipeline:
            seq_cur = pg.send_begin(driver, store_id, terminal_id)
            screen = _Screen(request)
            valid, results = screen.valid, screen.results
            fresh = {ch.change_id for _, ch, _ in valid}
            first_op: dict[tuple[str, str], str] = {}
            for _, ch, _ in valid:
                first_op.setdefault((ch.entity, ch.entity_id), ch.op)
            lookup = pg.send_lookup(driver, store_id, sorted(k for k, op in first_op.items() if op != "insert"))
            new_keys = sorted(k for k, op in first_op.items() if op == "insert") if careful else []
            ledger_json = pg.ledger_json([ch for _, ch, _ in valid])
            recv = str(self.clock.observe(Stamp.parse(max(ch.hlc for _, ch, _ in valid)))) if valid else ""
            pipeline.sync()
            seq0 = pg.fetch_seq(seq_cur)
            batch = Batch(store_id, terminal_id, seq0, recv)
            for rec in lookup.fetchall() if lookup is not None else []:
                batch.cache(rec)
            if valid:
                ledger = pg.send_ledger(driver, ledger_json, store_id, terminal_id, request.batch_id[:60], batch.now,
                                        answers=careful)
            probe = pg.send_lookup(driver, store_id, new_keys)
            size = len(valid) if careful else max(_PART, -(-len(valid) // _PARTS))
            for start in range(0, len(valid), size):
                part = self._parse(store_id, valid[start:start + size], results)
                parsed += part
                part_undo, part_touched = self._merge(batch, part, results)
                undo += part_undo
                touched.update({(r.entity, r.entity_id): r for r in part_touched})
                if careful:  # one part: see what the ledger and the lookup found before writing
                    fresh = {str(r[0]) for r in ledger.fetchall()}
                    existing = probe.fetchall() if probe is not None else []
                    if existing or len(fresh) < len(valid):
                        break
                for statement in pg.take_rows(batch):
                    statement.run(driver.cursor())
            else:
                answers = screen.answers()
                found = pg.send_children(driver, store_id, sorted(self._claim_parents(list(touched.values()))))
                pg.send_seq(driver, store_id, batch.seq)
                children = found.fetchall() if found is not None else []
        if existing or len(fresh) < len(valid):  # replays, or rows that exist (nothing written yet): merge again
            batch = Batch(store_id, terminal_id, seq0, recv)
            for rec in existing:
                batch.cache(rec)
            # parsed again: a fresh row took its insert's payload dict, which the first merge may have changed
            parsed = self._parse(store_id, valid, results)
            todo = self._fresh(parsed, fresh, results)
            self._load_rows(conn, batch, {(ch.entity, ch.entity_id) for _, ch, _, _ in todo})
            undo, rows = self._merge(batch, todo, results)
            touched = {(r.entity, r.entity_id): r for r in rows}
            with driver.cursor() as cur:
                for statement in pg.take_rows(batch):
                    statement.run(cur)
            answers = screen.answers()
        ok = {ch.change_id for _, ch, _, _ in parsed}  # payloads refused after the ledger took them: out again
        undo += [ch.change_id for _, ch, _ in valid if ch.change_id not in ok and ch.change_id in fresh]
        self._undo(conn, undo)
        self._claims(conn, batch, list(touched.values()), children)
        self._write_rest(conn, batch, seq=children is None)
        return answers

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

    def _load_rows(self, conn: Connection, batch: Batch, keys: Iterable[tuple[str, str]]) -> None:
        """Read the stored rows of ``keys`` (entity, id) of the batch's store into the batch (by primary key)."""
        todo = sorted(k for k in set(keys) if k not in batch.rows)
        if not todo:
            return
        if self.dialect == "postgresql":
            for rec in pg.lookup(conn, batch.store_id, todo):
                batch.cache(rec)
            return
        by_entity: dict[str, list[str]] = defaultdict(list)
        for entity, entity_id in todo:
            by_entity[entity].append(entity_id)
        r = m.row.c
        for entity, ids in by_entity.items():
            for chunk in chunks(ids):
                for rec in conn.execute(m.row_select().where(r.store_id == batch.store_id, r.entity == entity,
                                                            r.entity_id.in_(chunk))):
                    batch.cache(rec)

    # -- claims ----------------------------------------------------------------------------------------------
    @staticmethod
    def _claim_parents(touched: list[Row]) -> dict[str, str]:
        """The touched rows whose children may claim (a sale whose lines hold IMEIs): id -> entity."""
        return {r.entity_id: r.entity for r in touched if r.entity in _CHILD_CLAIMS}

    def _claims(self, conn: Connection, batch: Batch, touched: list[Row], children: list[Any] | None = None) -> None:
        """Record the claims of the touched rows and of their children (``children``: the stored rows whose
        parent is one of :meth:`_claim_parents`, when already read), flagging second live claimants."""
        candidates: dict[tuple[str, str], Row] = {}
        for r in touched:
            if any(r.data.get(c.field) for c in POLICIES[r.entity].claims):
                candidates[(r.entity, r.entity_id)] = r
        parents = self._claim_parents(touched)
        if not candidates and not parents:
            return
        if children is None:
            rc = m.row.c
            ids = sorted(parents)
            children = (pg.children(conn, batch.store_id, ids) if self.dialect == "postgresql" else
                        [rec for chunk in chunks(ids) for rec in conn.execute(m.row_select().where(
                            rc.store_id == batch.store_id, rc.parent_id.is_not(None), rc.parent_id.in_(chunk),
                            rc.entity.in_(_CHILD_ENTITY_NAMES)))])
        for rec in children:
            if rec.entity not in _CHILD_ENTITIES.get(parents.get(rec.parent_id, ""), ()):
                continue
            row = batch.rows.get((rec.entity, rec.entity_id)) or batch.cache(rec)
            candidates[(row.entity, row.entity_id)] = row
        # parents of candidates that are not loaded yet
        need: set[tuple[str, str]] = set()
        for r in candidates.values():
            for c in POLICIES[r.entity].claims:
                if c.parent is not None and r.parent_id and (c.parent[0], r.parent_id) not in batch.rows:
                    need.add((c.parent[0], r.parent_id))
        self._load_rows(conn, batch, need)
        claims: list[tuple[str, str, Row]] = []
        releases: list[tuple[str, str]] = []
        own: list[tuple[str, Row, str | None]] = []  # (kind, row, key kept): a row releasing its own claims
        for r in candidates.values():
            if r.created_seq is None or r.deleted:
                continue
            for c in POLICIES[r.entity].claims:
                value = r.data.get(c.field)
                if c.released_by and matches_any(r.data, c.released_by):
                    if r.stored:  # a row new to this batch has no claim yet
                        own.append((c.kind, r, None))
                    continue
                if c.rekey and r.stored and value and matches(r.data, c.when):
                    own.append((c.kind, r, str(value)))
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
        if not claims and not releases and not own:
            return
        cc = m.claim.c
        for kind, r, keep in own:
            stmt = update(m.claim).where(cc.kind == kind, cc.store_id == batch.store_id, cc.entity == r.entity,
                                         cc.entity_id == r.entity_id, cc.released.is_(False))
            conn.execute((stmt if keep is None else stmt.where(cc.claim_key != keep)).values(released=True))
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
    def _write_batch(self, conn: Connection, batch: Batch) -> None:
        if self.dialect == "postgresql":
            with pg.raw(conn).cursor() as cur:
                for statement in pg.take_rows(batch):
                    statement.run(cur)
        else:
            self._write_rows(conn, batch)
        self._write_rest(conn, batch)

    def _write_rows(self, conn: Connection, batch: Batch) -> None:
        inserts, updates = [], []
        for r in batch.rows.values():
            if not r.dirty:
                continue
            if r.text is not None:  # exactly one insert's payload: its text, every field of its HLC
                top = r.hlc
                data, field_hlc = r.text, f'{{"*":"{top}"}}'  # HLC text matched HLC_RE: no escaping needed
            else:
                top = r.hlc
                data, field_hlc = json_text(r.data), compact_hlc(r.field_hlc, r.data)
            values = {"data": data, "field_hlc": field_hlc, "field_recv": r.recv_text(), "hlc": top, "seq": r.seq,
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

    def _write_rest(self, conn: Connection, batch: Batch, *, seq: bool = True) -> None:
        """Stock, conflicts and (``seq``) the store's sequence."""
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
        if seq:
            conn.execute(update(m.store_seq).where(m.store_seq.c.store_id == batch.store_id)
                         .values(last_seq=batch.seq))
    # (COPY straight into the RLS tables is not allowed for store roles. COPY into session temp tables was used
    # before: truncating them at every commit (ON COMMIT DELETE ROWS) cost more than the server's JSON parsing;

    # -- head office -----------------------------------------------------------------------------------------
    def load_catalog(self, catalog: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, int]:
        """Upsert chain-wide catalog rows (``{"plan": [row, ...], ...}``); returns rows changed per entity.

        Only rows whose data changed get a new shared sequence (so reloading the same catalog pulls nothing).
        """
        changed: dict[str, int] = {}
        hlc = str(self.clock.now())
        with self._tx(SHARED_STORE, write=True) as conn:
            batch = Batch(SHARED_STORE, "central", self._lock_seq(conn, SHARED_STORE))
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
                        r = Row(SHARED_STORE, entity, key, {}, {}, "central", None, 0, None, False, False)
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

