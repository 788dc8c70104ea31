"""The carrier's provisioning API: submit a request under an idempotency key, then poll for its answer.

A real carrier's order API works this way: ``submit`` only says the carrier *has* the request (an :class:`Ack`
with the carrier's reference; the same ``request_id`` again is a duplicate and answers with the first reference,
never a second activation), and the outcome comes later from ``poll``. ``submit`` raises
:class:`CarrierUnavailable` when the carrier cannot be reached (nothing was received) and :class:`CarrierTimeout`
when no answer came in time (the carrier MAY have it: resend with the same id).

:class:`SimulatedCarrier` stands in for the carrier in training mode and says so in its label. Its old-carrier
registry for port-ins is ``resources/data/simulated_old_carriers.json`` (documented there).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from posapp.adapters.controls import CarrierTestControls
from posapp.paths import resources_dir

SMDP_FQDN = "smdp.sim-carrier.example.net"


class AnswerStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"  # a port-in refused with a reason code (fix and resubmit as a new request)
    ACTIVE = "active"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the carrier has no request with this id (send it again, same id)


FINAL_ANSWERS = frozenset({AnswerStatus.REJECTED, AnswerStatus.ACTIVE, AnswerStatus.FAILED})


@dataclass(frozen=True)
class Ack:
    carrier_ref: str
    duplicate: bool  # this request id was already received: nothing new was started


@dataclass(frozen=True)
class Answer:
    request_id: str
    status: AnswerStatus
    reason_code: str | None = None
    reason: str | None = None
    esim_code: str | None = field(default=None, repr=False)  # an eSIM activation's code: memory only


class CarrierUnavailable(RuntimeError):
    """The carrier (or the store's link) cannot be reached; nothing was received."""


class CarrierTimeout(RuntimeError):
    """No answer in time: the carrier may or may not have the request. Resend with the same id."""


class CarrierProvisioning(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def is_simulator(self) -> bool: ...

    @property
    def configured(self) -> bool: ...

    def test_controls(self) -> CarrierTestControls | None: ...

    def submit(self, request_id: str, action: str, payload: Mapping[str, Any], transfer_pin: str | None) -> Ack:
        """Hand a request to the carrier. The same ``request_id`` again answers with the first Ack's reference."""
        ...

    def poll(self, request_ids: Sequence[str]) -> list[Answer]:
        """The current answer for each id (one Answer per id, in order)."""
        ...


@dataclass(frozen=True)
class OldCarrierEntry:
    msisdn: str
    old_carrier: str
    account_number: str
    pin: str
    name: str
    zip: str
    hold_code: str | None = None
    hold_reason: str | None = None


def load_old_carriers(path: Path | None = None) -> dict[str, OldCarrierEntry]:
    file = path or resources_dir() / "data" / "simulated_old_carriers.json"
    with file.open(encoding="utf-8") as f:
        doc = json.load(f)
    return {e["msisdn"]: OldCarrierEntry(**e) for e in doc["numbers"]}


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def port_check(entry: OldCarrierEntry | None, port: Mapping[str, Any], pin: str | None) -> Answer | None:
    """The old carrier's refusal of a port (request_id left empty), or None when it releases the number."""
    if entry is None:
        return None
    if _norm(str(port.get("old_account_number", ""))) != _norm(entry.account_number):
        return Answer("", AnswerStatus.REJECTED, "ACCOUNT_MISMATCH",
                      "The old carrier's account number does not match their records.")
    if pin != entry.pin:
        return Answer("", AnswerStatus.REJECTED, "PIN_INVALID", "The transfer PIN is not valid at the old carrier.")
    if _norm(str(port.get("name", ""))) != _norm(entry.name) or str(port.get("billing_zip", "")) != entry.zip:
        return Answer("", AnswerStatus.REJECTED, "NAME_ZIP_MISMATCH",
                      "The name or billing ZIP code does not match the old carrier's records.")
    return None


@dataclass
class _Order:
    request_id: str
    action: str
    msisdn: str
    carrier_ref: str
    stages: list[Answer]
    esim: bool = False
    given: int = 0  # how many stages were answered so far
    last_step: float = 0.0


class _Controls:
    def __init__(self, carrier: SimulatedCarrier) -> None:
        self._carrier = carrier

    def go_offline(self) -> None:
        self._carrier.online = False

    def go_online(self) -> None:
        self._carrier.online = True

    def time_out_next_submit(self) -> None:
        self._carrier.timeout_next = True

    def completed(self, msisdn: str) -> tuple[str, ...]:
        return self._carrier.completed(msisdn)


class SimulatedCarrier:
    """A carrier that keeps its orders in memory. Answers move one stage per poll once ``delay_s`` has passed
    since the previous stage (in_progress, [on_hold], then active / rejected / failed). Never logs a code or a
    PIN."""

    label = "CARRIER SIMULATOR — no line is really activated"
    is_simulator = True
    configured = True

    def __init__(self, *, delay_s: float = 5.0, registry: Mapping[str, OldCarrierEntry] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.delay_s = delay_s
        self.online = True
        self.timeout_next = False
        self._registry = dict(registry) if registry is not None else load_old_carriers()
        self._clock = clock
        self._orders: dict[str, _Order] = {}
        self._completed: dict[str, list[str]] = {}  # msisdn -> actions completed, in order
        self._active_numbers: set[str] = set()
        self._lock = threading.Lock()
        self._controls = _Controls(self)

    def test_controls(self) -> CarrierTestControls:
        return self._controls

    def submit(self, request_id: str, action: str, payload: Mapping[str, Any], transfer_pin: str | None) -> Ack:
        if not self.online:
            raise CarrierUnavailable("The carrier simulator is offline.")
        with self._lock:
            order = self._orders.get(request_id)
            if order is None:
                order = self._new_order(request_id, action, payload, transfer_pin)
                self._orders[request_id] = order
                duplicate = False
            else:
                duplicate = True
            if self.timeout_next:  # recorded, but the acknowledgement is "lost"
                self.timeout_next = False
                raise CarrierTimeout("The carrier simulator did not answer in time.")
        return Ack(order.carrier_ref, duplicate)

    def _new_order(self, request_id: str, action: str, payload: Mapping[str, Any], pin: str | None) -> _Order:
        msisdn = str(payload.get("msisdn", ""))
        final = Answer(request_id, AnswerStatus.ACTIVE)
        stages = [Answer(request_id, AnswerStatus.IN_PROGRESS)]
        if action == "port_in":
            entry = self._registry.get(msisdn)
            refusal = port_check(entry, payload.get("port") or {}, pin)
            if refusal is not None:
                final = Answer(request_id, refusal.status, refusal.reason_code, refusal.reason)
            elif entry is not None and entry.hold_code:
                stages.append(Answer(request_id, AnswerStatus.ON_HOLD, entry.hold_code, entry.hold_reason))
        stages.append(final)
        return _Order(request_id, action, msisdn, f"SIMREF-{secrets.token_hex(6).upper()}", stages,
                      esim=payload.get("sim_kind") == "esim", last_step=self._clock())

    def poll(self, request_ids: Sequence[str]) -> list[Answer]:
        if not self.online:
            raise CarrierUnavailable("The carrier simulator is offline.")
        with self._lock:
            return [self._answer(rid) for rid in request_ids]

    def _answer(self, request_id: str) -> Answer:
        order = self._orders.get(request_id)
        if order is None:
            return Answer(request_id, AnswerStatus.UNKNOWN, "UNKNOWN_REQUEST", "The carrier has no such request.")
        now = self._clock()
        if order.given < len(order.stages) and (order.given == 0 or now - order.last_step >= self.delay_s):
            order.stages[order.given] = self._settle(order, order.stages[order.given])
            order.given += 1
            order.last_step = now
        return order.stages[order.given - 1]  # the first poll always gives the first stage

    def _settle(self, order: _Order, stage: Answer) -> Answer:
        """A final ACTIVE is applied here, once per order: the number goes live and an eSIM gets its code."""
        if stage.status is not AnswerStatus.ACTIVE:
            return stage
        new_number = order.action in ("activate", "port_in")
        if new_number and order.msisdn in self._active_numbers:
            return Answer(order.request_id, AnswerStatus.FAILED, "NUMBER_IN_USE",
                          "The number is already active on another line.")
        if new_number:
            self._active_numbers.add(order.msisdn)
        self._completed.setdefault(order.msisdn, []).append(order.action)
        return Answer(order.request_id, AnswerStatus.ACTIVE, esim_code=self._esim_code(order))

    @staticmethod
    def _esim_code(order: _Order) -> str | None:
        if not order.esim:
            return None
        matching = "-".join(secrets.token_hex(3).upper()[:5] for _ in range(4))
        return f"LPA:1${SMDP_FQDN}${matching}"

    def completed(self, msisdn: str) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._completed.get(msisdn, ()))
