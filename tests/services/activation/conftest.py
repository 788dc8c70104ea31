"""Fixtures for the activation service tests (wt-actsvc: verified visits, the store's number pool, stock, a sale
paid in cash and completed) and for the provisioning queue (wt-provision: a carrier simulator on a hand-driven
clock, the SMS simulator, and the queue service on the test's real SQLite database)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from posapp.adapters.provisioning import SimulatedCarrier
from posapp.adapters.sms import SimulatedSmsGateway
from posapp.db.models import ProvisioningRequest
from posapp.domain.identifiers import eid_with_check_digits, imei_from_parts, luhn_check_digit
from posapp.events import Event
from posapp.services.activation import pool
from posapp.services.activation.queue import ProvisioningService
from posapp.services.customers import CustomerDraft
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers.accounts import ACCOUNT_PIN, MadeAccount
from tests.helpers.staff import Staff

PLAN = "UNL-PLUS"  # the plan the accounts fixture adds
POOL = ("(206) 555-0100", "(206) 555-0101", "(206) 555-0102", "(425) 555-0103")
BLOCKED_IMEI = "353906429000012"  # resources/data/simulated_block_list.json: reported stolen (iPhone 16 TAC)
BYOD_IMEI = imei_from_parts("35390642", 4242)  # iPhone 16 128 GB, eSIM capable
NO_ESIM_IMEI = imei_from_parts("35519704", 4243)  # Galaxy A16: no eSIM
UNKNOWN_TAC_IMEI = imei_from_parts("99000011", 1)


def iccid(n: int) -> str:
    body = f"8901260{n:011d}"
    return body + luhn_check_digit(body)


def eid(n: int) -> str:
    return eid_with_check_digits(f"890490320000{n:018d}")


@dataclass(frozen=True)
class Counter:
    services: Services
    employees: Staff

    @property
    def rep(self) -> Any:
        return self.employees.rep

    def visit(self, acct: MadeAccount, *, level: str = "step_up", customer_id: uuid.UUID | None = None) -> uuid.UUID:
        """A visit verified to ``level``: none, photo_id, verified (photo ID + PIN) or step_up (+ one-time code)."""
        v = self.services.verification
        visit = v.start_visit(self.rep, account_id=acct.account_id, customer_id=customer_id or acct.customer_id)
        if level in ("photo_id", "verified", "step_up"):
            v.record_photo_id(self.rep, visit.id, id_type="passport", matched=True)
        if level in ("verified", "step_up"):
            v.check_pin(self.rep, visit.id, ACCOUNT_PIN)
        if level == "step_up":
            sent = v.send_code(self.rep, visit.id, line_id=acct.line_ids[0])
            controls = self.services.sms.test_controls()
            assert controls is not None and sent.message_id is not None
            found = re.search(r"\b(\d{6})\b", controls.message_text(sent.message_id) or "")
            assert found is not None
            v.check_code(self.rep, visit.id, found.group(1))
        return visit.id

    def pay(self, sale_id: uuid.UUID) -> Any:
        """Pay the sale's amount due in cash and complete it (signing when the sale needs it)."""
        due = self.services.register.cart.view(sale_id).remaining_cents
        if due:
            self.services.register.tenders.pay_cash(self.rep, sale_id, amount_cents=due, tendered_cents=due)
        return reg.complete(self.services, self.rep, sale_id)

    def requests(self) -> int:
        with self.services.uow.read() as s:
            return int(s.scalar(select(func.count()).select_from(ProvisioningRequest)) or 0)


@pytest.fixture
def counter(services: Services, employees: Staff) -> Counter:
    with services.uow.write(employees.admin) as tx:
        pool.add_numbers(tx, POOL)
    services.register.drawer.open_session(employees.rep, float_cents=10_000)
    return Counter(services, employees)


@pytest.fixture
def stocked(services: Services, employees: Staff, counter: Counter) -> reg.Stocked:
    return reg.stock(services, employees.rep, devices=3)


@pytest.fixture
def new_customer(services: Services, employees: Staff, counter: Counter,
                 catalog: None) -> MadeAccount:
    """A customer just created by Lookup's new-customer flow: an account without lines."""
    created = services.customers.create(employees.rep, CustomerDraft(
        first_name="Noa", last_name="Berg", phone="(206) 555-0177", address_line1="1 Main St", city="Seattle",
        state="WA", postal_code="98101", account_pin=ACCOUNT_PIN), confirmed_new=True)
    return MadeAccount(created.customer_id, created.account_id, created.account_number, (), (), (), ())


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
