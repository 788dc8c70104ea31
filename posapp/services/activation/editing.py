"""One change to an activation: the employee's permission, the visit's right (audited refusal), then a write in
which the activation is reloaded, its status checked and the visit checked again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from posapp.db.models import Activation
from posapp.domain.activation import ActivationStatus
from posapp.errors import ValidationError
from posapp.security.permissions import Permission
from posapp.services.activation.access import gate, recheck
from posapp.services.activation.views import get_activation
from posapp.services.dto import Actor
from posapp.services.uow import Tx, UnitOfWork

DRAFT_ONLY = frozenset({ActivationStatus.DRAFT})


def refuse_status(act: Activation, allowed: frozenset[ActivationStatus]) -> None:
    if act.status in allowed:
        return
    if act.status is ActivationStatus.PENDING_PAYMENT:
        raise ValidationError(f"Activation {act.number} is in the cart; take it out of the sale (or void the sale) "
                              "to change it.")
    if act.status is ActivationStatus.CANCELLED:
        raise ValidationError(f"Activation {act.number} was cancelled.")
    if act.status is ActivationStatus.DRAFT:
        raise ValidationError(f"Activation {act.number} is not in a sale yet.")
    raise ValidationError(f"Activation {act.number} is paid; it can no longer change.")


@contextmanager
def editing(uow: UnitOfWork, actor: Actor, activation_id: uuid.UUID, *,
            allowed: frozenset[ActivationStatus] = DRAFT_ONLY,
            need_visit: bool = True) -> Iterator[tuple[Tx, Activation]]:
    """``need_visit=False``: no live visit needed (cancelling a draft left behind when the visit ended)."""
    uow.check(actor, Permission.ACTIVATION)
    with uow.read() as s:
        act = get_activation(s, activation_id)
        refuse_status(act, allowed)
        visit_id, kind = act.visit_id, act.kind
    if need_visit and visit_id is not None:
        gate(uow, actor, visit_id, kind)
    with uow.write(actor) as tx:
        act = get_activation(tx.session, activation_id)
        refuse_status(act, allowed)
        if need_visit and act.visit_id is not None:
            recheck(tx.session, act.visit_id, act.kind, tx.now)
        yield tx, act
