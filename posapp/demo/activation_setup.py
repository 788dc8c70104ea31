"""What ``simulate activations`` and ``bench activation`` need before the first order, through the real services:
the refusal outside training mode, the catalog (plans, device models), store stock, the store's number pool, new
customers, and a verified visit (photo ID, account PIN, the one-time code read from the SMS simulator)."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from posapp.catalog import ModelInfo
from posapp.db.models import Device, InventoryDevice, Line, PoolNumber
from posapp.demo.catalog import load_models, load_plans, model_rows, plan_rows
from posapp.demo.names import FEMALE_FIRST, MALE_FIRST, SURNAMES
from posapp.domain.account_pin import check_account_pin
from posapp.domain.activation import PoolStatus
from posapp.domain.identifiers import eid_with_check_digits, imei_from_parts, luhn_check_digit
from posapp.domain.register import InventoryStatus
from posapp.errors import ValidationError
from posapp.services.activation import pool
from posapp.services.customers import CustomerDraft
from posapp.services.dto import SYSTEM_ACTOR, Actor
from posapp.services.registry import Services

#: The pool's fictitious numbers: 555-0100..0199 in these area codes (Washington), never the simulated old
#: carrier's listed numbers (those are ported in).
POOL_AREAS = ("206", "425", "253", "360", "509", "564")
#: Numbers ported in that the old-carrier registry does not list (they port without checks): Oregon area codes.
PORT_AREAS = ("503", "971", "541", "458")
BLOCKED_SERIAL_FROM = 900_000  # the block-list simulator's IMEIs are serials 9000xx of catalog TACs


class SimulationRefused(ValidationError):
    """The simulation only drives simulators, in training mode."""


def require_training(services: Services) -> None:
    """Refuse plainly unless this terminal is in training mode with the carrier, card terminal and SMS gateway
    simulators (the simulation reads one-time codes from the SMS simulator and plays the carrier's part)."""
    if not services.core.settings.training_mode:
        raise SimulationRefused("Refused: simulate activations runs in training mode only, and this terminal is "
                                "live (training_mode false). Nothing was done.")
    for what, adapter in (("carrier provisioning link", services.carrier),
                          ("payment terminal", services.register.terminal), ("SMS gateway", services.sms)):
        if not adapter.is_simulator:
            raise SimulationRefused(f"Refused: the {what} is not a simulator ({adapter.label}); simulate "
                                    "activations drives simulators only, in training mode. Nothing was done.")


_PLAN_KEYS = ("code", "name", "kind", "monthly_cents", "data_gb", "hotspot_gb", "active")
_PLAN_NAMED = (f"INSERT OR IGNORE INTO plan ({', '.join(_PLAN_KEYS)}) "
               f"VALUES ({', '.join(':' + k for k in _PLAN_KEYS)})")


def ensure_catalog(services: Services) -> tuple[ModelInfo, ...]:
    """Plans and device models as head office ships them (added when missing); returns the phone models."""
    models = load_models()
    services.register.stock.ensure_catalog(SYSTEM_ACTOR, model_rows(models))
    with services.uow.write(SYSTEM_ACTOR) as tx:
        tx.session.execute(text(_PLAN_NAMED), [dict(zip(_PLAN_KEYS, row, strict=True))
                                               for row in plan_rows(load_plans())])
    return tuple(m for m in models if m.category == "phone")


def sold_plans() -> tuple[str, ...]:
    return tuple(p.code for p in load_plans() if p.active and p.kind == "postpaid")


@dataclass
class Identifiers:
    """Fresh IMEIs, ICCIDs and EIDs for this run (drawn from the seed; never one already on this terminal)."""

    rng: random.Random
    taken: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, services: Services, rng: random.Random) -> Identifiers:
        with services.uow.read() as s:
            taken = set(s.scalars(select(InventoryDevice.imei))) | set(s.scalars(select(Device.imei)))
            taken |= {x for x in s.scalars(select(Line.iccid)) if x} | {x for x in s.scalars(select(Line.eid)) if x}
        return cls(rng, taken)

    def _fresh(self, make: Callable[[], str]) -> str:
        while (value := make()) in self.taken:
            pass
        self.taken.add(value)
        return value

    def imei(self, tac: str) -> str:
        return self._fresh(lambda: imei_from_parts(tac, self.rng.randrange(BLOCKED_SERIAL_FROM)))

    def iccid(self) -> str:
        def make() -> str:
            body = f"8901260{self.rng.randrange(10 ** 11):011d}"
            return body + luhn_check_digit(body)
        return self._fresh(make)

    def eid(self) -> str:
        return self._fresh(lambda: eid_with_check_digits(f"890490320000{self.rng.randrange(10 ** 18):018d}"))


def restock(services: Services, rep: Actor, ids: Identifiers, phones: tuple[ModelInfo, ...], need: int) -> None:
    """Receive phones into this store's stock (StockService) until ``need`` are in stock."""
    with services.uow.read() as s:
        have = s.scalar(select(func.count()).select_from(InventoryDevice)
                        .where(InventoryDevice.status == InventoryStatus.IN_STOCK)) or 0
    if have < need:
        picks = [ids.rng.choice(phones) for _ in range(need - have)]
        services.register.stock.receive_devices(rep, [(ids.imei(m.tac), m.code) for m in picks])


def in_stock(services: Services) -> list[str]:
    """The IMEIs in stock, in a stable order."""
    with services.uow.read() as s:
        return list(s.scalars(select(InventoryDevice.imei).where(InventoryDevice.status == InventoryStatus.IN_STOCK)
                              .order_by(InventoryDevice.imei)))


def seed_pool(services: Services, actor: Actor, need: int, *, listed: frozenset[str] = frozenset()) -> int:
    """Add fictitious numbers to the store's pool (``pool.add_numbers``) until ``need`` are available; returns how
    many are available then (fewer when the fictitious range is used up)."""
    with services.uow.read() as s:
        known = set(s.scalars(select(PoolNumber.msisdn))) | set(s.scalars(select(Line.msisdn)))
        have = s.scalar(select(func.count()).select_from(PoolNumber)
                        .where(PoolNumber.status == PoolStatus.AVAILABLE)) or 0
    fresh = [n for n in (f"+1{a}55501{i:02d}" for a in POOL_AREAS for i in range(100))
             if n not in known and n not in listed][:max(0, need - have)]
    if fresh:
        with services.uow.write(actor) as tx:
            pool.add_numbers(tx, fresh)
    return have + len(fresh)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in table], weights=[w for _, w in table])[0]


def account_pin(rng: random.Random, phone: str) -> str:
    while True:
        pin = f"{rng.randrange(10 ** 6):06d}"
        try:
            check_account_pin(pin, phone_numbers=[phone])
        except ValidationError:
            continue
        return pin


@dataclass(frozen=True)
class SimCustomer:
    customer_id: uuid.UUID
    account_id: uuid.UUID
    account_number: str
    name: str
    pin: str = field(repr=False)  # the account PIN the simulated customer knows (memory only, never printed)


def new_customer(services: Services, rep: Actor, rng: random.Random, serial: int) -> SimCustomer:
    """A walk-in customer created the way Lookup's new-customer flow does (CustomerService.create)."""
    first = _weighted(rng, FEMALE_FIRST if rng.random() < 0.5 else MALE_FIRST)
    last = _weighted(rng, SURNAMES)
    phone = f"+1{PORT_AREAS[serial % len(PORT_AREAS)]}555{rng.randrange(200, 10_000):04d}"
    pin = account_pin(rng, phone)
    created = services.customers.create(rep, CustomerDraft(
        first_name=first, last_name=last, phone=phone, address_line1=f"{rng.randrange(100, 9999)} Pine St",
        city="Seattle", state="WA", postal_code="98101", account_pin=pin), confirmed_new=True)
    return SimCustomer(created.customer_id, created.account_id, created.account_number, f"{first} {last}", pin)


_CODE = re.compile(r"\b(\d{6})\b")


def verified_visit(services: Services, rep: Actor, who: SimCustomer, *, line_id: uuid.UUID | None,
                   pin: bool = True) -> uuid.UUID:
    """Photo ID always; with ``line_id`` also the one-time code texted to that line (read from the SMS simulator,
    as the customer reads it from their phone) and, with ``pin``, the account PIN: step-up."""
    v = services.verification
    visit = v.start_visit(rep, account_id=who.account_id, customer_id=who.customer_id, reason="Activation")
    v.record_photo_id(rep, visit.id, id_type="drivers_license", matched=True)
    if line_id is not None:
        if pin:
            v.check_pin(rep, visit.id, who.pin)
        sent = v.send_code(rep, visit.id, line_id=line_id)
        controls = services.sms.test_controls()
        found = _CODE.search(controls.message_text(sent.message_id) or "") if controls and sent.message_id else None
        if found is None:
            raise SimulationRefused("The SMS simulator did not show the one-time code.")
        v.check_code(rep, visit.id, found.group(1))
    return visit.id
