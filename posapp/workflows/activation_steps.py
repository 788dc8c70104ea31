"""The F4 page's steps: which kinds of activation have which steps, and when a line has what a step asks for.

Part of :mod:`posapp.workflows.activation` (its state object re-exports every name here).
"""

from __future__ import annotations

from enum import StrEnum

from posapp.domain.activation import ActivationKind, DeviceSource, LineActivationStatus, NumberSource
from posapp.services.activation.dto import LineDTO


class ActivationStep(StrEnum):
    CHOOSE_KIND = "choose_kind"
    DEVICE = "device"
    SIM = "sim"
    NUMBER = "number"
    PLAN = "plan"
    REVIEW = "review"
    IN_CART = "in_cart"  # the order's lines are in the register's cart: pending until the sale is paid
    PROVISIONING = "provisioning"  # paid: queued for the carrier, submitted, in progress
    DONE = "done"  # every line active
    NEEDS_ATTENTION = "needs_attention"  # a line rejected (port-in), on hold or failed


class NumberMode(StrEnum):
    POOL = "pool"
    PORT_IN = "port_in"


class Refused(Exception):
    """A transition that is not allowed now; ``str(exc)`` is the reason shown to the rep."""


_EDIT = (ActivationStep.DEVICE, ActivationStep.SIM, ActivationStep.NUMBER, ActivationStep.PLAN)
_STEPS: dict[ActivationKind, tuple[ActivationStep, ...]] = {
    ActivationKind.NEW_ACCOUNT: (*_EDIT, ActivationStep.REVIEW),
    ActivationKind.ADD_LINE: (*_EDIT, ActivationStep.REVIEW),
    ActivationKind.BYOD: (*_EDIT, ActivationStep.REVIEW),
    ActivationKind.UPGRADE: (ActivationStep.DEVICE, ActivationStep.SIM, ActivationStep.PLAN, ActivationStep.REVIEW),
    ActivationKind.SIM_CHANGE: (ActivationStep.SIM, ActivationStep.REVIEW),
}
KIND_TITLES: dict[ActivationKind, str] = {
    ActivationKind.NEW_ACCOUNT: "New account and line",
    ActivationKind.ADD_LINE: "Add a line",
    ActivationKind.UPGRADE: "Upgrade a device",
    ActivationKind.SIM_CHANGE: "Change SIM / move to eSIM",
    ActivationKind.BYOD: "Bring your own device",
}
#: Kinds that work on an existing line of the account (the account view's per-line buttons).
LINE_KINDS = frozenset({ActivationKind.UPGRADE, ActivationKind.SIM_CHANGE})
#: A line someone must look at (a rejected port, a hold, a failure) / one paid and waiting for the carrier.
ATTENTION_STATUSES = frozenset({LineActivationStatus.ON_HOLD, LineActivationStatus.REJECTED,
                                LineActivationStatus.FAILED})
WAITING_STATUSES = frozenset({LineActivationStatus.QUEUED, LineActivationStatus.SUBMITTED,
                              LineActivationStatus.IN_PROGRESS})
NO_VISIT = "Verify the customer in Lookup (F2) first: an activation needs a verified visit."


def steps_for(kind: ActivationKind) -> tuple[ActivationStep, ...]:
    """The draft steps of ``kind``, in order (REVIEW last)."""
    return _STEPS[kind]


def line_done(kind: ActivationKind, line: LineDTO, step: ActivationStep) -> bool:
    """Whether ``line`` has what ``step`` asks for."""
    if step is ActivationStep.DEVICE:
        return line.imei is not None or line.device_source is DeviceSource.KEEP
    if step is ActivationStep.SIM:
        return line.sim_kind is not None
    if step is ActivationStep.NUMBER:
        return line.msisdn is not None or line.port_in is not None or line.number_source is NumberSource.EXISTING
    if step is ActivationStep.PLAN:
        return line.plan_code is not None
    return all(line_done(kind, line, s) for s in steps_for(kind) if s is not ActivationStep.REVIEW)
