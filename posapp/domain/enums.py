"""Closed vocabularies stored in the database (as their string values)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class AccountKind(StrEnum):
    CONSUMER = "consumer"
    BUSINESS = "business"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class MemberRole(StrEnum):
    """Account roles (DOMAIN.md, verification and account roles)."""

    PRIMARY = "primary"
    AUTHORIZED = "authorized"
    STANDARD = "standard"
    RESTRICTED = "restricted"
    NO_ACCESS = "no_access"
    MASTER = "master"  # business
    VIEW = "view"  # business
    NON_VIEW = "non_view"  # business


class LineStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class PlanKind(StrEnum):
    POSTPAID = "postpaid"
    PREPAID = "prepaid"


class DeviceStatus(StrEnum):
    IN_STOCK = "in_stock"
    RESERVED = "reserved"
    IN_USE = "in_use"
    LOST = "lost"
    STOLEN = "stolen"
    BLOCKED = "blocked"
    TRADED_IN = "traded_in"
    RETURNED = "returned"


class FinancingStatus(StrEnum):
    ACTIVE = "active"
    PAID_OFF = "paid_off"
    DUE_IN_FULL = "due_in_full"


class BillStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    PARTIAL = "partial"
    OVERDUE = "overdue"


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    BANK = "bank"
    STORE_CREDIT = "store_credit"
    AUTOPAY = "autopay"


class AutoPayMethod(StrEnum):
    BANK = "bank"
    DEBIT = "debit"
    CREDIT = "credit"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Disposition(StrEnum):
    RESOLVED = "resolved"
    FOLLOW_UP = "follow_up"
    ESCALATED = "escalated"


class OutboxOp(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


class VerificationMethod(StrEnum):
    PHOTO_ID = "photo_id"
    ACCOUNT_PIN = "account_pin"
    ONE_TIME_CODE = "one_time_code"


class VerificationLevel(StrEnum):
    """NONE: nothing private shown. VERIFIED: photo ID + (PIN or code). STEP_UP: photo ID + PIN + code."""

    NONE = "none"
    VERIFIED = "verified"
    STEP_UP = "step_up"


class PhotoIdType(StrEnum):
    DRIVERS_LICENSE = "drivers_license"
    STATE_ID = "state_id"
    PASSPORT = "passport"
    MILITARY_ID = "military_id"
    PERMANENT_RESIDENT_CARD = "permanent_resident_card"


class AlertKind(StrEnum):
    PLAN_USAGE = "plan_usage"
    BILL_READY = "bill_ready"
    PAYMENT_DUE = "payment_due"
