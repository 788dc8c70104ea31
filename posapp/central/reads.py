"""The read side of the central store: opening it, transactions (RLS store set per transaction), pulls by cursor,
digests for the convergence check, conflicts, and inspection. :class:`posapp.central.store.CentralStore` adds the
write side (pushes)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Self

import psycopg
from sqlalchemy import Connection, Engine, and_, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from posapp.central import models as m
from posapp.central.codec import make_cursor, parse_cursor
from posapp.sync.entities import PULLED_ENTITIES
from posapp.sync.hlc import HybridLogicalClock
from posapp.sync.protocol import (
    PROTOCOL_VERSION,
    Conflict,
    DigestRequest,
    DigestResponse,
    EntityDigest,
    ProtocolRefused,
    PullRequest,
    PullResponse,
    RowState,
)

SHARED_STORE = ""
#: A pull counts the rows left exactly only when at most this many sequence numbers are left (else it answers the
#: upper bound): an exact count on every page made pulling N rows O(N²) (2 s of 3 for 62,500 rows).
_COUNT_EXACTLY_UP_TO = 10_000
ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,10}$")


class CentralReads:
    """A connection to the central store database and its read side: pulls, digests, conflicts, inspection.
    Thread-safe: every call is its own transaction."""

    def __init__(self, write: Engine, read: Engine, *, url: str = "") -> None:
        self._write = write
        self._read = read
        self.url = url
        self.dialect = write.dialect.name
        self.clock = HybridLogicalClock("central")

    @classmethod
    def open(cls, url: str, *, role: str | None = None, password: str | None = None,
             create: bool = False) -> Self:
        """Open the central store at ``url``. ``role``/``password``: the PostgreSQL login (a store's role).

        ``create=True`` creates or upgrades the schema first (as the URL's own user, not ``role``).
        """
        from posapp.central.schema import init_central, make_engines, safe_url

        if create:
            init_central(url, password=None if role else password)
        write, read = make_engines(url, password=password, role=role)
        return cls(write, read, url=safe_url(url))

    def close(self) -> None:
        self._write.dispose()
        if self._read is not self._write:
            self._read.dispose()

    @property
    def engine(self) -> Engine:
        return self._write

    # -- transactions ----------------------------------------------------------------------------------------
    @contextmanager
    def _tx(self, store_id: str, *, write: bool, configure: bool = True) -> Iterator[Connection]:
        engine = self._write if write else self._read
        try:
            with engine.begin() as conn:
                if self.dialect == "postgresql" and configure:
                    conn.execute(text("SELECT set_config('app.store_id', :s, true)"), {"s": store_id})
                yield conn
        except (DBAPIError, psycopg.Error) as exc:  # raw psycopg errors come from the COPY fast paths
            orig = exc.orig if isinstance(exc, DBAPIError) else exc
            if getattr(orig, "sqlstate", None) == "42501":  # row-level security / privilege
                raise ProtocolRefused(f"this login may not act for store {store_id!r}") from exc
            raise

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert(table) if self.dialect == "postgresql" else sqlite.insert(table))

    @staticmethod
    def _check_ids(store_id: str, terminal_id: str | None = None) -> None:
        if not ID_RE.match(store_id) or (terminal_id is not None and not ID_RE.match(terminal_id)):
            raise ProtocolRefused(f"bad store/terminal id: {store_id!r}/{terminal_id!r}")

    # -- pull ----------------------------------------------------------------------------------------------
    def pull(self, request: PullRequest) -> PullResponse:
        if request.protocol != PROTOCOL_VERSION:
            raise ProtocolRefused(f"protocol {request.protocol} is not supported")
        self._check_ids(request.store_id, request.terminal_id)
        store_pos, shared_pos = parse_cursor(request.cursor)
        limit = max(1, min(int(request.limit), 10_000))
        c = m.row.c
        pulled = list(PULLED_ENTITIES)
        with self._tx(request.store_id, write=False) as conn:
            last = dict(conn.execute(select(m.store_seq.c.store_id, m.store_seq.c.last_seq)
                                     .where(m.store_seq.c.store_id.in_([request.store_id, SHARED_STORE]))).all())
            rows = list(conn.execute(
                m.page_of_rows(select(m.row).where(c.store_id == SHARED_STORE, c.seq > shared_pos,
                                                   c.created_seq.is_not(None)).order_by(c.seq).limit(limit))))
            if len(rows) == limit:
                new_shared, new_store, more = int(rows[-1].seq), store_pos, True
            else:
                new_shared = max(shared_pos, int(last.get(SHARED_STORE, 0)), *(int(r.seq) for r in rows))
                mine = list(conn.execute(
                    m.page_of_rows(select(m.row).where(c.store_id == request.store_id, c.seq > store_pos,
                                                       c.created_seq.is_not(None), c.entity.in_(pulled))
                                   .order_by(c.seq).limit(limit - len(rows)))))
                rows += mine
                if len(rows) == limit and mine:
                    new_store, more = int(mine[-1].seq), True
                else:
                    new_store = max(store_pos, int(last.get(request.store_id, 0)), *(int(r.seq) for r in mine))
                    more = False
            remaining = 0
            if more:  # sequence numbers left: an upper bound on the rows left (counting them is O(rows left))
                remaining = (max(0, int(last.get(SHARED_STORE, 0)) - new_shared)
                             + max(0, int(last.get(request.store_id, 0)) - new_store))
                if remaining <= _COUNT_EXACTLY_UP_TO:  # near the end: exact, so the last full page says "no more"
                    remaining = int(conn.execute(select(func.count()).select_from(m.row).where(
                        c.created_seq.is_not(None), or_(
                            and_(c.store_id == SHARED_STORE, c.seq > new_shared),
                            and_(c.store_id == request.store_id, c.seq > new_store,
                                 c.entity.in_(pulled))))).scalar_one())
                    more = remaining > 0
        states = tuple(RowState(entity=r.entity, entity_id=r.entity_id, store_id=r.store_id, data=r.data,
                                hlc=r.hlc, deleted=bool(r.deleted)) for r in rows)
        return PullResponse(rows=states, cursor=make_cursor(new_store, new_shared), more=more, remaining=remaining,
                            server_hlc=str(self.clock.now()))

    # -- digest ----------------------------------------------------------------------------------------------
    def digest(self, request: DigestRequest) -> DigestResponse:
        if request.protocol != PROTOCOL_VERSION:
            raise ProtocolRefused(f"protocol {request.protocol} is not supported")
        self._check_ids(request.store_id, request.terminal_id)
        store_pos, shared_pos = parse_cursor(request.cursor)
        entities = [e for e in (request.entities or PULLED_ENTITIES) if e in PULLED_ENTITIES]
        ids: dict[str, list[str]] = {e: [] for e in entities}
        c = m.row.c
        with self._tx(request.store_id, write=False) as conn:
            for rec in conn.execute(select(c.entity, c.entity_id).where(
                    c.entity.in_(entities), c.deleted.is_(False), or_(
                        and_(c.store_id == request.store_id, c.created_seq <= store_pos),
                        and_(c.store_id == SHARED_STORE, c.created_seq <= shared_pos)))):
                ids[rec.entity].append(rec.entity_id)
        return DigestResponse(digests=tuple(EntityDigest(e, len(v), id_hash(v)) for e, v in ids.items()))

    # -- conflicts -------------------------------------------------------------------------------------------
    def conflicts(self, store_id: str, *, limit: int = 100) -> tuple[Conflict, ...]:
        self._check_ids(store_id)
        c = m.conflict.c
        with self._tx(store_id, write=False) as conn:
            recs = conn.execute(select(m.conflict).where(c.store_id == store_id)
                                .order_by(c.detected_at.desc(), c.conflict_id).limit(limit)).all()
        return tuple(Conflict(conflict_id=r.conflict_id, kind=r.kind, entity=r.entity, entity_id=r.entity_id,
                              store_id=r.store_id, detail=r.detail, detected_at=r.detected_at.isoformat(),
                              resolved=bool(r.resolved)) for r in recs)

    # -- inspection (tests, verification, admin) -------------------------------------------------------------
    def rows(self, store_id: str, entity: str, *, include_deleted: bool = False) -> dict[str, dict[str, Any]]:
        """Merged rows of one entity of a store (``""`` = shared), id -> data."""
        c = m.row.c
        q = select(c.entity_id, m.ROW_DATA.label("data")).where(c.store_id == store_id, c.entity == entity)
        if not include_deleted:
            q = q.where(c.deleted.is_(False))
        with self._tx(store_id, write=False) as conn:
            return {r.entity_id: json.loads(r.data) for r in conn.execute(q)}

    def change_count(self, store_id: str | None = None) -> int:
        q = select(func.count()).select_from(m.change)
        if store_id is not None:
            q = q.where(m.change.c.store_id == store_id)
        with self._tx(store_id or SHARED_STORE, write=False) as conn:
            return int(conn.execute(q).scalar_one())

    def stock_on_hand(self, store_id: str, sku: str) -> int:
        with self._tx(store_id, write=False) as conn:
            v = conn.execute(select(m.stock.c.on_hand).where(m.stock.c.store_id == store_id,
                                                             m.stock.c.sku == sku)).scalar()
        return int(v or 0)

    def claimants(self, kind: str, key: str) -> list[tuple[str, str, str, bool]]:
        """(store_id, entity, entity_id, released) of every claimant of a unique key."""
        c = m.claim.c
        with self._tx(SHARED_STORE, write=False) as conn:
            return [(r.store_id, r.entity, r.entity_id, bool(r.released)) for r in conn.execute(
                select(m.claim).where(c.kind == kind, c.claim_key == key)
                .order_by(c.store_id, c.entity_id))]


def id_hash(ids: Iterable[str]) -> str:
    """sha256 hex of the sorted ids joined by a newline (the digest's id hash; the terminal computes the same)."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()
