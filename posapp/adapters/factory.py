"""Adapters chosen by the settings (``payment_terminal``, ``sms_gateway``, ``cash_drawer``, ``provisioning``,
``block_list``), Qt-free.

Each setting names a driver: ``simulator`` or ``none`` today (a real driver is added to
:data:`posapp.config.ADAPTER_CHOICES` and here, behind the same interface). A simulator is only used in training
mode: with training mode off, a stored ``simulator`` (an inconsistent state; the settings service refuses to make
it) gives the "not configured" adapter instead, whose label and ``reason`` say so plainly
(``Services.device_problems()``).
"""

from __future__ import annotations

from dataclasses import dataclass

from posapp.adapters.block_list import BlockList, SimulatedBlockList
from posapp.adapters.cash_drawer import CashDrawer, SimulatedCashDrawer
from posapp.adapters.payment_terminal import PaymentTerminal, SimulatedTerminal
from posapp.adapters.provisioning import CarrierProvisioning, SimulatedCarrier
from posapp.adapters.sms import SimulatedSmsGateway, SmsGateway
from posapp.adapters.unconfigured import NoBlockList, NoCarrier, NoCashDrawer, NoSmsGateway, NoTerminal
from posapp.config import Settings

REFUSED_SIMULATOR = "its simulator is refused outside training mode"


@dataclass(frozen=True)
class Devices:
    terminal: PaymentTerminal
    sms: SmsGateway
    cash_drawer: CashDrawer
    carrier: CarrierProvisioning


def _use_simulator(settings: Settings, key: str) -> bool | None:
    """True: build the simulator; False: "none"; None: a simulator refused (training mode is off)."""
    value = getattr(settings, key)
    if value != "simulator":
        return False
    return True if settings.training_mode else None


def _reason(choice: bool | None) -> str:
    return REFUSED_SIMULATOR if choice is None else ""


def build_terminal(settings: Settings) -> PaymentTerminal:
    choice = _use_simulator(settings, "payment_terminal")
    return SimulatedTerminal() if choice else NoTerminal(reason=_reason(choice))


def build_sms(settings: Settings) -> SmsGateway:
    choice = _use_simulator(settings, "sms_gateway")
    return SimulatedSmsGateway() if choice else NoSmsGateway(reason=_reason(choice))


def build_cash_drawer(settings: Settings) -> CashDrawer:
    choice = _use_simulator(settings, "cash_drawer")
    return SimulatedCashDrawer() if choice else NoCashDrawer(reason=_reason(choice))


def build_provisioning(settings: Settings) -> CarrierProvisioning:
    """The carrier's provisioning link (``provisioning``); the simulator answers after
    ``carrier_sim_delay_seconds`` per step."""
    choice = _use_simulator(settings, "provisioning")
    if choice:
        return SimulatedCarrier(delay_s=float(settings.carrier_sim_delay_seconds))
    return NoCarrier(reason=_reason(choice))


def build_block_list(settings: Settings) -> BlockList:
    choice = _use_simulator(settings, "block_list")
    return SimulatedBlockList() if choice else NoBlockList(reason=_reason(choice))


def build_devices(settings: Settings) -> Devices:
    return Devices(terminal=build_terminal(settings), sms=build_sms(settings),
                   cash_drawer=build_cash_drawer(settings), carrier=build_provisioning(settings))
