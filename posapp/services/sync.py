"""SyncService: the sync facade for the UI (status bar, sync-details dialog, background worker).

API (all methods are thread-safe; only :meth:`run_now` and :meth:`verify` touch the network):

* :meth:`status` -> :class:`SyncStatus` — read from LOCAL tables only (``sync_outbox``, ``sync_run``,
  ``sync_state``, ``sync_conflict``, ``sync_problem``), so the UI thread can call it any time without waiting on
  the central store: ``online`` (None = never tried; else whether the last run reached the central store),
  ``unsynced`` (outbox changes not yet acknowledged), ``oldest_unsynced_at`` / :meth:`SyncStatus.oldest_age`,
  ``last_success_at``, ``last_error``, ``recent_runs`` (newest first), ``conflicts`` (flagged by the central store
  for this store, unresolved — a manager's list), ``problems`` (changes rejected for good / pulled rows that could
  not be applied), ``central_label`` and ``interval_seconds``.
* :meth:`run_now` -> :class:`posapp.sync.engine.SyncReport` — one full run (push, pull, convergence check),
  for the background worker's thread (``ui/sync_worker.py`` calls it every ``interval_seconds`` and on demand).
  Raises :class:`SyncUnavailable` (a :class:`~posapp.sync.protocol.TransportError`) when the central store
  cannot be reached or refuses, after recording the failed run, so the worker backs off. A run whose convergence
  check still differs after a rebuild returns normally with ``report.ok`` False and ``report.diverged`` set.
* :meth:`verify` -> :class:`posapp.sync.engine.VerifyReport` — compare this terminal with the central store.
* :meth:`initial_fill` — a new terminal's first pull, with ``progress(rows so far, rows remaining)`` for a progress
  bar; resumable (run it again after an interruption).
* :meth:`conflicts` / :meth:`recent_runs` — the lists of the sync-details dialog (also local only). A
  ``local_unique`` conflict is this terminal's own: a pulled row held back because another row here has the same
  employee number (phone number, IMEI); its :attr:`ConflictView.summary` says it in a manager's words ("Two
  employees have number 8001 (Sim Rep at T01 and Sim Rep at T02) — renumber one ...").

The network is reached through ``transport_factory``: a context manager yielding a
:class:`~posapp.sync.protocol.Transport` (the embedded/PostgreSQL central store in-process today, a web client
later). Without one, :meth:`run_now` raises :class:`SyncUnavailable`.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import Connection, Table, func, select

from posapp.db.models.sync import OutboxEntry, SyncConflict, SyncProblem, SyncRun, SyncState
from posapp.errors import ValidationError
from posapp.services.activation.collisions import claim_summary
from posapp.services.uow import UnitOfWork
from posapp.sync.apply import decode_row, table_for
from posapp.sync.engine import (
    CURSOR_KEY,
    LAST_ERROR_KEY,
    LAST_SUCCESS_KEY,
    OFFLINE_PREFIX,
    SyncEngine,
    SyncReport,
    VerifyReport,
    record_unreachable,
)
from posapp.sync.held import KIND as HELD_KIND
from posapp.sync.held import held_data
from posapp.sync.outbox import LOCAL_ONLY
from posapp.sync.protocol import ProtocolRefused, Transport, TransportError

TransportFactory = Callable[[], AbstractContextManager[Transport]]
log = logging.getLogger(__name__)



class SyncUnavailable(TransportError):
    """The central store could not be reached, refused the run, or none is configured."""


@dataclass(frozen=True)
class SyncRunView:
    id: int
    started_at: datetime
    finished_at: datetime | None
    trigger: str
    ok: bool
    pushed: int
    duplicates: int
    rejected: int
    pulled: int
    conflicts: int
    rebuilt: tuple[str, ...]
    diverged: tuple[str, ...]
    error: str | None

    @property
    def seconds(self) -> float | None:
        return (self.finished_at - self.started_at).total_seconds() if self.finished_at else None


@dataclass(frozen=True)
class ConflictView:
    conflict_id: str
    kind: str                  # field_lww | uniqueness | oversell (the centre's) | local_unique (this terminal's)
    entity: str
    entity_id: str
    store_id: str
    detail: str
    detected_at: str
    resolved: bool
    summary: str = ""          # a manager's sentence (local_unique conflicts; "" for the others)


@dataclass(frozen=True)
class ProblemView:
    direction: str             # push: rejected by the central store; pull: could not be applied here
    entity: str
    entity_id: str
    change_id: str | None
    reason: str
    at: datetime


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None
    unsynced: int
    oldest_unsynced_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    recent_runs: tuple[SyncRunView, ...]
    conflicts: tuple[ConflictView, ...]
    problems: tuple[ProblemView, ...]
    central_label: str
    interval_seconds: int
    as_of: datetime

    def oldest_age(self, now: datetime | None = None) -> timedelta | None:
        """How long the oldest unsynced change has been waiting (None when everything is synced)."""
        if self.oldest_unsynced_at is None:
            return None
        return (now or datetime.now(UTC)) - self.oldest_unsynced_at


def _t(model: type) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def _split(text: str) -> tuple[str, ...]:
    return tuple(x for x in text.split(",") if x)


def _parse_dt(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def collision_summary(conn: Connection, entity: str, entity_id: str, detail: str) -> str:
    """ "Two employees have number 8001 (Sim Rep at T01 and Sim Rep at T02) — renumber one (...)": a held row's
    conflict in a manager's words. The rows' labels (the employee's name) are read here, from the local row and the
    held row; the conflict log itself keeps only ids, the key and its value."""
    try:
        d = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(d, dict):
        return detail
    local_label, pulled_label = _collision_labels(conn, entity, entity_id, d)
    sides = sorted(((str(d.get("local_terminal") or "?"), local_label),
                    (str(d.get("pulled_terminal") or "?"), pulled_label)))
    names = " and ".join(f"{label} at {terminal}" if label else f"one from {terminal}" for terminal, label in sides)
    return (f"Two {d.get('noun', entity + ' rows')} have {d.get('what', d.get('key', 'key'))} {d.get('value', '?')} "
            f"({names}) — {d.get('fix', 'change one')}.")


def _collision_labels(conn: Connection, entity: str, entity_id: str,
                      d: dict[str, object]) -> tuple[object | None, object | None]:
    """The declared label (``UniqueKey.label``) of the local row and of the held row, or None each."""
    found = table_for(entity)
    if found is None:
        return None, None
    table, pol = found
    label = next((k.label for k in pol.unique if k.field == d.get("key")), None)
    if label is None or label not in table.c:
        return None, None
    local_key = decode_row(table, {pol.key: d.get("local_id")}).get(pol.key)
    local = conn.execute(select(table.c[label]).where(table.c[pol.key] == local_key)).scalar()
    return local, (held_data(conn, entity, entity_id) or {}).get(label)


class SyncService:
    def __init__(self, *, uow: UnitOfWork, transport_factory: TransportFactory | None = None,
                 batch_size: int = 200, page_size: int = 500) -> None:
        self._uow = uow
        self._factory = transport_factory
        self._batch_size = batch_size
        self._page_size = page_size
        self._run_lock = threading.Lock()

    def configure(self, *, batch_size: int | None = None, page_size: int | None = None) -> None:
        """Push batch size (outbox changes per request) and pull page size (rows per page)."""
        if batch_size is not None:
            if batch_size < 1:
                raise ValidationError("the batch size must be at least 1")
            self._batch_size = batch_size
        if page_size is not None:
            if page_size < 1:
                raise ValidationError("the page size must be at least 1")
            self._page_size = page_size

    @property
    def configured(self) -> bool:
        return self._factory is not None

    # -- local reads (never the network) ----------------------------------------------------------------------
    def status(self, *, runs: int = 10, conflicts: int = 100) -> SyncStatus:
        ob, st = _t(OutboxEntry), _t(SyncState)
        s = self._uow.core.settings
        with self._uow.read() as session:
            unsynced = int(session.scalar(select(func.count()).select_from(ob).where(ob.c.acked_at.is_(None)))
                           or 0)
            oldest = session.scalar(select(ob.c.created_at).where(ob.c.acked_at.is_(None))
                                    .order_by(ob.c.seq).limit(1))
            state = {k: v for k, v in session.execute(select(st.c.key, st.c.value))}
        recent = self.recent_runs(limit=runs)
        finished = [r for r in recent if r.finished_at is not None]
        online: bool | None = None
        if finished:
            err = finished[0].error or ""
            online = not err.startswith(OFFLINE_PREFIX)
        interval = int(getattr(s, "sync_interval_seconds", 60))
        central = s.central_url or "embedded central store"
        return SyncStatus(
            online=online, unsynced=unsynced,
            oldest_unsynced_at=oldest.replace(tzinfo=UTC) if oldest and oldest.tzinfo is None else oldest,
            last_success_at=_parse_dt(state.get(LAST_SUCCESS_KEY)), last_error=state.get(LAST_ERROR_KEY) or None,
            recent_runs=recent, conflicts=self.conflicts(limit=conflicts), problems=self.problems(),
            central_label=central.split("@")[-1], interval_seconds=interval, as_of=datetime.now(UTC))

    def recent_runs(self, *, limit: int = 20) -> tuple[SyncRunView, ...]:
        t = _t(SyncRun)
        with self._uow.read() as session:
            rows = session.execute(select(t).order_by(t.c.id.desc()).limit(limit)).mappings().all()
        return tuple(SyncRunView(id=r["id"], started_at=r["started_at"], finished_at=r["finished_at"],
                                 trigger=r["trigger"], ok=bool(r["ok"]), pushed=r["pushed"],
                                 duplicates=r["duplicates"], rejected=r["rejected"], pulled=r["pulled"],
                                 conflicts=r["conflicts"], rebuilt=_split(r["rebuilt"]),
                                 diverged=_split(r["diverged"]), error=r["error"]) for r in rows)

    def conflicts(self, *, include_resolved: bool = False, limit: int = 100) -> tuple[ConflictView, ...]:
        t = _t(SyncConflict)
        q = select(t).order_by(t.c.detected_at.desc()).limit(limit)
        if not include_resolved:
            q = q.where(t.c.resolved.is_(False))
        with self._uow.read() as session:
            rows = session.execute(q).mappings().all()
            conn = session.connection()
            return tuple(ConflictView(
                **{k: r[k] for k in ConflictView.__dataclass_fields__ if k != "summary"},
                summary=collision_summary(conn, r["entity"], r["entity_id"], r["detail"])
                if r["kind"] == HELD_KIND else claim_summary(session, kind=r["kind"], entity=r["entity"],
                                                             entity_id=r["entity_id"], detail=r["detail"],
                                                             store_id=r["store_id"])) for r in rows)

    def problems(self, *, limit: int = 100) -> tuple[ProblemView, ...]:
        t = _t(SyncProblem)
        with self._uow.read() as session:
            rows = session.execute(select(t).order_by(t.c.id.desc()).limit(limit)).mappings().all()
        return tuple(ProblemView(direction=r["direction"], entity=r["entity"], entity_id=r["entity_id"],
                                 change_id=r["change_id"], reason=r["reason"], at=r["at"]) for r in rows)

    # -- network ------------------------------------------------------------------------------------------------
    def _engine(self, transport: Transport) -> SyncEngine:
        return SyncEngine(self._uow.core, transport, batch_size=self._batch_size, page_size=self._page_size)

    def run_now(self, *, trigger: str = "worker") -> SyncReport:
        """One sync run (blocking; call it from the worker thread, never the UI thread)."""
        if self._factory is None:
            raise SyncUnavailable("no central store is configured for this terminal")
        with self._run_lock:
            reached = False
            try:
                with self._factory() as transport:
                    reached = True
                    engine = self._engine(transport)
                    try:
                        report = engine.run_once(trigger=trigger)
                    finally:
                        engine.close()
                self._settle_collisions()
                return report
            except (TransportError, ProtocolRefused) as exc:
                message = " ".join(str(exc).split()) or type(exc).__name__
                if not reached:         # the engine records its own runs; this one never started
                    record_unreachable(self._uow.core, trigger=trigger, error=message)
                if isinstance(exc, SyncUnavailable):
                    raise
                raise SyncUnavailable(message) from exc

    def _settle_collisions(self) -> None:
        """After a run: this terminal's activation lines whose pool number or IMEI the centre found given to an
        earlier line go on hold (``posapp.services.activation.collisions``). A failure here is logged, never
        fails the run (sync must not wedge on it); the next run tries again."""
        from posapp.services.activation.collisions import hold_collided_lines

        try:
            hold_collided_lines(self._uow)
        except Exception:
            log.exception("putting collided activation lines on hold failed; tried again after the next run")

    def keep_local(self, *, store_id: str) -> int:
        """Changes still waiting to be sent whose row belongs to another store than ``store_id`` — recorded before
        this terminal was registered to ``store_id`` (the set-up's audit events): acknowledged as ``local_only``.
        They stay in this terminal's database and audit log and are never sent: a store's login may push only its
        own store's rows, so the centre would refuse them. Audited with their count; returns it."""
        from posapp.services.dto import SYSTEM_ACTOR

        outbox = _t(OutboxEntry)
        ob = outbox.c
        belongs_to = func.json_extract(ob.payload, "$.store_id")
        with self._uow.write(SYSTEM_ACTOR) as tx:
            result = tx.session.execute(outbox.update().where(
                ob.acked_at.is_(None), belongs_to.is_not(None), belongs_to != store_id)
                .values(acked_at=tx.now, ack_status=LOCAL_ONLY))
            kept = int(getattr(result, "rowcount", 0) or 0)
            if kept:
                tx.audit("sync.kept_local", entity="terminal", entity_id=store_id,
                         details={"changes": int(kept), "reason": "recorded before this terminal joined the store"})
        return kept

    def cursor(self) -> str:
        """The stored pull cursor ("" before the initial fill); local only."""
        st = _t(SyncState)
        with self._uow.read() as session:
            return str(session.scalar(select(st.c.value).where(st.c.key == CURSOR_KEY)) or "")

    def initial_fill(self, *, progress: Callable[[int, int], None] | None = None,
                     max_pages: int | None = None) -> int:
        """A new terminal's first pull with ``progress(rows so far, rows remaining)``; resumes after an
        interruption (the cursor is committed with every page). Returns the rows applied by this call."""
        if self._factory is None:
            raise SyncUnavailable("no central store is configured for this terminal")
        with self._run_lock:
            try:
                with self._factory() as transport:
                    engine = self._engine(transport)
                    try:
                        return engine.initial_fill(progress=progress, max_pages=max_pages).applied
                    finally:
                        engine.close()
            except SyncUnavailable:
                raise
            except (TransportError, ProtocolRefused) as exc:
                raise SyncUnavailable(str(exc) or type(exc).__name__) from exc

    def verify(self) -> VerifyReport:
        if self._factory is None:
            raise SyncUnavailable("no central store is configured for this terminal")
        try:
            with self._factory() as transport:
                engine = self._engine(transport)
                try:
                    return engine.verify()
                finally:
                    engine.close()
        except SyncUnavailable:
            raise
        except (TransportError, ProtocolRefused) as exc:
            raise SyncUnavailable(str(exc) or type(exc).__name__) from exc


__all__ = ["ConflictView", "ProblemView", "SyncRunView", "SyncService", "SyncStatus", "SyncUnavailable",
           "TransportFactory", "collision_summary"]
