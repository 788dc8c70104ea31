"""Visits and customer verification: photo ID, account PIN, one-time code by SMS (DOMAIN.md, CPNI rules).

Every attempt is recorded and audited; failures count on the account and lock further tries for a while.
Neither the PIN nor the code is ever stored in clear, logged or put in an audit entry.
"""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.adapters.sms import SmsGateway, SmsUnavailable
from posapp.db.models import (
    Account,
    AccountMember,
    Customer,
    Interaction,
    Line,
    OneTimeCode,
    VerificationAttempt,
    Visit,
)
from posapp.domain.account_rules import level_for, pin_counts
from posapp.domain.enums import LineStatus, PhotoIdType, VerificationLevel, VerificationMethod
from posapp.errors import NotFoundError, PosError, ValidationError
from posapp.security.permissions import Permission
from posapp.security.pins import DEFAULT_PARAMS, hash_pin, verify_pin
from posapp.services.dto import Actor
from posapp.services.interactions import open_case
from posapp.services.uow import Tx, UnitOfWork

log = logging.getLogger(__name__)
CODE_VALID_FOR = timedelta(minutes=30)
CODE_MAX_ATTEMPTS = 5
CODE_PARAMS = "scrypt:4096:8:1"
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=30)
_DIGITS = re.compile(r"\d{4,}")
CODE_TEXT = ("Your store verification code is {code}. It expires in 30 minutes. Never share it with anyone who "
             "calls you.")
LOCKED_MESSAGE = ("Verification on this account is locked after repeated failures; try again later or escalate "
                  "to a manager.")


class VerificationLocked(PosError):
    """Too many failed verification attempts on this account."""


@dataclass(frozen=True)
class VisitDTO:
    id: uuid.UUID
    account_id: uuid.UUID
    customer_id: uuid.UUID
    case_number: str
    level: VerificationLevel
    photo_id_type: str | None
    pin_verified: bool
    code_verified: bool
    pin_counts: bool
    failures: int
    locked_until: datetime | None
    started_at: datetime
    ended: bool
    case_id: uuid.UUID | None = None  # the visit's case (notes and the closing disposition go there)


@dataclass(frozen=True)
class CodeSent:
    masked_msisdn: str
    expires_at: datetime
    gateway_label: str
    message_id: str | None  # the gateway's id; a simulator's test controls can show that message to the rep


@dataclass(frozen=True)
class PendingCode:
    """A code committed (hashed) and waiting to be sent. ``text`` holds the code in clear: it lives in memory
    between the steps only, is never stored, logged or shown by ``repr``."""

    otp_id: uuid.UUID
    visit_id: uuid.UUID
    masked_msisdn: str
    expires_at: datetime
    to_e164: str = field(repr=False)
    text: str = field(repr=False)


@dataclass(frozen=True)
class Delivery:
    """What the gateway answered: its message id, or why it could not take the message."""

    message_id: str | None = None
    error: str | None = None


class VerificationService:
    def __init__(self, *, uow: UnitOfWork, sms: SmsGateway) -> None:
        self._uow = uow
        self._sms = sms

    # -- visit ------------------------------------------------------------------------------------------
    def start_visit(self, actor: Actor, *, account_id: uuid.UUID, customer_id: uuid.UUID,
                    reason: str = "Counter visit") -> VisitDTO:
        """Open a visit and its case for the customer standing at the counter. Nothing private is returned."""
        with self._uow.write(actor, Permission.CUSTOMER_VERIFY) as tx:
            acct = tx.session.get(Account, account_id)
            member = tx.session.scalar(select(AccountMember).where(
                AccountMember.account_id == account_id, AccountMember.customer_id == customer_id))
            if acct is None or member is None:
                raise NotFoundError("That customer is not on that account.")
            case = open_case(tx, account_id=account_id, customer_id=customer_id, reason=reason)
            visit = Visit(account_id=account_id, customer_id=customer_id, employee_id=actor.employee_id,
                          interaction_id=case.id, started_at=tx.now, level=VerificationLevel.NONE)
            tx.add(visit)
            tx.audit("visit.start", entity="visit", entity_id=str(visit.id),
                     details={"account": str(account_id), "case": case.case_number})
            log.info("visit %s started, case %s", visit.id, case.case_number)
            return self._dto(tx, visit, acct, case.case_number)

    def get(self, visit_id: uuid.UUID) -> VisitDTO:
        with self._uow.read() as s:
            visit, acct, case_number = self._load(s, visit_id)
            return self._dto_read(s, visit, acct, case_number)

    def end_visit(self, actor: Actor, visit_id: uuid.UUID) -> None:
        with self._uow.write(actor, Permission.CUSTOMER_VERIFY) as tx:
            visit, _, _ = self._load(tx.session, visit_id)
            if visit.ended_at is None:
                visit.ended_at = tx.now
                tx.changed(visit, fields={"ended_at": tx.now})
                tx.audit("visit.end", entity="visit", entity_id=str(visit.id))

    # -- methods ----------------------------------------------------------------------------------------
    def record_photo_id(self, actor: Actor, visit_id: uuid.UUID, *, id_type: PhotoIdType | str,
                        matched: bool) -> VisitDTO:
        """The rep checked a photo ID against the account. Only the ID type and the outcome are kept."""
        try:
            id_type = PhotoIdType(id_type)
        except ValueError:
            raise ValidationError(f"Unknown photo ID type {id_type!r}.") from None
        return self._attempt(actor, visit_id, VerificationMethod.PHOTO_ID, matched,
                             "ID matched the account" if matched else "ID did not match the account",
                             photo_id_type=id_type)

    def check_pin(self, actor: Actor, visit_id: uuid.UUID, pin: str) -> VisitDTO:
        pin = pin.strip()
        if not pin.isdigit() or not 4 <= len(pin) <= 15:
            raise ValidationError("The account PIN is 6 to 15 digits.")
        with self._uow.read() as s:
            _, acct, _ = self._load(s, visit_id)
            stored = (acct.pin_hash, acct.pin_salt, acct.pin_params or DEFAULT_PARAMS)
        ok = stored[0] is not None and stored[1] is not None and verify_pin(
            pin, pin_hash=stored[0], salt=stored[1], params=stored[2])
        reason = "PIN matched" if ok else ("no PIN on the account" if stored[0] is None else "wrong PIN")
        return self._attempt(actor, visit_id, VerificationMethod.ACCOUNT_PIN, ok, reason)

    # -- one-time code: three steps, so the DB worker never waits for the SMS gateway --------------------------
    def prepare_code(self, actor: Actor, visit_id: uuid.UUID, *, line_id: uuid.UUID) -> PendingCode:
        """Step 1 (DB worker): commit the code's hash and its pending send record (``sms_message_id`` NULL)."""
        if not self._sms.configured:
            raise ValidationError(f"{self._sms.label}: verify with a photo ID or the account PIN.")
        code = f"{secrets.randbelow(1_000_000):06d}"
        digest, salt, params = hash_pin(code, params=CODE_PARAMS)
        with self._uow.write(actor, Permission.CUSTOMER_VERIFY) as tx:
            visit, acct, _ = self._load(tx.session, visit_id)
            self._refuse_if_locked(tx, visit, acct)
            line = tx.session.get(Line, line_id)
            if line is None or line.account_id != acct.id or line.status is not LineStatus.ACTIVE:
                raise ValidationError("Send the code to an active line on this account.")
            otp = OneTimeCode(visit_id=visit.id, account_id=acct.id, line_id=line.id, code_hash=digest,
                              code_salt=salt, code_params=params, expires_at=tx.now + CODE_VALID_FOR, attempts=0)
            tx.add(otp)
            tx.audit("verify.code_pending", entity="visit", entity_id=str(visit.id),
                     details={"line": line.msisdn[-4:]})
            return PendingCode(otp_id=otp.id, visit_id=visit.id, masked_msisdn=f"•••-•••-{line.msisdn[-4:]}",
                               expires_at=otp.expires_at, to_e164=line.msisdn, text=CODE_TEXT.format(code=code))

    def deliver(self, pending: PendingCode) -> Delivery:
        """Step 2 (device worker, no database): hand the text to the gateway; a refusal is an outcome."""
        try:
            return Delivery(message_id=self._sms.send(pending.to_e164, pending.text))
        except (SmsUnavailable, PosError) as exc:  # a gateway may echo the message: never keep a digit run
            return Delivery(error=_DIGITS.sub("•••", str(exc) or type(exc).__name__)[:200])

    def record_delivery(self, actor: Actor, pending: PendingCode, delivery: Delivery) -> CodeSent:
        """Step 3 (DB worker): keep the gateway's message id, or void the code and raise the failure."""
        with self._uow.write(actor, Permission.CUSTOMER_VERIFY) as tx:
            otp = tx.session.get(OneTimeCode, pending.otp_id)
            if otp is None:
                raise NotFoundError("No such code.")
            gateway = "simulator" if self._sms.is_simulator else "sms"
            if delivery.message_id is None:
                otp.expires_at = tx.now  # never reached the customer: it can never be checked successfully
                tx.changed(otp, fields={"expires_at": otp.expires_at})
                tx.audit("verify.code_send_failed", entity="visit", entity_id=str(pending.visit_id),
                         details={"line": pending.to_e164[-4:], "gateway": gateway, "error": delivery.error})
                failed = PosError(f"The code could not be sent: {delivery.error}")
            else:
                otp.sms_message_id = delivery.message_id
                tx.changed(otp, fields={"sms_message_id": otp.sms_message_id})
                tx.audit("verify.code_sent", entity="visit", entity_id=str(pending.visit_id),
                         details={"line": pending.to_e164[-4:], "gateway": gateway})
                failed = None
        if failed is not None:
            raise failed
        return CodeSent(masked_msisdn=pending.masked_msisdn, expires_at=pending.expires_at,
                        gateway_label=self._sms.label, message_id=delivery.message_id)

    def send_code(self, actor: Actor, visit_id: uuid.UUID, *, line_id: uuid.UUID) -> CodeSent:
        """The three steps in a row, on the caller's thread (the CLI and tests; the UI runs them on its workers)."""
        pending = self.prepare_code(actor, visit_id, line_id=line_id)
        return self.record_delivery(actor, pending, self.deliver(pending))

    def check_code(self, actor: Actor, visit_id: uuid.UUID, code: str) -> VisitDTO:
        code = code.strip()
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError("The code is 6 digits.")
        with self._uow.read() as s:
            otp = s.scalars(select(OneTimeCode).where(OneTimeCode.visit_id == visit_id, OneTimeCode.used_at.is_(None))
                            .order_by(OneTimeCode.created_at.desc())).first()
            if otp is None:
                raise ValidationError("No code is waiting: send a code first.")
            otp_id, stored = otp.id, (otp.code_hash, otp.code_salt, otp.code_params)
        ok = verify_pin(code, pin_hash=stored[0], salt=stored[1], params=stored[2])
        return self._attempt(actor, visit_id, VerificationMethod.ONE_TIME_CODE, ok,
                             "code matched" if ok else "wrong code", otp_id=otp_id)

    # -- internals --------------------------------------------------------------------------------------
    def _attempt(self, actor: Actor, visit_id: uuid.UUID, method: VerificationMethod, ok: bool, reason: str, *,
                 photo_id_type: PhotoIdType | None = None, otp_id: uuid.UUID | None = None) -> VisitDTO:
        failure: PosError | None = None
        with self._uow.write(actor, Permission.CUSTOMER_VERIFY) as tx:
            visit, acct, case_number = self._load(tx.session, visit_id)
            if visit.ended_at is not None:
                raise ValidationError("This visit has ended; start a new one.")
            if acct.verification_locked_until is not None and acct.verification_locked_until > tx.now:
                tx.audit(f"verify.{method.value}.refused", entity="visit", entity_id=str(visit.id),
                         details={"reason": "verification locked"})
                failure = VerificationLocked(LOCKED_MESSAGE)
                ok = False
            elif otp_id is not None:
                otp = tx.session.get(OneTimeCode, otp_id)
                assert otp is not None
                if otp.expires_at <= tx.now:
                    ok, reason = False, "code expired"
                elif otp.attempts >= CODE_MAX_ATTEMPTS:
                    ok, reason = False, "too many tries for this code"
                otp.attempts += 1
                if ok:
                    otp.used_at = tx.now
                tx.changed(otp, fields={"attempts": otp.attempts, "used_at": otp.used_at})
            if failure is None:
                self._record(tx, visit, acct, method, ok, reason, photo_id_type)
                if not ok:
                    failure = self._count_failure(tx, acct, reason)
            result = self._dto(tx, visit, acct, case_number)
        log.info("visit %s: %s %s (level %s)", visit_id, method.value, "ok" if ok else "failed", result.level.value)
        if failure is not None:
            raise failure
        return result

    def _record(self, tx: Tx, visit: Visit, acct: Account, method: VerificationMethod, ok: bool, reason: str,
                photo_id_type: PhotoIdType | None) -> None:
        tx.add(VerificationAttempt(visit_id=visit.id, account_id=acct.id, employee_id=tx.actor.employee_id,
                                   method=method, success=ok, reason=reason))
        if ok:
            if method is VerificationMethod.PHOTO_ID:
                visit.photo_id_type, visit.photo_id_at = photo_id_type, tx.now
            elif method is VerificationMethod.ACCOUNT_PIN:
                visit.pin_verified_at = tx.now
            else:
                visit.code_verified_at = tx.now
            visit.level = self._level(tx, visit, acct)
            tx.changed(visit)
            if acct.failed_verifications:
                acct.failed_verifications = 0
                tx.changed(acct, fields={"failed_verifications": 0})
        tx.audit(f"verify.{method.value}.{'ok' if ok else 'failed'}", entity="visit", entity_id=str(visit.id),
                 details={"reason": reason, "level": visit.level.value,
                          **({"id_type": photo_id_type.value} if photo_id_type else {})})

    @staticmethod
    def _count_failure(tx: Tx, acct: Account, reason: str) -> PosError:
        acct.failed_verifications += 1
        fields: dict[str, object] = {"failed_verifications": acct.failed_verifications}
        if acct.failed_verifications >= MAX_FAILURES:
            acct.verification_locked_until = tx.now + LOCK_FOR
            fields["verification_locked_until"] = acct.verification_locked_until
            tx.changed(acct, fields=fields)
            return VerificationLocked("Too many failed attempts: verification on this account is locked for "
                                      f"{int(LOCK_FOR.total_seconds() // 60)} minutes.")
        tx.changed(acct, fields=fields)
        return ValidationError(f"Verification failed: {reason}. {MAX_FAILURES - acct.failed_verifications} "
                               "tries left.")

    def _refuse_if_locked(self, tx: Tx, visit: Visit, acct: Account) -> None:
        if acct.verification_locked_until is not None and acct.verification_locked_until > tx.now:
            raise VerificationLocked(LOCKED_MESSAGE)

    def _level(self, tx: Tx, visit: Visit, acct: Account) -> VerificationLevel:
        cust = tx.session.get(Customer, visit.customer_id)
        counts = pin_counts(opened_at=acct.opened_at, address_changed_at=cust.address_changed_at if cust else None,
                            now=tx.now)
        return level_for(photo_id=visit.photo_id_at is not None, pin=visit.pin_verified_at is not None,
                         code=visit.code_verified_at is not None, pin_counts=counts)

    @staticmethod
    def _load(session: Session, visit_id: uuid.UUID) -> tuple[Visit, Account, str]:
        visit = session.get(Visit, visit_id)
        if visit is None:
            raise NotFoundError("No such visit.")
        acct = session.get(Account, visit.account_id)
        assert acct is not None
        case = session.get(Interaction, visit.interaction_id) if visit.interaction_id else None
        return visit, acct, case.case_number if case else ""

    def _dto(self, tx: Tx, visit: Visit, acct: Account, case_number: str) -> VisitDTO:
        return self._dto_read(tx.session, visit, acct, case_number)

    @staticmethod
    def _dto_read(session: Session, visit: Visit, acct: Account, case_number: str) -> VisitDTO:
        cust = session.get(Customer, visit.customer_id)
        now = datetime.now(UTC)
        locked = acct.verification_locked_until if acct.verification_locked_until and \
            acct.verification_locked_until > now else None
        return VisitDTO(
            id=visit.id, account_id=visit.account_id, customer_id=visit.customer_id, case_number=case_number,
            level=visit.level, photo_id_type=visit.photo_id_type.value if visit.photo_id_type else None,
            pin_verified=visit.pin_verified_at is not None, code_verified=visit.code_verified_at is not None,
            pin_counts=pin_counts(opened_at=acct.opened_at,
                                  address_changed_at=cust.address_changed_at if cust else None, now=now),
            failures=acct.failed_verifications, locked_until=locked, started_at=visit.started_at,
            ended=visit.ended_at is not None, case_id=visit.interaction_id)
