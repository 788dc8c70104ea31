"""Fixtures for the provisioning queue: a carrier simulator on a hand-driven clock, the SMS simulator, and the
queue service on the test's real SQLite database."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from posapp.adapters.provisioning import SimulatedCarrier
from posapp.adapters.sms import SimulatedSmsGateway
from posapp.events import Event
from posapp.services.activation.queue import ProvisioningService


class MemoryPins:
    """Transfer PINs in memory (the keyring's part is tested with the real Secret Service in test_queue_keyring)."""

    def __init__(self) -> None:
        self.pins: dict[uuid.UUID, str] = {}

    def read(self, port_in_id: uuid.UUID) -> str | None:
        return self.pins.get(port_in_id)

    def drop(self, port_in_id: uuid.UUID) -> None:
        self.pins.pop(port_in_id, None)


@dataclass
class Clock:
    t: float = 1000.0

    def __call__(self) -> float:
        return self.t


@dataclass
class Rig:
    queue: ProvisioningService
    carrier: SimulatedCarrier
    sms: SimulatedSmsGateway
    pins: MemoryPins
    clock: Clock
    events: list[Event] = field(default_factory=list)


@pytest.fixture
def rig(services: Any) -> Rig:
    clock = Clock()
    carrier = SimulatedCarrier(delay_s=0, clock=clock)
    sms = SimulatedSmsGateway()
    pins = MemoryPins()
    queue = ProvisioningService(uow=services.uow, carrier=carrier, sms=sms, pins=pins, max_attempts=4)
    r = Rig(queue, carrier, sms, pins, clock)
    services.core.events.subscribe(r.events.append)
    return r


@pytest.fixture
def account(make_account: Callable[..., Any]) -> Any:
    return make_account()
