"""Putting a paid activation line's provisioning request into the durable outbound queue.

Called inside the transaction that completes the sale (so a paid line is queued exactly when the money is
recorded, all or nothing). The request's id is the idempotency key the carrier sees on every (re)send. The
sender (the provisioning queue worker) picks ``queued`` rows whose ``next_attempt_at`` has come.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

from posapp.db.models import ActivationLine, ProvisioningEvent, ProvisioningRequest
from posapp.domain.activation import LineActivationStatus, ProvisioningEventKind, RequestAction, RequestStatus
from posapp.services.uow import Tx


class PortDetails(TypedDict):
    old_carrier: str
    old_account_number: str
    name: str
    billing_zip: str
    prepaid: bool
    desired_date: str | None  # ISO date


class ProvisioningPayload(TypedDict):
    """What a queued request carries (canonical JSON in ``provisioning_request.payload``). No secrets: the
    transfer PIN is read from the keyring by ``port_in_id`` when the request is sent."""

    activation: str  # the activation's number
    kind: str  # ActivationKind value
    line_no: int
    account_number: str
    msisdn: str  # E.164: the pool number, the ported number or the line's own
    plan_code: str
    features: list[str]
    sim_kind: str  # SimKind value
    iccid: NotRequired[str]
    eid: NotRequired[str]
    imei: NotRequired[str]
    imei2: NotRequired[str]
    line_id: NotRequired[str]  # the existing line (upgrade, SIM change)
    port_in_id: NotRequired[str]
    port: NotRequired[PortDetails]


#: Payload keys that must never be queued (they are secrets or one-time codes).
FORBIDDEN_KEYS = frozenset({"transfer_pin", "pin", "esim_code", "activation_code", "cvv", "card_number"})


def queue_line(tx: Tx, line: ActivationLine, action: RequestAction,
               payload: ProvisioningPayload | Mapping[str, Any]) -> ProvisioningRequest:
    """Queue one request for ``line`` and mark the line queued (pending with the carrier)."""
    bad = FORBIDDEN_KEYS & set(payload)
    if bad:
        raise ValueError(f"A provisioning payload may not carry {sorted(bad)}.")
    request = ProvisioningRequest(activation_line_id=line.id, action=action,
                                  payload=json.dumps(dict(payload), sort_keys=True, separators=(",", ":")),
                                  status=RequestStatus.QUEUED, attempts=0, next_attempt_at=tx.now,
                                  created_at=tx.now)
    tx.add(request, sync=False)
    line.status, line.reason = LineActivationStatus.QUEUED, None
    tx.changed(line)
    tx.add(ProvisioningEvent(activation_line_id=line.id, request_id=request.id, kind=ProvisioningEventKind.QUEUED,
                             at=tx.now))
    return request
