"""The durable outbound queue's sender: provisioning requests to the carrier and its answers back.

Split like the register's card flow so the DB worker never waits on the carrier: the DB steps (:meth:`due`,
:meth:`record_sent`, :meth:`record_answers`) read and commit; the *device* steps (:meth:`send`, :meth:`poll`,
:meth:`notify`) talk to the carrier and the SMS gateway and touch no database. ``run_once`` runs one pass of all
of them inline (the CLI, tests); the app's background worker runs the device steps on its own thread.

A request's id is the carrier's idempotency key: a retry (offline, timeout) sends the same id, so a line is never
activated twice. Offline, requests stay queued with a RETRY event and an exponential backoff; after
``max_attempts`` they are DEAD with the line still pending and a reason for a person — never shown as done.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from posapp.adapters.provisioning import Answer, CarrierProvisioning, CarrierTimeout, CarrierUnavailable
from posapp.adapters.sms import SmsGateway, SmsUnavailable
from posapp.adapters.unconfigured import DeviceNotConfigured
from posapp.db.models import ActivationLine, PortIn, ProvisioningEvent, ProvisioningRequest
from posapp.domain.activation import LineActivationStatus, PortStatus, ProvisioningEventKind, RequestStatus
from posapp.domain.enums import Role
from posapp.events import EsimCodeReady, LineStatusChanged
from posapp.security.secrets import SecretStoreUnavailable
from posapp.services.activation.answers import apply_answer
from posapp.services.activation.pins import TransferPins
from posapp.services.activation.queue_list import QueueLine, list_lines
from posapp.services.activation.work import (
    Due,
    Notice,
    PassReport,
    PollOutcome,
    Recorded,
    SendFailure,
    SendOutcome,
    SendWork,
)
from posapp.services.dto import Actor
from posapp.services.uow import Tx, UnitOfWork

log = logging.getLogger(__name__)

QUEUE_ACTOR = Actor(employee_id=None, number="QUEUE", name="provisioning queue", role=Role.ADMIN)
MAX_ATTEMPTS = 8
BACKOFF_BASE_S = 30.0
BACKOFF_CAP_S = 900.0
RESEND_HINT = "run posapp-admin activation send --retry-dead once the carrier link is back"


def backoff_delay(attempts: int, *, base_s: float = BACKOFF_BASE_S, cap_s: float = BACKOFF_CAP_S) -> timedelta:
    """The wait before the next try after ``attempts`` failed tries: base, 2×base, 4×base, ..., at most cap."""
    return timedelta(seconds=min(cap_s, base_s * 2 ** max(0, min(attempts - 1, 30))))


class ProvisioningService:
    def __init__(self, *, uow: UnitOfWork, carrier: CarrierProvisioning, sms: SmsGateway, pins: TransferPins,
                 max_attempts: int = MAX_ATTEMPTS, backoff_base_s: float = BACKOFF_BASE_S,
                 backoff_cap_s: float = BACKOFF_CAP_S) -> None:
        self._uow = uow
        self.carrier = carrier
        self._sms = sms
        self._pins = pins
        self.max_attempts = max_attempts
        self._base_s = backoff_base_s
        self._cap_s = backoff_cap_s

    # -- DB steps -------------------------------------------------------------------------------------------
    def due(self, limit: int = 50, *, now: datetime | None = None) -> Due:
        """Queued requests whose time has come and whose line is queued (a line held here is not sent), and the
        sent ones waiting for an answer."""
        at = now or datetime.now(UTC)
        with self._uow.read() as s:
            rows = s.scalars(
                select(ProvisioningRequest)
                .join(ActivationLine, ActivationLine.id == ProvisioningRequest.activation_line_id)
                .where(ProvisioningRequest.status == RequestStatus.QUEUED, ProvisioningRequest.next_attempt_at <= at,
                       ActivationLine.status == LineActivationStatus.QUEUED)
                .order_by(ProvisioningRequest.next_attempt_at).limit(limit)).all()
            send = tuple(self._work(r) for r in rows)
            poll = tuple(s.scalars(select(ProvisioningRequest.id).where(
                ProvisioningRequest.status == RequestStatus.SENT).order_by(ProvisioningRequest.sent_at).limit(limit)))
        return Due(send=send, poll=poll)

    @staticmethod
    def _work(r: ProvisioningRequest) -> SendWork:
        payload = json.loads(r.payload)
        port = payload.get("port_in_id")
        return SendWork(request_id=r.id, activation_line_id=r.activation_line_id, action=r.action, payload=payload,
                        port_in_id=uuid.UUID(port) if port else None, attempts=r.attempts)

    def record_sent(self, work: SendWork, outcome: SendOutcome) -> Recorded:
        drop: uuid.UUID | None = None
        with self._uow.write(QUEUE_ACTOR) as tx:
            request = tx.session.get(ProvisioningRequest, work.request_id)
            line = tx.session.get(ActivationLine, work.activation_line_id)
            if request is None or line is None or request.status is not RequestStatus.QUEUED:
                return Recorded()
            request.attempts += 1
            held = line.status is not LineActivationStatus.QUEUED  # held here (e.g. by sync) while it was sent
            if outcome.ack is not None:
                request.status, request.sent_at = RequestStatus.SENT, tx.now
                request.carrier_ref, request.last_error = outcome.ack.carrier_ref, None
                if not held:
                    line.status, line.reason = LineActivationStatus.SUBMITTED, None
                kind, reason = ProvisioningEventKind.SUBMITTED, (
                    "The carrier already had it (same request id)." if outcome.ack.duplicate else None)
                drop = self._port_submitted(tx, line)
            else:
                kind, reason = ProvisioningEventKind.RETRY, self._failed_try(request, line, outcome, tx.now,
                                                                             keep_reason=held)
            tx.changed(request)
            tx.changed(line)
            tx.add(ProvisioningEvent(activation_line_id=line.id, request_id=request.id, kind=kind,
                                     reason_code=outcome.failure.value.upper() if outcome.failure else None,
                                     reason=reason, at=tx.now))
            change = LineStatusChanged(line.activation_id, line.id, line.status.value, line.reason)
        if drop is not None:
            self._drop_pin(drop)
        self._publish(Recorded(changes=(change,)))
        return Recorded(changes=(change,))

    @staticmethod
    def _port_submitted(tx: Tx, line: ActivationLine) -> uuid.UUID | None:
        """The carrier accepted the port: the PIN is no longer held (dropped from the keyring after the commit)."""
        port = tx.session.scalar(select(PortIn).where(PortIn.activation_line_id == line.id))
        if port is None:
            return None
        port.status, port.submitted_at, port.pin_held = PortStatus.SUBMITTED, tx.now, False
        tx.changed(port)
        return port.id

    def _failed_try(self, request: ProvisioningRequest, line: ActivationLine, outcome: SendOutcome,
                    now: datetime, *, keep_reason: bool) -> str:
        """Count the failed try: backoff, or DEAD after the limit. The line stays pending (queued) with a reason,
        unless it is held here for another reason, which it keeps."""
        error = outcome.error or "The carrier could not be reached."
        request.last_error = error[:200]
        if request.attempts >= self.max_attempts:
            request.status = RequestStatus.DEAD
            reason = (f"Not sent after {request.attempts} tries ({error.rstrip('.')}). Still pending with the "
                      f"carrier: {RESEND_HINT}.")
            event = f"Gave up after {request.attempts} tries: {error}"
        else:
            request.next_attempt_at = now + backoff_delay(request.attempts, base_s=self._base_s, cap_s=self._cap_s)
            reason = f"Pending: {error.rstrip('.')}; trying again at {request.next_attempt_at:%H:%M} UTC."
            event = error
        if not keep_reason:
            line.reason = reason[:200]
        return event[:200]

    def _drop_pin(self, port_in_id: uuid.UUID) -> None:
        try:
            self._pins.drop(port_in_id)
        except SecretStoreUnavailable:
            log.warning("could not drop a transfer PIN from the keyring (port %s): keyring unavailable", port_in_id)

    def record_answers(self, answers: Iterable[Answer]) -> Recorded:
        """Each answer in its own transaction; the events are published after each commit."""
        changes: list[LineStatusChanged] = []
        codes: list[EsimCodeReady] = []
        notices: list[Notice] = []
        for answer in answers:
            with self._uow.write(QUEUE_ACTOR) as tx:
                applied = apply_answer(tx, answer)
            step = Recorded(changes=(applied.change,) if applied.change else (),
                            codes=(applied.code,) if applied.code else ())
            self._publish(step)
            changes += step.changes
            codes += step.codes
            notices += [applied.notice] if applied.notice else []
        return Recorded(changes=tuple(changes), codes=tuple(codes), notices=tuple(notices))

    def requeue_dead(self) -> int:
        """Give the DEAD requests a new round of tries (a person fixed the link); returns how many."""
        with self._uow.write(QUEUE_ACTOR) as tx:
            dead = tx.session.scalars(select(ProvisioningRequest).where(
                ProvisioningRequest.status == RequestStatus.DEAD)).all()
            for request in dead:
                request.status, request.attempts, request.next_attempt_at = RequestStatus.QUEUED, 0, tx.now
                tx.changed(request)
                tx.add(ProvisioningEvent(activation_line_id=request.activation_line_id, request_id=request.id,
                                         kind=ProvisioningEventKind.RETRY, reason="Queued again by hand.",
                                         at=tx.now))
        return len(dead)

    def counts(self) -> tuple[int, int]:
        """(queued, awaiting an answer) requests right now."""
        with self._uow.read() as s:
            rows = dict(s.execute(select(ProvisioningRequest.status, func.count()).where(
                ProvisioningRequest.status.in_((RequestStatus.QUEUED, RequestStatus.SENT)))
                .group_by(ProvisioningRequest.status)).all())
        return rows.get(RequestStatus.QUEUED, 0), rows.get(RequestStatus.SENT, 0)

    def lines(self, status: LineActivationStatus | None = None) -> list[QueueLine]:
        return list_lines(self._uow, status)

    def _publish(self, recorded: Recorded) -> None:
        events: list[LineStatusChanged | EsimCodeReady] = [*recorded.changes, *recorded.codes]
        for event in events:
            self._uow.core.events.publish(event)

    # -- device steps (no database) -------------------------------------------------------------------------
    def send(self, work: SendWork) -> SendOutcome:
        pin: str | None = None
        try:
            if work.port_in_id is not None:
                pin = self._pins.read(work.port_in_id)
        except SecretStoreUnavailable:
            return SendOutcome(failure=SendFailure.LOCAL, error="The OS keyring is not available (transfer PIN).")
        try:
            ack = self.carrier.submit(str(work.request_id), work.action.value, work.payload, pin)
        except CarrierUnavailable:
            return SendOutcome(failure=SendFailure.UNAVAILABLE, error="The carrier could not be reached.")
        except CarrierTimeout:
            return SendOutcome(failure=SendFailure.TIMEOUT,
                               error="The carrier did not answer in time; sent again with the same request id.")
        except DeviceNotConfigured:
            return SendOutcome(failure=SendFailure.UNAVAILABLE,
                               error="No carrier provisioning link is configured on this terminal.")
        return SendOutcome(ack=ack)

    def poll(self, request_ids: Sequence[uuid.UUID]) -> PollOutcome:
        if not request_ids:
            return PollOutcome()
        try:
            return PollOutcome(answers=tuple(self.carrier.poll([str(r) for r in request_ids])))
        except (CarrierUnavailable, CarrierTimeout, DeviceNotConfigured):
            return PollOutcome(error="The carrier could not be reached for answers.")

    def notify(self, notices: Iterable[Notice]) -> int:
        """Send the customers' texts; returns how many went out (a failure is logged, without the text)."""
        sent = 0
        for notice in notices:
            try:
                self._sms.send(notice.to_e164, notice.text)
                sent += 1
            except (SmsUnavailable, DeviceNotConfigured) as exc:
                log.warning("activation text not sent: %s", type(exc).__name__)
        return sent

    # -- one pass -------------------------------------------------------------------------------------------
    def run_once(self, *, limit: int = 50, now: datetime | None = None) -> PassReport:
        due = self.due(limit, now=now)
        sent = duplicates = retried = dead = 0
        offline = False
        acked: list[uuid.UUID] = []
        for work in due.send:
            outcome = self.send(work)
            self.record_sent(work, outcome)
            if outcome.ack is not None:
                sent += 1
                duplicates += outcome.ack.duplicate
                acked.append(work.request_id)
            else:
                offline = offline or outcome.failure is not SendFailure.LOCAL
                dead += work.attempts + 1 >= self.max_attempts
                retried += work.attempts + 1 < self.max_attempts
        polled = self.poll([*due.poll, *acked])
        recorded = self.record_answers(polled.answers)
        self.notify(recorded.notices)
        queued, awaiting = self.counts()
        return PassReport(sent=sent, duplicates=duplicates, retried=retried, dead=dead,
                          answered=len(recorded.changes), offline=offline or polled.error is not None,
                          queued=queued, awaiting=awaiting)
