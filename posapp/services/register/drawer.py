"""The cash drawer: a session per terminal opened with a float; paid in/out, no-sale, close by count.

Every movement is recorded in its transaction first; the drawer is kicked afterwards. ``kick=False`` leaves the
kick to the caller (:meth:`DrawerService.kick`, e.g. on the UI's device worker): a kick that fails never rolls the
money back — the rep is told the drawer did not open."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import func, select

from posapp.adapters.cash_drawer import CashDrawer
from posapp.adapters.cash_drawer import kick as kick_drawer
from posapp.db.models import DrawerEvent, DrawerSession
from posapp.domain.register import DrawerEventKind, DrawerStatus, counted_total
from posapp.errors import ValidationError
from posapp.security.permissions import Permission
from posapp.services.dto import Actor, Override
from posapp.services.register.dto import DrawerDTO
from posapp.services.uow import Tx, UnitOfWork


def current_session(tx: Tx) -> DrawerSession:
    """This terminal's open drawer session; cash cannot move without one."""
    s = tx.settings
    found = tx.session.scalar(select(DrawerSession).where(
        DrawerSession.status == DrawerStatus.OPEN, DrawerSession.store_id == s.store_id,
        DrawerSession.origin_terminal_id == s.terminal_id))
    if found is None:
        raise ValidationError("Open the cash drawer (count in the float) first.")
    return found


def expected_cents(tx: Tx, drawer: DrawerSession) -> int:
    moved = tx.session.scalar(select(func.coalesce(func.sum(DrawerEvent.amount_cents), 0))
                              .where(DrawerEvent.session_id == drawer.id))
    return drawer.float_cents + int(moved or 0)


def _dto(tx: Tx, d: DrawerSession) -> DrawerDTO:
    return DrawerDTO(id=d.id, status=d.status.value, float_cents=d.float_cents,
                     expected_cents=expected_cents(tx, d) if d.expected_cents is None else d.expected_cents,
                     counted_cents=d.counted_cents, variance_cents=d.variance_cents,
                     variance_reason=d.variance_reason)


class DrawerService:
    def __init__(self, *, uow: UnitOfWork, drawer: CashDrawer) -> None:
        self._uow = uow
        self._drawer = drawer

    def kick(self, reason: str) -> None:
        """Kick the drawer open (device only, no database): cash_sale, float, no_sale, paid_in, paid_out ...
        Nothing to kick when this terminal has no drawer (``cash_drawer none``: a cash box)."""
        kick_drawer(self._drawer, reason)

    def open_session(self, actor: Actor, *, float_cents: int, kick: bool = True) -> DrawerDTO:
        if float_cents < 0:
            raise ValidationError("The float cannot be negative.")
        with self._uow.write(actor, Permission.SALE) as tx:
            try:
                current_session(tx)
            except ValidationError:
                pass
            else:
                raise ValidationError("This terminal's drawer is already open.")
            d = DrawerSession(status=DrawerStatus.OPEN, opened_by=actor.employee_id, float_cents=float_cents)
            tx.add(d)
            tx.audit("drawer.open", entity="drawer_session", entity_id=str(d.id), details={"float": float_cents})
            result = _dto(tx, d)
        if kick:
            kick_drawer(self._drawer, "float")
        return result

    def current(self, actor: Actor) -> DrawerDTO:
        with self._uow.write(actor) as tx:
            return _dto(tx, current_session(tx))

    def _event(self, actor: Actor, kind: DrawerEventKind, amount_cents: int, reason: str,
               permission: Permission, override: Override | None = None, kick: bool = True) -> DrawerDTO:
        reason = reason.strip()
        if not reason:
            raise ValidationError("Give a reason.")
        with self._uow.write(actor, permission, override=override) as tx:
            d = current_session(tx)
            if amount_cents < 0 and expected_cents(tx, d) + amount_cents < 0:
                raise ValidationError("The drawer does not hold that much cash.")
            tx.add(DrawerEvent(session_id=d.id, kind=kind, amount_cents=amount_cents, reason=reason[:200],
                               employee_id=actor.employee_id))
            tx.audit(f"drawer.{kind.value}", entity="drawer_session", entity_id=str(d.id),
                     details={"amount": amount_cents, "reason": reason[:200]})
            result = _dto(tx, d)
        if kick:
            kick_drawer(self._drawer, kind.value)
        return result

    def paid_in(self, actor: Actor, *, amount_cents: int, reason: str, kick: bool = True) -> DrawerDTO:
        if amount_cents <= 0:
            raise ValidationError("The amount must be more than zero.")
        return self._event(actor, DrawerEventKind.PAID_IN, amount_cents, reason, Permission.SALE, kick=kick)

    def paid_out(self, actor: Actor, *, amount_cents: int, reason: str, kick: bool = True) -> DrawerDTO:
        if amount_cents <= 0:
            raise ValidationError("The amount must be more than zero.")
        return self._event(actor, DrawerEventKind.PAID_OUT, -amount_cents, reason, Permission.SALE, kick=kick)

    def no_sale(self, actor: Actor, *, reason: str, override: Override | None = None,
                kick: bool = True) -> DrawerDTO:
        """Open the drawer without a sale: needs NO_SALE (a manager, or a rep with a manager's override)."""
        return self._event(actor, DrawerEventKind.NO_SALE, 0, reason, Permission.NO_SALE, override, kick=kick)

    def close(self, actor: Actor, *, counts: Mapping[int, int], variance_reason: str = "",
              override: Override | None = None) -> DrawerDTO:
        """Close by counting denominations ``{cents value: pieces}``; a variance needs a reason."""
        counted = counted_total(counts)
        with self._uow.write(actor, Permission.DRAWER_CLOSE, override=override) as tx:
            d = current_session(tx)
            expected = expected_cents(tx, d)
            variance = counted - expected
            if variance and not variance_reason.strip():
                raise ValidationError(f"Counted {counted} cents, expected {expected}: give a reason for the "
                                      "difference.")
            d.status, d.closed_by, d.closed_at = DrawerStatus.CLOSED, actor.employee_id, tx.now
            d.expected_cents, d.counted_cents, d.variance_cents = expected, counted, variance
            d.counts_json = json.dumps({str(k): v for k, v in sorted(counts.items(), reverse=True)})
            d.variance_reason = variance_reason.strip()[:200] or None
            tx.changed(d)
            tx.audit("drawer.close", entity="drawer_session", entity_id=str(d.id),
                     details={"expected": expected, "counted": counted, "variance": variance})
            return _dto(tx, d)
