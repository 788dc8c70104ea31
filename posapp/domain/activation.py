"""Activation vocabulary (DOMAIN.md, activation and port-in): the kinds, the statuses and how they may move.

An activation is one order at the counter (a new account, an added line, an upgrade, a SIM change or a
bring-your-own-device line); each of its lines becomes one or more provisioning requests to the carrier once
the order is paid. Statuses are stored as their string values.
"""

from __future__ import annotations

from enum import StrEnum


class ActivationKind(StrEnum):
    NEW_ACCOUNT = "new_account"  # new account and its first line(s)
    ADD_LINE = "add_line"
    UPGRADE = "upgrade"  # new device on an existing line
    SIM_CHANGE = "sim_change"  # replacement / SIM swap, physical <-> eSIM
    BYOD = "byod"  # a new line on the customer's own device


class ActivationStatus(StrEnum):
    DRAFT = "draft"  # being built at the counter
    PENDING_PAYMENT = "pending_payment"  # its lines are in the register's cart
    QUEUED = "queued"  # paid: provisioning requests queued for the carrier
    COMPLETED = "completed"  # every line is active or failed
    CANCELLED = "cancelled"


class LineActivationStatus(StrEnum):
    DRAFT = "draft"
    PENDING_PAYMENT = "pending_payment"
    QUEUED = "queued"  # paid, request waiting in the outbound queue (offline: stays here, shown as pending)
    SUBMITTED = "submitted"  # the carrier has the request
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"  # carrier (or a sync collision) holds it; ``reason`` says why
    REJECTED = "rejected"  # port-in refused with a reason code: fix and resubmit
    ACTIVE = "active"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: Statuses in which a line is still waiting for someone (the rep, the customer or the carrier).
OPEN_LINE_STATUSES = frozenset({LineActivationStatus.DRAFT, LineActivationStatus.PENDING_PAYMENT,
                                LineActivationStatus.QUEUED, LineActivationStatus.SUBMITTED,
                                LineActivationStatus.IN_PROGRESS, LineActivationStatus.ON_HOLD,
                                LineActivationStatus.REJECTED})


class DeviceSource(StrEnum):
    STORE = "store"  # from this store's inventory, reserved in the cart
    OWN = "own"  # the customer's own device (BYOD)
    KEEP = "keep"  # the line keeps the device it has (SIM change)


class SimKind(StrEnum):
    PHYSICAL = "physical"
    ESIM = "esim"


class NumberSource(StrEnum):
    POOL = "pool"  # a number head office assigned to the store
    PORT_IN = "port_in"  # transferred from another carrier
    EXISTING = "existing"  # the line's own number (upgrade, SIM change)


class PortStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PoolStatus(StrEnum):
    AVAILABLE = "available"
    RESERVED = "reserved"  # picked for an activation line not yet active
    ASSIGNED = "assigned"  # the line is active with it
    WITHDRAWN = "withdrawn"  # head office took it back


class RequestStatus(StrEnum):
    """A provisioning request in the durable outbound queue."""

    QUEUED = "queued"  # waiting to be sent (or to be retried at ``next_attempt_at``)
    SENT = "sent"  # the carrier accepted it; waiting for its answer
    DONE = "done"  # a final answer arrived
    DEAD = "dead"  # given up after the retry limit; a person must look at it


class RequestAction(StrEnum):
    ACTIVATE = "activate"  # a new line (pool number)
    PORT_IN = "port_in"
    UPGRADE = "upgrade"  # device change on a line
    SIM_CHANGE = "sim_change"


class ProvisioningEventKind(StrEnum):
    """The carrier's answers and the queue's own steps, appended per line (synced as events)."""

    QUEUED = "queued"
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"
    ACTIVE = "active"
    FAILED = "failed"
    RETRY = "retry"  # a send failed (offline, timeout); tried again later
    HELD = "held"  # held locally (e.g. its pool number was also given at another terminal)


class PlanChangeStatus(StrEnum):
    APPLIED = "applied"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
