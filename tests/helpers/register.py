"""Register test helpers: catalog and stock on a fresh database, and the simulator adapters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from posapp.adapters.cash_drawer import SimulatedCashDrawer
from posapp.adapters.payment_terminal import SimulatedTerminal
from posapp.demo.catalog import load_models, model_rows
from posapp.domain.identifiers import imei_from_parts
from posapp.services.dto import SYSTEM_ACTOR, Actor
from posapp.services.register.dto import SaleDTO
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


# A short scribble on the pad: two strokes, x/y normalised 0..1 (y down), t in ms.
SCRIBBLE: tuple[tuple[tuple[float, float, int], ...], ...] = (
    ((0.10, 0.70, 0), (0.20, 0.30, 40), (0.30, 0.65, 80), (0.40, 0.35, 120), (0.50, 0.70, 160)),
    ((0.60, 0.40, 400), (0.75, 0.60, 440), (0.90, 0.45, 480)),
)


def sign(services: Services, actor: Actor, sale_id: uuid.UUID) -> None:
    """The customer accepts the consent and signs on the pad (what the customer window does)."""
    sig = services.register.signatures
    sig.capture(actor, sale_id, strokes=SCRIBBLE, consent_text=sig.consent_text(), consented_at=datetime.now(UTC))


def complete(services: Services, actor: Actor, sale_id: uuid.UUID) -> SaleDTO:
    """Complete a sale, the customer signing first when the sale needs it."""
    if services.register.signatures.required(sale_id):
        sign(services, actor, sale_id)
    return services.register.tenders.complete(actor, sale_id)
