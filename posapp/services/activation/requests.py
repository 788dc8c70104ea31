"""Putting a paid activation line's provisioning request into the durable outbound queue.

Called inside the transaction that completes the sale (so a paid line is queued exactly when the money is
recorded, all or nothing). The request's id is the idempotency key the carrier sees on every (re)send. The
sender (the provisioning queue worker) picks ``queued`` rows whose ``next_attempt_at`` has come.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from posapp.db.models import ActivationLine, ProvisioningEvent, ProvisioningRequest
from posapp.domain.activation import LineActivationStatus, ProvisioningEventKind, RequestAction, RequestStatus
from posapp.services.uow import Tx

#: Payload keys that must never be queued (they are secrets or one-time codes).
FORBIDDEN_KEYS = frozenset({"transfer_pin", "pin", "esim_code", "activation_code", "cvv", "card_number"})


def queue_line(tx: Tx, line: ActivationLine, action: RequestAction, payload: Mapping[str, Any]) -> ProvisioningRequest:
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
