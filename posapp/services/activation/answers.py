"""Recording one carrier answer for a sent request (inside one transaction): the line's status and reason, the
port's, an append-only ``ProvisioningEvent``, the customer's records on ACTIVE (:mod:`.effects`) and the
activation COMPLETED once every line is final."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from posapp.adapters.provisioning import Answer, AnswerStatus
from posapp.db.models import Activation, ActivationLine, PoolNumber, PortIn, ProvisioningEvent, ProvisioningRequest
from posapp.domain.activation import (
    OPEN_LINE_STATUSES,
    ActivationStatus,
    LineActivationStatus,
    PoolStatus,
    PortStatus,
    ProvisioningEventKind,
    RequestStatus,
)
from posapp.events import EsimCodeReady, LineStatusChanged
from posapp.services.activation.effects import RecordsProblem, apply_active
from posapp.services.activation.esim import mask_activation_code
from posapp.services.activation.work import Notice
from posapp.services.uow import Tx

_LINE = {AnswerStatus.IN_PROGRESS: LineActivationStatus.IN_PROGRESS, AnswerStatus.ON_HOLD: LineActivationStatus.ON_HOLD,
         AnswerStatus.REJECTED: LineActivationStatus.REJECTED, AnswerStatus.ACTIVE: LineActivationStatus.ACTIVE,
         AnswerStatus.FAILED: LineActivationStatus.FAILED}
_PORT = {AnswerStatus.IN_PROGRESS: PortStatus.IN_PROGRESS, AnswerStatus.ON_HOLD: PortStatus.ON_HOLD,
         AnswerStatus.REJECTED: PortStatus.REJECTED}
_FINAL = frozenset({AnswerStatus.REJECTED, AnswerStatus.ACTIVE, AnswerStatus.FAILED})


@dataclass(frozen=True)
class Applied:
    change: LineStatusChanged | None = None
    code: EsimCodeReady | None = None
    notice: Notice | None = None


def apply_answer(tx: Tx, answer: Answer) -> Applied:
    request = tx.session.get(ProvisioningRequest, uuid.UUID(answer.request_id))
    if request is None or request.status is not RequestStatus.SENT:
        return Applied()  # unknown here, or already final: nothing to do
    al = tx.session.get(ActivationLine, request.activation_line_id)
    activation = tx.session.get(Activation, al.activation_id) if al is not None else None
    assert al is not None and activation is not None
    if answer.status is AnswerStatus.UNKNOWN:
        return _resend(tx, request, al, activation)
    status = _LINE[answer.status]
    if status is al.status and (answer.reason or None) == al.reason:
        return Applied()  # the same answer again
    reason = answer.reason
    code: EsimCodeReady | None = None
    notice: Notice | None = None
    if answer.status is AnswerStatus.ACTIVE:
        try:
            notice = apply_active(tx, al, activation, request.action, json.loads(request.payload))
        except RecordsProblem as exc:
            return _held(tx, request, al, activation, str(exc))
        al.activated_at = tx.now
        if answer.esim_code:
            masked = mask_activation_code(answer.esim_code)
            al.esim_code_masked = masked
            code = EsimCodeReady(activation_line_id=al.id, code=answer.esim_code, masked=masked)
    elif answer.status is AnswerStatus.FAILED:
        _release_pool_number(tx, al)
    al.status, al.reason = status, reason
    tx.changed(al)
    _update_port(tx, al, answer)
    if answer.status in _FINAL:
        request.status, request.answered_at = RequestStatus.DONE, tx.now
        tx.changed(request)
    tx.add(ProvisioningEvent(activation_line_id=al.id, request_id=request.id, kind=ProvisioningEventKind(status.value),
                             reason_code=answer.reason_code, reason=reason, at=tx.now))
    _complete_if_final(tx, activation)
    if status is LineActivationStatus.ACTIVE:
        tx.audit("activation.line_active", entity="activation_line", entity_id=str(al.id),
                 details={"activation": activation.number, "line_no": al.line_no, "action": request.action.value,
                          "number": f"•••{(al.msisdn or '')[-4:]}", "esim": code is not None})
    return Applied(LineStatusChanged(activation.id, al.id, status.value, reason), code, notice)


def _resend(tx: Tx, request: ProvisioningRequest, al: ActivationLine, activation: Activation) -> Applied:
    """The carrier has no such request (e.g. it lost it): queue it again under the same id."""
    request.status, request.next_attempt_at = RequestStatus.QUEUED, tx.now
    tx.changed(request)
    al.status, al.reason = LineActivationStatus.QUEUED, None
    tx.changed(al)
    tx.add(ProvisioningEvent(activation_line_id=al.id, request_id=request.id, kind=ProvisioningEventKind.RETRY,
                             reason_code="UNKNOWN_REQUEST", reason="The carrier did not have the request; sent again.",
                             at=tx.now))
    return Applied(LineStatusChanged(activation.id, al.id, al.status.value, None))


def _held(tx: Tx, request: ProvisioningRequest, al: ActivationLine, activation: Activation,
          reason: str) -> Applied:
    request.status, request.answered_at, request.last_error = RequestStatus.DONE, tx.now, reason[:200]
    tx.changed(request)
    al.status, al.reason = LineActivationStatus.ON_HOLD, reason
    tx.changed(al)
    tx.add(ProvisioningEvent(activation_line_id=al.id, request_id=request.id, kind=ProvisioningEventKind.HELD,
                             reason=reason, at=tx.now))
    return Applied(LineStatusChanged(activation.id, al.id, al.status.value, reason))


def _update_port(tx: Tx, al: ActivationLine, answer: Answer) -> None:
    new = _PORT.get(answer.status)
    if new is None:
        return
    port = tx.session.scalar(select(PortIn).where(PortIn.activation_line_id == al.id))
    if port is not None:
        port.status, port.reason_code, port.reason = new, answer.reason_code, answer.reason
        tx.changed(port)


def _release_pool_number(tx: Tx, al: ActivationLine) -> None:
    pool = tx.session.scalar(select(PoolNumber).where(PoolNumber.reserved_by_line_id == al.id,
                                                      PoolNumber.status == PoolStatus.RESERVED))
    if pool is not None:
        pool.status, pool.reserved_by_line_id, pool.reserved_at = PoolStatus.AVAILABLE, None, None
        tx.changed(pool)


def _complete_if_final(tx: Tx, activation: Activation) -> None:
    statuses = tx.session.scalars(select(ActivationLine.status).where(ActivationLine.activation_id == activation.id))
    if activation.status is ActivationStatus.QUEUED and not any(s in OPEN_LINE_STATUSES for s in statuses):
        activation.status, activation.completed_at = ActivationStatus.COMPLETED, tx.now
        tx.changed(activation)
