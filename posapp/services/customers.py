"""New customers: validation, the duplicate check, and opening the account (one transaction)."""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from posapp.db.models import Account, AccountMember, Customer
from posapp.domain.account_pin import check_account_pin
from posapp.domain.enums import AccountKind, AccountStatus, MemberRole
from posapp.domain.identifiers import normalize_phone, phone_digits
from posapp.errors import PosError, ValidationError
from posapp.security.permissions import Permission
from posapp.security.pins import hash_pin
from posapp.services.dto import Actor
from posapp.services.lookup import LookupHit, mask_account, mask_phone
from posapp.services.uow import UnitOfWork

log = logging.getLogger(__name__)
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
US_STATES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR",
))


@dataclass(frozen=True)
class CustomerDraft:
    first_name: str
    last_name: str
    phone: str
    email: str = ""
    address_line1: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    date_of_birth: date | None = None
    account_kind: str = "consumer"
    business_name: str = ""
    account_pin: str = field(default="", repr=False)


@dataclass(frozen=True)
class CleanDraft:
    first_name: str
    last_name: str
    phone_e164: str
    email: str | None
    address_line1: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    date_of_birth: date | None
    kind: AccountKind
    business_name: str | None
    account_pin: str = field(repr=False)


class DuplicateSuspected(PosError):
    def __init__(self, matches: list[LookupHit]) -> None:
        super().__init__(f"{len(matches)} existing customer(s) match this phone, e-mail or name; "
                         "open one of them or confirm this is a new customer.")
        self.matches = matches


@dataclass(frozen=True)
class CreatedCustomer:
    customer_id: uuid.UUID
    account_id: uuid.UUID
    account_number: str


def validate(d: CustomerDraft) -> CleanDraft:
    """Check every field; the message names the first problem. Nothing is written."""
    first, last = " ".join(d.first_name.split()), " ".join(d.last_name.split())
    if not first or not last:
        raise ValidationError("First and last name are required.")
    if len(first) > 60 or len(last) > 60:
        raise ValidationError("Names are at most 60 characters.")
    if not d.phone.strip():
        raise ValidationError("A contact phone number is required.")
    phone = normalize_phone(d.phone)
    email = d.email.strip().lower() or None
    if email and not _EMAIL.match(email):
        raise ValidationError(f"{d.email.strip()!r} is not an e-mail address.")
    state = d.state.strip().upper() or None
    if state and state not in US_STATES:
        raise ValidationError(f"{d.state!r} is not a US state code (like WA).")
    postal = d.postal_code.strip() or None
    if postal and not _ZIP.match(postal):
        raise ValidationError("The ZIP code is 5 digits (or ZIP+4).")
    address = " ".join(d.address_line1.split()) or None
    if (address or d.city.strip()) and not (address and d.city.strip() and state and postal):
        raise ValidationError("Give the whole address: street, city, state and ZIP.")
    if d.date_of_birth is not None and not (date(1900, 1, 1) <= d.date_of_birth <= datetime.now(UTC).date()):
        raise ValidationError("The date of birth is not plausible.")
    try:
        kind = AccountKind(d.account_kind)
    except ValueError:
        raise ValidationError("The account is consumer or business.") from None
    business = " ".join(d.business_name.split()) or None
    if kind is AccountKind.BUSINESS and not business:
        raise ValidationError("A business account needs the business name.")
    if d.account_pin:
        check_account_pin(d.account_pin, phone_numbers=[phone], date_of_birth=d.date_of_birth)
    return CleanDraft(first, last, phone, email, address, " ".join(d.city.split()) or None, state, postal,
                      d.date_of_birth, kind, business if kind is AccountKind.BUSINESS else None, d.account_pin)


class CustomerService:
    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    def find_duplicates(self, draft: CustomerDraft, *, limit: int = 10) -> list[LookupHit]:
        clean = validate(draft)
        conds = [Customer.phone_e164 == clean.phone_e164]
        if clean.email:
            conds.append(Customer.email == clean.email)
        if clean.postal_code:
            conds.append((func.lower(Customer.last_name) == clean.last_name.lower())
                         & (func.lower(Customer.first_name) == clean.first_name.lower())
                         & (Customer.postal_code == clean.postal_code))
        with self._uow.read() as s:
            rows = s.execute(select(Customer, AccountMember.role, Account)
                             .join(AccountMember, AccountMember.customer_id == Customer.id, isouter=True)
                             .join(Account, Account.id == AccountMember.account_id, isouter=True)
                             .where(or_(*conds)).limit(limit)).all()
            return [LookupHit(customer_key=c.id.hex, account_key=a.id.hex if a else None,
                              display_name=f"{c.first_name} {c.last_name}", masked_phone=mask_phone(c.phone_digits),
                              city=", ".join(p for p in (c.city, c.state) if p) or "—",
                              account_kind=a.kind.value if a else "—",
                              masked_account=mask_account(a.account_number if a else None),
                              role=role.value if role else "—",
                              matched_by=_why(c, clean)) for c, role, a in rows]

    def create(self, actor: Actor, draft: CustomerDraft, *, confirmed_new: bool = False) -> CreatedCustomer:
        """Create the customer and a new account with them as primary holder. Unless ``confirmed_new``, refuse
        with DuplicateSuspected (carrying the matches) when the phone, e-mail or name matches someone."""
        clean = validate(draft)
        self._uow.check(actor, Permission.CUSTOMER_EDIT)
        if not confirmed_new:
            matches = self.find_duplicates(draft)
            if matches:
                raise DuplicateSuspected(matches)
        pin = hash_pin(clean.account_pin) if clean.account_pin else None
        with self._uow.write(actor, Permission.CUSTOMER_EDIT) as tx:
            cust = Customer(first_name=clean.first_name, last_name=clean.last_name, email=clean.email,
                            phone_e164=clean.phone_e164, phone_digits=phone_digits(clean.phone_e164),
                            address_line1=clean.address_line1, city=clean.city, state=clean.state,
                            postal_code=clean.postal_code, date_of_birth=clean.date_of_birth,
                            address_changed_at=None)
            tx.add(cust)
            number = _new_account_number(tx.session)
            acct = Account(account_number=number, kind=clean.kind, business_name=clean.business_name,
                           status=AccountStatus.ACTIVE, pin_hash=pin[0] if pin else None,
                           pin_salt=pin[1] if pin else None, pin_params=pin[2] if pin else None, balance_cents=0,
                           opened_at=tx.now, failed_verifications=0)
            tx.add(acct)
            role = MemberRole.MASTER if clean.kind is AccountKind.BUSINESS else MemberRole.PRIMARY
            tx.add(AccountMember(account_id=acct.id, customer_id=cust.id, role=role))
            tx.audit("customer.create", entity="customer", entity_id=str(cust.id),
                     details={"account": mask_account(number), "duplicate_override": confirmed_new})
            log.info("customer %s created with account %s", cust.id, mask_account(number))
            return CreatedCustomer(cust.id, acct.id, number)


def _why(c: Customer, d: CleanDraft) -> str:
    if c.phone_e164 == d.phone_e164:
        return "same phone"
    if d.email and c.email == d.email:
        return "same e-mail"
    return "same name and ZIP"


def _new_account_number(session: Session) -> str:
    for _ in range(20):
        candidate = str(secrets.randbelow(900_000_000) + 100_000_000)
        if session.scalar(select(Account.id).where(Account.account_number == candidate)) is None:
            return candidate
    raise PosError("Could not allocate an account number; try again.")
