"""The activation service's contract: what the F4 page, the account view and the CLI call.

:class:`ActivationApi` is implemented by ``posapp.services.activation.service.ActivationService``. Every method
runs on the DB worker (short transactions, no network) except those marked *device*, which call an adapter
(block list, carrier) and run on the device worker. Refusals raise :class:`posapp.errors.PermissionDenied`
(unverified visit, step-up missing, an account role that may not) or :class:`posapp.errors.ValidationError`
with a message for the rep; nothing partial is written.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from posapp.domain.activation import ActivationKind, LineActivationStatus, SimKind
from posapp.services.activation.dto import (
    ActivationDTO,
    DeviceCheck,
    EipQuote,
    EipTerms,
    PlanOption,
    PoolNumberDTO,
    PortInForm,
)
from posapp.services.dto import Actor


class ActivationApi(Protocol):
    # -- the order -----------------------------------------------------------------------------------------
    def start(self, actor: Actor, *, kind: ActivationKind, visit_id: uuid.UUID,
              line_id: uuid.UUID | None = None) -> ActivationDTO:
        """A draft activation for the visit's account. ``line_id``: the existing line for UPGRADE / SIM_CHANGE.
        Checks the visit's verification (step-up for add a line, SIM change, upgrade on a financed account) and
        the customer's account role."""
        ...

    def view(self, activation_id: uuid.UUID) -> ActivationDTO: ...

    def add_line(self, actor: Actor, activation_id: uuid.UUID) -> ActivationDTO:
        """Another line on a NEW_ACCOUNT / ADD_LINE / BYOD order."""
        ...

    def remove_line(self, actor: Actor, activation_id: uuid.UUID, line_no: int) -> ActivationDTO: ...

    def cancel(self, actor: Actor, activation_id: uuid.UUID, *, reason: str) -> ActivationDTO:
        """Cancel a draft or pending-payment order: releases its pool numbers, store devices and cart lines."""
        ...

    # -- device --------------------------------------------------------------------------------------------
    def check_device(self, imei_text: str, *, imei2_text: str | None = None) -> DeviceCheck:
        """*device*: IMEI → model by TAC, compatibility, block-list check through the adapter. Store stock is
        recognised (``inventory_id`` set)."""
        ...

    def set_device(self, actor: Actor, activation_id: uuid.UUID, line_no: int, check: DeviceCheck) -> ActivationDTO:
        """Record the checked device on the line (refused when ``check.problems``)."""
        ...

    # -- SIM -----------------------------------------------------------------------------------------------
    def set_sim(self, actor: Actor, activation_id: uuid.UUID, line_no: int, *, kind: SimKind,
                iccid: str | None = None, eid: str | None = None) -> ActivationDTO:
        """Physical SIM by ICCID (an 18-digit one is completed with its check digit) or eSIM by the device's EID.
        Refused when the line has SIM Protection (SIM change) or the device cannot take an eSIM."""
        ...

    # -- number --------------------------------------------------------------------------------------------
    def pool_numbers(self, *, area_code: str | None = None, limit: int = 20) -> tuple[PoolNumberDTO, ...]:
        """Available numbers of this store's pool."""
        ...

    def pick_number(self, actor: Actor, activation_id: uuid.UUID, line_no: int, msisdn: str) -> ActivationDTO:
        """Reserve a pool number for the line (released if another is picked or the order is cancelled)."""
        ...

    def set_port_in(self, actor: Actor, activation_id: uuid.UUID, line_no: int, form: PortInForm) -> ActivationDTO:
        """Port-in details; the transfer PIN goes to the keyring. The DTO's warnings say to keep the old service
        active until the port completes."""
        ...

    def resubmit_port_in(self, actor: Actor, activation_line_id: uuid.UUID, form: PortInForm) -> ActivationDTO:
        """Fix a rejected port-in (after payment) and queue it again with a new request id."""
        ...

    # -- plan and payment ----------------------------------------------------------------------------------
    def plans(self) -> tuple[PlanOption, ...]:
        """The plans sold now (cheapest first), each with the features a line on it may add."""
        ...

    def set_plan(self, actor: Actor, activation_id: uuid.UUID, line_no: int, *, plan_code: str,
                 features: tuple[str, ...] = ()) -> ActivationDTO:
        """Refused for a plan not sold now or a feature the plan may not carry."""
        ...

    def quote_eip(self, activation_id: uuid.UUID, line_no: int, terms: EipTerms) -> EipQuote: ...

    def set_financing(self, actor: Actor, activation_id: uuid.UUID, line_no: int,
                      terms: EipTerms | None) -> ActivationDTO:
        """Finance the line's store device on EIP (``None``: pay in full)."""
        ...

    def to_cart(self, actor: Actor, activation_id: uuid.UUID, sale_id: uuid.UUID) -> ActivationDTO:
        """Put the order's lines (device, SIM kit or eSIM, activation fee; down payment for a financed device)
        into the register's open sale. The order stays pending until that sale completes; then each line's
        provisioning request is queued (:func:`posapp.services.activation.requests.queue_line`)."""
        ...

    # -- reading -------------------------------------------------------------------------------------------
    def for_account(self, account_id: uuid.UUID) -> tuple[ActivationDTO, ...]: ...

    def for_sale(self, sale_id: uuid.UUID) -> tuple[ActivationDTO, ...]: ...

    def list(self, *, status: LineActivationStatus | None = None, limit: int = 200) -> tuple[ActivationDTO, ...]: ...
