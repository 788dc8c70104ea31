"""Register test helpers: catalog and stock on a fresh database, and the simulator adapters."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.adapters.cash_drawer import SimulatedCashDrawer
from posapp.adapters.payment_terminal import SimulatedTerminal
from posapp.demo.catalog import load_models, model_rows
from posapp.domain.identifiers import imei_from_parts
from posapp.services.dto import SYSTEM_ACTOR, Actor
from posapp.services.registry import Services

CASE_UPC = "840244700010"    # Clear case, $29.99
CHARGER_UPC = "840244700041"  # 20 W charger, $24.99


@dataclass(frozen=True)
class Stocked:
    model_code: str
    retail_cents: int
    imeis: tuple[str, ...]


def stock(services: Services, actor: Actor, *, devices: int = 5) -> Stocked:
    """Load the device models and receive ``devices`` IMEIs of the first phone model."""
    models = load_models()
    services.register.stock.ensure_catalog(SYSTEM_ACTOR, model_rows(models))
    phone = next(m for m in models if m.category == "phone")
    imeis = tuple(imei_from_parts(phone.tac, 100 + i) for i in range(devices))
    services.register.stock.receive_devices(actor, [(i, phone.code) for i in imeis])
    return Stocked(model_code=phone.code, retail_cents=phone.retail_cents, imeis=imeis)


def terminal(services: Services) -> SimulatedTerminal:
    t = services.register.terminal
    assert isinstance(t, SimulatedTerminal)
    return t


def cash_drawer(services: Services) -> SimulatedCashDrawer:
    d = services.register.cash_drawer
    assert isinstance(d, SimulatedCashDrawer)
    return d
