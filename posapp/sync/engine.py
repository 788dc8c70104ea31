"""The terminal's sync engine: push the outbox, pull the central store's rows, check convergence (guide §4).

One :meth:`SyncEngine.run_once` is:

1. **Push** every pending outbox change in batches, in outbox (``seq``) order. A change is marked done only after
   the central store's answer for it arrives, in one local transaction per answered batch; rejected changes are
   kept (``sync_problem``, with the reason) and not sent again. A lost answer just means the batch is sent again
   and answered ``duplicate``.
2. **Pull** pages after the stored cursor until the central store says there is no more; each page is applied
   together with its new cursor in one local transaction (so an interrupted pull resumes where it stopped).
   The server's HLC is observed into the local clock after every answer.
3. **Convergence**: per-entity counts and id hashes of this store's rows, here and at the centre, at the final
   cursor. An entity that differs is rebuilt from a full pull of it; whatever still differs is reported. Compared
   are the entities this or an interrupted earlier run pushed or pulled (``digest_dirty``, marked in the same local
   transaction as the acknowledgement or the applied page), those that differed last time, and any entity whose
   last agreement (``digest_checked:<entity>``) is older than ``sync_full_check_hours``; :meth:`verify` compares
   every entity.

Every run is recorded in ``sync_run`` (also a failed one, with its error); ``sync_state`` keeps the cursor, the
last success and the last error. A file lock in the data folder serialises runs on one terminal (two at once are
safe anyway: every step is a replay-safe no-op the second time). Transport failures propagate (as
:class:`TransportError` / :class:`ProtocolRefused`) after the failed run has been recorded.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, bindparam, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from posapp.core import Core
from posapp.db.models.sync import OutboxEntry, SyncConflict, SyncProblem, SyncRun, SyncState
from posapp.db.session import create_sqlite_engine
from posapp.ids import uuid7
from posapp.sync.apply import (
    ApplyResult,
    apply_rows,
    id_hash,
    local_digests,
    local_ids,
    pulled_entities,
    retry_held,
    table_for,
)
from posapp.sync.held import KIND as HELD_KIND
from posapp.sync.held import held_count
from posapp.sync.hlc import Stamp
from posapp.sync.protocol import (
    Change,
    ChangeStatus,
    DigestRequest,
    ProtocolRefused,
    PullRequest,
    PushRequest,
    Transport,
    TransportError,
)
from posapp.sync.reports import SyncReport, VerifyReport

log = logging.getLogger(__name__)

CURSOR_KEY = "pull_cursor"
LAST_SUCCESS_KEY = "last_success_at"
LAST_ATTEMPT_KEY = "last_attempt_at"
LAST_ERROR_KEY = "last_error"
FILL_DONE_KEY = "initial_fill_done"
OFFLINE_PREFIX = "offline"           # a run's error starts with this when the central store was not reached

OUTBOX = cast(Table, OutboxEntry.__table__)
STATE = cast(Table, SyncState.__table__)
RUNS = cast(Table, SyncRun.__table__)
PROBLEMS = cast(Table, SyncProblem.__table__)
CONFLICTS = cast(Table, SyncConflict.__table__)

_ACK = (update(OUTBOX).where(OUTBOX.c.seq == bindparam("b_seq"), OUTBOX.c.acked_at.is_(None))
        .values(ack_status=bindparam("b_status")))

_upsert = sqlite_insert(STATE)
_SET_STATE = _upsert.on_conflict_do_update(index_elements=[STATE.c.key], set_={"value": _upsert.excluded.value})
CONFLICTS_CHECKED_KEY = "conflicts_checked_at"
CONFLICTS_REFRESH = timedelta(minutes=10)
OUTBOX_KEEP = timedelta(days=30)       # acknowledged outbox rows are kept this long (support, audits), then pruned
PRUNED_KEY = "outbox_pruned_at"
DIRTY_KEY = "digest_dirty"             # entities to compare at the next check (comma-separated)
CHECKED_PREFIX = "digest_checked:"     # + entity: when it last agreed with the centre (UTC ISO time)
DEFAULT_FULL_CHECK = timedelta(hours=6)

Progress = Callable[[int, int], None]          # (rows pulled so far, rows remaining at the centre)


class _Lock:
    """An exclusive lock on a file in the data folder (released by the OS if the process dies)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def __enter__(self) -> _Lock:
        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(self._fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)       # closing the descriptor releases the lock
            self._fd = None


class SyncEngine:
    def __init__(self, core: Core, transport: Transport, *, batch_size: int = 200, page_size: int = 500,
                 full_check: timedelta | None = None) -> None:
        if batch_size < 1 or page_size < 1:
            raise ValueError("batch and page sizes must be positive")
        if full_check is None:
            hours = getattr(core.settings, "sync_full_check_hours", None)
            full_check = DEFAULT_FULL_CHECK if hours is None else timedelta(hours=int(hours))
        self.full_check = full_check       # every entity is compared at least this often (0: every run)
        self.core = core
        self.transport = transport
        self.batch_size = batch_size
        self.page_size = page_size
        self._apply_engine: Engine | None = None
        self._conflicts_checked: datetime | None = None

    # -- plumbing ---------------------------------------------------------------------------------------------
    @property
    def _store(self) -> str:
        return self.core.settings.store_id

    @property
    def _terminal(self) -> str:
        return self.core.settings.terminal_id

    def _lock(self) -> _Lock:
        return _Lock(self.core.paths.database.with_name("sync.lock"))

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """One local write transaction (BEGIN IMMEDIATE)."""
        with self.core.db.write_engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def _apply(self) -> Iterator[Connection]:
        """A write transaction with foreign keys off, for pulled pages (see :mod:`posapp.sync.apply`)."""
        if self._apply_engine is None:
            self._apply_engine = create_sqlite_engine(self.core.db.path, immediate=True, foreign_keys=False)
        with self._apply_engine.connect() as conn, conn.begin():
            yield conn

    def close(self) -> None:
        if self._apply_engine is not None:
            self._apply_engine.dispose()
            self._apply_engine = None

    def _read(self) -> Connection:
        return self.core.db.read_engine.connect()

    def _observe(self, server_hlc: str) -> None:
        if server_hlc:
            with contextlib.suppress(ValueError):
                self.core.clock.observe(Stamp.parse(server_hlc))

    @staticmethod
    def _set_state(conn: Connection, key: str, value: str) -> None:
        conn.execute(_SET_STATE, [{"key": key, "value": value}])

    def state(self, key: str) -> str | None:
        with self._read() as conn:
            return _state(conn, key)

    def cursor(self) -> str:
        return self.state(CURSOR_KEY) or ""

    def pending(self) -> int:
        with self._read() as conn:
            return _pending(conn)

    # -- push -------------------------------------------------------------------------------------------------
    def push(self) -> tuple[int, int, int]:
        """Push every pending change; (applied, duplicates, rejected). Raises TransportError when cut off."""
        applied = duplicates = rejected = 0
        ob = OUTBOX
        while True:
            with self._read() as conn:
                rows = conn.execute(select(ob).where(ob.c.acked_at.is_(None)).order_by(ob.c.seq)
                                    .limit(self.batch_size)).mappings().all()
            if not rows:
                return applied, duplicates, rejected
            changes = tuple(Change(change_id=str(r["change_id"]), seq=int(r["seq"]), entity=r["entity"],
                                   entity_id=r["entity_id"], op=str(r["op"].value if hasattr(r["op"], "value")
                                                                      else r["op"]),
                                   payload=r["payload"], hlc=r["hlc"]) for r in rows)
            response = self.transport.push(PushRequest(store_id=self._store, terminal_id=self._terminal,
                                                       batch_id=str(uuid7()), changes=changes))
            by_id = {c.change_id: c for c in changes}
            answered = [res for res in response.results if res.change_id in by_id]
            if not answered:
                raise ProtocolRefused("the central store answered none of the changes it was sent")
            now = datetime.now(UTC)
            with self._write() as conn:
                # still pending now (inside the write lock): a change answered twice in one response, or
                # acknowledged meanwhile by a concurrent run, is counted once
                open_seqs = set(conn.scalars(select(ob.c.seq).where(
                    ob.c.acked_at.is_(None), ob.c.seq.in_([by_id[r.change_id].seq for r in answered]))))
                marks: list[dict[str, Any]] = []
                problems: list[dict[str, Any]] = []
                touched: set[str] = set()
                for res in answered:
                    c = by_id[res.change_id]
                    if c.seq not in open_seqs:
                        continue
                    open_seqs.discard(c.seq)
                    touched.add(c.entity)
                    marks.append({"b_seq": c.seq, "b_status": res.status.value})
                    if res.status is ChangeStatus.APPLIED:
                        applied += 1
                    elif res.status is ChangeStatus.DUPLICATE:
                        duplicates += 1
                    else:
                        rejected += 1
                        problems.append({"direction": "push", "change_id": c.change_id, "entity": c.entity,
                                         "entity_id": c.entity_id, "reason": res.reason or "rejected", "at": now})
                if marks:
                    conn.execute(_ACK.values(acked_at=now), marks)
                if problems:
                    conn.execute(PROBLEMS.insert(), problems)
                _mark_dirty(conn, touched)           # compared at the next check, even if this run dies first
            self._observe(response.server_hlc)

    # -- pull -------------------------------------------------------------------------------------------------
    def pull(self, *, progress: Progress | None = None, max_pages: int | None = None) -> ApplyResult:
        """Pull pages after the stored cursor until there is no more (or ``max_pages``); resumable."""
        total = ApplyResult()
        cursor = self.cursor()
        pages = 0
        while True:
            response = self.transport.pull(PullRequest(store_id=self._store, terminal_id=self._terminal,
                                                       cursor=cursor, limit=self.page_size))
            now = datetime.now(UTC)
            if response.more and not response.rows and response.cursor == cursor:
                raise ProtocolRefused("the central store announced more rows but sent none and kept the cursor")
            if response.rows or response.cursor != cursor:
                with self._apply() as conn:      # the page and its cursor: one local transaction
                    res = apply_rows(conn, response.rows)
                    _pull_problems(conn, res, now)
                    _mark_dirty(conn, (r.entity for r in response.rows))
                    self._set_state(conn, CURSOR_KEY, response.cursor)
                    if not response.more:
                        self._set_state(conn, FILL_DONE_KEY, now.isoformat())
            else:                                # nothing new: no local write at all
                res = ApplyResult()
            cursor = response.cursor
            self._observe(response.server_hlc)
            _add(total, res)
            pages += 1
            if progress is not None:
                progress(total.applied + len(total.problems), response.remaining)
            if not response.more or (max_pages is not None and pages >= max_pages):
                return total

    # -- convergence ------------------------------------------------------------------------------------------
    def digest_entities(self) -> tuple[str, ...]:
        """Store entities compared after a sync. Shared catalog rows are left out: a terminal may hold catalog
        rows of its own (loaded from resources) that head office has not published."""
        return _digested()

    def verify(self, *, pull_first: bool = True) -> VerifyReport:
        """Compare every entity of this terminal with the centre's at the stored cursor.

        The comparison is exact only at a cursor reached by a *complete* pull (the last page said no more) that
        came after this terminal's last push: the centre counts rows created up to the cursor, and a row created
        before it but changed since is only guaranteed here if the pull ran to the end. So unless the caller has
        just done that, the pull is brought up to date first (safe: pulls are idempotent). The outcome is
        recorded: agreeing entities count as checked, differing ones are compared (and rebuilt) by the next run.
        """
        with self._lock():          # no run marks entities between this comparison and its record
            if pull_first:
                self.pull()
            check = self._compare(self.digest_entities())
            self._record_check(agreed=[e for e, _, _ in check.entities if e not in check.differing],
                               differing=check.differing)
        return check

    def due_entities(self, now: datetime | None = None) -> tuple[str, ...]:
        """Entities the next run compares: pushed or pulled since their last comparison, differing last time, or
        not compared in full for ``full_check`` (every one when that is zero)."""
        now = now or datetime.now(UTC)
        entities = self.digest_entities()
        if self.full_check <= timedelta(0):
            return entities
        with self._read() as conn:
            dirty = _dirty(conn)
            checked = {str(k)[len(CHECKED_PREFIX):]: str(v) for k, v in conn.execute(
                select(STATE.c.key, STATE.c.value).where(STATE.c.key.like(CHECKED_PREFIX + "%")))}

        def stale(entity: str) -> bool:
            try:
                at = datetime.fromisoformat(checked[entity])
            except (KeyError, ValueError):
                return True
            return not timedelta(0) <= now - at < self.full_check     # a stamp in the future (clock reset): due
        return tuple(e for e in entities if e in dirty or stale(e))

    def _compare(self, entities: tuple[str, ...]) -> VerifyReport:
        """Digests of ``entities`` here and at the centre at the stored cursor (no request when there are none)."""
        cursor = self.cursor()
        if not entities:
            return VerifyReport(cursor=cursor, entities=(), differing=(), pending=self.pending())
        remote = {d.entity: d for d in self.transport.digest(DigestRequest(
            store_id=self._store, terminal_id=self._terminal, cursor=cursor, entities=entities)).digests}
        rows: list[tuple[str, int, int]] = []
        differing: list[str] = []
        with self._read() as conn, conn.begin():      # one snapshot for every entity
            digests = local_digests(conn, entities, store_id=self._store)
        for entity in entities:
            mine = digests[entity]
            theirs = remote.get(entity)
            count, digest = (theirs.count, theirs.id_hash) if theirs else (0, id_hash(()))
            rows.append((entity, mine.count, count))
            if (mine.count, mine.id_hash) != (count, digest):
                differing.append(entity)
        return VerifyReport(cursor=cursor, entities=tuple(rows), differing=tuple(differing), pending=self.pending())

    def _record_check(self, *, agreed: Iterable[str], differing: Iterable[str]) -> None:
        """Agreeing entities: checked now, no longer due; differing ones stay due (call under the sync lock)."""
        agreed, differing = set(agreed), set(differing)
        if not agreed and not differing:
            return
        now = datetime.now(UTC).isoformat()
        with self._write() as conn:
            dirty = _dirty(conn)
            left = (dirty - agreed) | differing
            if left != dirty:
                self._set_state(conn, DIRTY_KEY, ",".join(sorted(left)))
            if agreed:
                conn.execute(_SET_STATE, [{"key": CHECKED_PREFIX + e, "value": now} for e in sorted(agreed)])

    def rebuild(self, entity: str) -> bool:
        """Re-pull every row of ``entity`` from the beginning and apply it; True when the ids then agree."""
        cursor = ""
        central: set[str] = set()
        while True:
            response = self.transport.pull(PullRequest(store_id=self._store, terminal_id=self._terminal,
                                                       cursor=cursor, limit=self.page_size, entities=(entity,)))
            rows = tuple(r for r in response.rows if r.entity == entity)
            with self._apply() as conn:
                res = apply_rows(conn, rows)
                _pull_problems(conn, res, datetime.now(UTC))
            for r in rows:
                if r.deleted:
                    central.discard(r.entity_id)
                else:
                    central.add(r.entity_id)
            cursor = response.cursor
            if not response.more:
                break
        with self._read() as conn:
            mine = local_ids(conn, entity, store_id=self._store)
        if mine != central:
            log.warning("sync: %s still differs after a rebuild: %d only here, %d only at the centre", entity,
                        len(mine - central), len(central - mine))
        return mine == central

    # -- a whole run ------------------------------------------------------------------------------------------
    def run_once(self, *, trigger: str = "manual", progress: Progress | None = None) -> SyncReport:
        """Push, pull, check convergence; record the run. Raises TransportError/ProtocolRefused (recorded)."""
        started = datetime.now(UTC)
        t0 = time.perf_counter()
        fields: dict[str, Any] = {}
        try:
            with self._lock():
                applied, duplicates, rejected = self.push()
                fields.update(pushed=applied, duplicates=duplicates, rejected=rejected)
                pulled = self.pull(progress=progress)
                retried = self.retry_held()          # collisions resolved since: written now
                fields.update(pulled=pulled.applied + retried.inserted + retried.updated,
                              guarded_fields=pulled.guarded_fields, apply_problems=len(pulled.problems))
                due = self.due_entities()
                check = self._compare(due)                # the pull above ran to the end
                rebuilt, diverged = [], []
                for entity in check.differing:
                    rebuilt.append(entity)
                    if not self.rebuild(entity):
                        diverged.append(entity)
                self._record_check(agreed=[e for e in due if e not in diverged], differing=diverged)
                fields.update(rebuilt=tuple(rebuilt), diverged=tuple(diverged), checked=len(due))
                # new conflicts come only with changes (ours pushed, or others' pulled); resolutions at head
                # office are picked up at least every CONFLICTS_REFRESH
                if applied + duplicates + rejected + pulled.applied or self._conflicts_stale():
                    total, new = self._fetch_conflicts()
                else:
                    total, new = self._known_conflicts(), 0
                with self._read() as conn:
                    held = held_count(conn)
                fields.update(conflicts=total, new_conflicts=new + pulled.new_held + retried.new_held, held=held)
        except Exception as exc:
            kind = (OFFLINE_PREFIX if isinstance(exc, TransportError) else "refused" if isinstance(exc, ProtocolRefused)
                    else type(exc).__name__)
            error = f"{kind}: {' '.join(str(exc).split())[:300] or type(exc).__name__}"
            self._finish(started, trigger, fields, error=error, t0=t0)
            raise
        report = self._finish(started, trigger, fields, error=None, t0=t0)
        if report.ok:
            self.prune_outbox()
        return report

    def prune_outbox(self, *, keep: timedelta = OUTBOX_KEEP, now: datetime | None = None) -> int:
        """Delete outbox rows acknowledged (applied or duplicate) more than ``keep`` ago, at most once a day.

        Never deleted: pending rows, rejected rows (listed for a manager; the digest needs them) and the row with
        the newest stamp (the clock resumes from it when the app starts). Returns the rows deleted.
        """
        now = now or datetime.now(UTC)
        last = self.state(PRUNED_KEY)
        try:
            if last is not None and now - datetime.fromisoformat(last) < timedelta(days=1):
                return 0
        except ValueError:
            pass
        with self._write() as conn:
            newest = conn.scalar(select(func.max(OUTBOX.c.hlc))) or ""
            deleted = conn.execute(OUTBOX.delete().where(
                OUTBOX.c.acked_at < now - keep, OUTBOX.c.ack_status.in_(("applied", "duplicate")),
                OUTBOX.c.hlc != newest)).rowcount
            self._set_state(conn, PRUNED_KEY, now.isoformat())
        if deleted:
            log.info("sync: pruned %d acknowledged outbox rows older than %s", deleted, keep)
        return int(deleted or 0)

    def initial_fill(self, *, progress: Progress | None = None, max_pages: int | None = None) -> ApplyResult:
        """A new terminal's first pull (cursor "" unless an interrupted fill left one): resumable page by page."""
        with self._lock():
            return self.pull(progress=progress, max_pages=max_pages)

    def retry_held(self) -> ApplyResult:
        """Write the held rows whose collision is gone (released, their conflicts resolved); the rest stay held."""
        with self._read() as conn:
            if not held_count(conn):
                return ApplyResult()
        with self._apply() as conn:
            return retry_held(conn, self._store)

    def _conflicts_stale(self) -> bool:
        checked = self.state(CONFLICTS_CHECKED_KEY)
        try:
            return checked is None or datetime.now(UTC) - datetime.fromisoformat(checked) > CONFLICTS_REFRESH
        except ValueError:
            return True

    def _known_conflicts(self) -> int:
        with self._read() as conn:
            return int(conn.scalar(select(func.count()).select_from(CONFLICTS)
                                   .where(CONFLICTS.c.resolved.is_(False))) or 0)

    def _fetch_conflicts(self) -> tuple[int, int]:
        conflicts = self.transport.conflicts(self._store, limit=500)
        t = CONFLICTS
        with self._read() as conn:
            known = {r.conflict_id: r.resolved for r in conn.execute(select(t.c.conflict_id, t.c.resolved))}
        changed = [c for c in conflicts if known.get(c.conflict_id) != c.resolved]
        self._conflicts_checked = datetime.now(UTC)     # recorded with the run (in _finish)
        if changed:
            with self._write() as conn:
                for c in changed:
                    values = {"kind": c.kind, "entity": c.entity, "entity_id": c.entity_id, "store_id": c.store_id,
                              "detail": c.detail, "detected_at": c.detected_at, "resolved": c.resolved}
                    conn.execute(sqlite_insert(t).values(conflict_id=c.conflict_id, **values)
                                 .on_conflict_do_update(index_elements=[t.c.conflict_id], set_=values))
        new = sum(1 for c in changed if c.conflict_id not in known)
        with self._read() as conn:          # plus this terminal's own: pulled rows held back (sync/held.py)
            local = int(conn.scalar(select(func.count()).select_from(t).where(
                t.c.kind == HELD_KIND, t.c.resolved.is_(False))) or 0)
        return sum(1 for c in conflicts if not c.resolved) + local, new

    def _finish(self, started: datetime, trigger: str, fields: dict[str, Any], *, error: str | None,
                t0: float) -> SyncReport:
        """Record the run (one row in sync_run; a run killed midway leaves none) and the sync state."""
        finished = datetime.now(UTC)
        with self._write() as conn:
            report = SyncReport(cursor=_state(conn, CURSOR_KEY) or "", pending=_pending(conn),
                                seconds=time.perf_counter() - t0, error=error, **fields)
            conn.execute(RUNS.insert().values(
                started_at=started, finished_at=finished, trigger=trigger, ok=report.ok, pushed=report.pushed,
                duplicates=report.duplicates, rejected=report.rejected, pulled=report.pulled,
                conflicts=report.conflicts, rebuilt=",".join(report.rebuilt), diverged=",".join(report.diverged),
                error=error))
            states = {LAST_ATTEMPT_KEY: started.isoformat()}
            if report.ok:
                states.update({LAST_SUCCESS_KEY: finished.isoformat(), LAST_ERROR_KEY: ""})
            else:
                states[LAST_ERROR_KEY] = error or f"diverged: {', '.join(report.diverged)}"
            if self._conflicts_checked is not None:
                states[CONFLICTS_CHECKED_KEY] = self._conflicts_checked.isoformat()
                self._conflicts_checked = None
            conn.execute(_SET_STATE, [{"key": k, "value": v} for k, v in states.items()])
        if report.ok:
            log.info("sync: pushed %d (dup %d, rejected %d), pulled %d, %d pending, %.2f s", report.pushed,
                     report.duplicates, report.rejected, report.pulled, report.pending, report.seconds)
        else:
            (log.info if error and error.startswith(OFFLINE_PREFIX) else log.warning)(
                "sync run failed: %s", error or f"diverged {report.diverged}")
        return report


def record_unreachable(core: Core, *, trigger: str, error: str) -> None:
    """Record a run that could not even reach the central store (the transport could not be opened)."""
    now = datetime.now(UTC)
    with core.db.write_engine.connect() as conn, conn.begin():
        conn.execute(RUNS.insert().values(
            started_at=now, finished_at=now, trigger=trigger, ok=False, pushed=0, duplicates=0, rejected=0,
            pulled=0, conflicts=0, rebuilt="", diverged="", error=f"{OFFLINE_PREFIX}: {error}"[:400]))
        SyncEngine._set_state(conn, LAST_ATTEMPT_KEY, now.isoformat())
        SyncEngine._set_state(conn, LAST_ERROR_KEY, f"{OFFLINE_PREFIX}: {error}"[:400])


def _pull_problems(conn: Connection, res: ApplyResult, now: datetime) -> None:
    """Record pulled rows that could not be written here, once per row (a rebuild meets them again)."""
    if not res.problems:
        return
    known = {(e, i) for e, i in conn.execute(select(PROBLEMS.c.entity, PROBLEMS.c.entity_id).where(
        PROBLEMS.c.direction == "pull", PROBLEMS.c.entity_id.in_([p[1] for p in res.problems])))}
    fresh = [{"direction": "pull", "change_id": None, "entity": e, "entity_id": i, "reason": r, "at": now}
             for e, i, r in res.problems if (e, i) not in known]
    if fresh:
        conn.execute(PROBLEMS.insert(), fresh)


def _state(conn: Connection, key: str) -> str | None:
    return conn.scalar(select(STATE.c.value).where(STATE.c.key == key))


@functools.cache
def _digested() -> tuple[str, ...]:
    return tuple(e for e in pulled_entities() if not (found := table_for(e)) or not found[1].shared)


def _dirty(conn: Connection) -> set[str]:
    return {e for e in (_state(conn, DIRTY_KEY) or "").split(",") if e}


def _mark_dirty(conn: Connection, entities: Iterable[str]) -> None:
    """Add entities to the ones the next convergence check compares (inside the caller's write transaction)."""
    new = set(entities) & set(_digested())
    have = _dirty(conn)
    if not new <= have:
        conn.execute(_SET_STATE, [{"key": DIRTY_KEY, "value": ",".join(sorted(have | new))}])


def _pending(conn: Connection) -> int:
    return int(conn.scalar(select(func.count()).select_from(OUTBOX).where(OUTBOX.c.acked_at.is_(None))) or 0)


def _add(total: ApplyResult, res: ApplyResult) -> None:
    total.inserted += res.inserted
    total.updated += res.updated
    total.unchanged += res.unchanged
    total.guarded_fields += res.guarded_fields
    total.deleted += res.deleted
    total.skipped += res.skipped
    total.problems.extend(res.problems)


__all__ = ["SyncEngine", "SyncReport", "VerifyReport", "record_unreachable"]
