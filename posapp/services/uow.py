"""The unit of work: one user action = one transaction with its audit event and outbox entries (guide §2)."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from posapp.config import Settings
from posapp.db.models.base import Base, Syncable
from posapp.domain.enums import OutboxOp
from posapp.errors import PermissionDenied
from posapp.events import DataChanged
from posapp.security import audit
from posapp.security.permissions import Permission, allowed
from posapp.services.core import Core
from posapp.services.dto import Actor, Override
from posapp.sync.outbox import record_change, row_payload

OVERRIDE_VALID_FOR = timedelta(minutes=2)


class Tx:
    """What a service sees inside a write: the session plus helpers that keep audit and outbox in step."""

    def __init__(self, session: Session, core: Core, actor: Actor, override: Override | None) -> None:
        self.session = session
        self._core = core
        self.actor = actor
        self.override = override
        self.touched: set[str] = set()
        self.outbox_added = 0
        self.now = datetime.now(UTC)
        self.refusals: list[tuple[str, str, str, dict[str, Any]]] = []

    @property
    def settings(self) -> Settings:
        """The terminal's settings snapshot (store and terminal identity, time zone, ...)."""
        return self._core.settings

    def stamp(self, row: Syncable) -> None:
        """Fill the syncable columns of a row created or changed here."""
        s = self._core.settings
        if getattr(row, "store_id", None) is None:
            row.store_id = s.store_id
        if getattr(row, "origin_terminal_id", None) is None:
            row.origin_terminal_id = s.terminal_id
        if getattr(row, "created_at", None) is None:
            row.created_at = self.now
        row.updated_hlc = str(self._core.clock.now())

    def add(self, row: Base, *, sync: bool = True) -> None:
        """Insert a row; syncable rows get their columns stamped and an outbox entry."""
        if isinstance(row, Syncable):
            self.stamp(row)
        self.session.add(row)
        self.session.flush()
        self.touched.add(str(row.__tablename__))
        if sync and isinstance(row, Syncable):
            self._outbox(row, OutboxOp.INSERT)

    def changed(self, row: Base, *, fields: Mapping[str, Any] | None = None) -> None:
        """Record an update of ``row`` (after setting its attributes) for sync."""
        if isinstance(row, Syncable):
            self.stamp(row)
        self.session.flush()
        self.touched.add(str(row.__tablename__))
        if isinstance(row, Syncable):
            self._outbox(row, OutboxOp.UPDATE, fields=fields)

    def _outbox(self, row: Syncable, op: OutboxOp, *, fields: Mapping[str, Any] | None = None) -> None:
        assert isinstance(row, Base)
        payload = row_payload(row) if fields is None else {**fields, "updated_hlc": row.updated_hlc}
        record_change(self.session, entity=str(row.__tablename__), entity_id=str(row.id),  # type: ignore[attr-defined]
                      op=op, payload=payload, hlc=row.updated_hlc)
        self.outbox_added += 1

    def audit_refusal(self, action: str, *, entity: str, entity_id: str,
                      details: Mapping[str, Any] | None = None) -> None:
        """Audit a refusal the caller is about to raise: this transaction rolls back, so the entry is written in
        a transaction of its own right after (a refusal is always kept, and nothing else is)."""
        self.refusals.append((action, entity, entity_id, dict(details or {})))

    def audit(self, action: str, *, entity: str, entity_id: str, details: Mapping[str, Any] | None = None) -> None:
        s = self._core.settings
        event = audit.append(
            self.session, store_id=s.store_id, terminal_id=s.terminal_id, employee_id=self.actor.employee_id,
            action=action, entity=entity, entity_id=entity_id,
            details={**(details or {}), "by": self.actor.number},
            override_by=self.override.manager_id if self.override else None, at=self.now)
        self.touched.add("audit_event")
        self.session.flush()
        hlc = str(self._core.clock.now())
        record_change(self.session, entity="audit_event", entity_id=str(event.id), op=OutboxOp.INSERT,
                      payload=row_payload(event), hlc=hlc)
        self.outbox_added += 1


class UnitOfWork:
    def __init__(self, core: Core) -> None:
        self.core = core
        self._override_key = os.urandom(32)

    # -- overrides -----------------------------------------------------------------------------------------
    def sign_override(self, manager_id: str, permission: str, granted_at: datetime) -> str:
        msg = f"{manager_id}|{permission}|{granted_at.isoformat()}".encode()
        return hmac.new(self._override_key, msg, hashlib.sha256).hexdigest()

    def _override_valid(self, override: Override, permission: Permission) -> bool:
        if override.permission != permission.value:
            return False
        if datetime.now(UTC) - override.granted_at > OVERRIDE_VALID_FOR:
            return False
        expected = self.sign_override(str(override.manager_id), override.permission, override.granted_at)
        return hmac.compare_digest(expected, override.token)

    def check(self, actor: Actor, permission: Permission, override: Override | None = None) -> None:
        """Raise PermissionDenied (and audit the refusal) unless the role or a valid override allows it."""
        if allowed(actor.role, permission):
            return
        if override is not None and self._override_valid(override, permission):
            return
        with self._write_session(actor, None) as tx:
            tx.audit("permission.denied", entity="permission", entity_id=permission.value,
                     details={"role": actor.role.value, "override": override is not None})
        raise PermissionDenied(
            f"{actor.label} may not do this ({permission.value}); a manager's approval is needed.",
            permission=permission.value)

    # -- transactions --------------------------------------------------------------------------------------
    @contextmanager
    def _write_session(self, actor: Actor, override: Override | None) -> Iterator[Tx]:
        session = self.core.db.write_sessions()
        tx = Tx(session, self.core, actor, override)
        try:
            with session.begin():
                yield tx
        except BaseException:
            session.close()
            if tx.refusals:
                self._write_refusals(actor, tx.refusals)
            raise
        finally:
            session.close()
        self.core.events.publish(DataChanged(frozenset(tx.touched), tx.outbox_added))

    def _write_refusals(self, actor: Actor, refusals: list[tuple[str, str, str, dict[str, Any]]]) -> None:
        with self._write_session(actor, None) as tx:
            for action, entity, entity_id, details in refusals:
                tx.audit(action, entity=entity, entity_id=entity_id, details=details)

    @contextmanager
    def write(self, actor: Actor, permission: Permission | None = None, *,
              override: Override | None = None) -> Iterator[Tx]:
        """One write transaction. The permission is checked first; nothing is written if it fails."""
        if permission is not None:
            self.check(actor, permission, override)
        with self._write_session(actor, override) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self.core.db.read_sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()
