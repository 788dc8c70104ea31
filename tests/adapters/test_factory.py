"""Adapters chosen by the settings: simulators only in training mode, "none" adapters that say so plainly, and
every adapter's AdapterInfo and test controls (the only way the UI reaches a simulator's buttons)."""

from __future__ import annotations

import dataclasses

import pytest

from posapp.adapters.cash_drawer import SimulatedCashDrawer, kick
from posapp.adapters.controls import AdapterInfo, TestCard
from posapp.adapters.factory import build_devices
from posapp.adapters.payment_terminal import SimulatedTerminal
from posapp.adapters.sms import SimulatedSmsGateway
from posapp.adapters.unconfigured import DeviceNotConfigured, NoCashDrawer, NoSmsGateway, NoTerminal
from posapp.config import Settings


def test_a_new_install_gets_the_three_labelled_simulators() -> None:
    devices = build_devices(Settings())
    assert isinstance(devices.terminal, SimulatedTerminal)
    assert isinstance(devices.sms, SimulatedSmsGateway)
    assert isinstance(devices.cash_drawer, SimulatedCashDrawer)
    for adapter in (devices.terminal, devices.sms, devices.cash_drawer):
        assert isinstance(adapter, AdapterInfo)
        assert adapter.is_simulator and adapter.configured and "SIMULATOR" in adapter.label
        assert adapter.test_controls() is not None
    assert devices.cash_drawer.label == "CASH DRAWER SIMULATOR — no drawer is opened"


def test_none_gives_not_configured_adapters_that_refuse_plainly() -> None:
    s = dataclasses.replace(Settings(), payment_terminal="none", sms_gateway="none", cash_drawer="none")
    devices = build_devices(s)
    assert isinstance(devices.terminal, NoTerminal) and devices.terminal.label == "No card terminal configured"
    assert isinstance(devices.sms, NoSmsGateway) and devices.sms.label == "No SMS gateway configured"
    assert isinstance(devices.cash_drawer, NoCashDrawer) and devices.cash_drawer.label == "No cash drawer configured"
    for adapter in (devices.terminal, devices.sms, devices.cash_drawer):
        assert isinstance(adapter, AdapterInfo)
        assert not adapter.configured and not adapter.is_simulator and adapter.test_controls() is None
    with pytest.raises(DeviceNotConfigured, match=r"No card terminal is configured.*payment_terminal"):
        devices.terminal.charge("k", 100)
    with pytest.raises(DeviceNotConfigured, match="SMS gateway"):
        devices.sms.send("+12065550142", "hi")
    with pytest.raises(DeviceNotConfigured, match="cash drawer"):
        devices.cash_drawer.open("no_sale")
    kick(devices.cash_drawer, "cash_sale")  # no drawer to kick: nothing happens, nothing raised


def test_outside_training_mode_a_stored_simulator_is_refused() -> None:
    s = dataclasses.replace(Settings(), training_mode=False, payment_terminal="simulator", sms_gateway="none")
    devices = build_devices(s)
    assert isinstance(devices.terminal, NoTerminal) and not devices.terminal.configured
    assert isinstance(devices.cash_drawer, NoCashDrawer)
    with pytest.raises(DeviceNotConfigured, match="refused outside training mode"):
        devices.terminal.charge("k", 100)
    assert devices.terminal.reason == "its simulator is refused outside training mode"


def test_the_simulators_test_controls() -> None:
    terminal = SimulatedTerminal()
    cards = terminal.test_controls().cards()
    assert TestCard("amex", "Amex test card ••••0005") in cards and all("4111111111111111" not in c.label
                                                                         for c in cards)
    terminal.test_controls().present_card("mastercard")
    assert terminal.charge("k", 500).last4 == "4444"

    sms = SimulatedSmsGateway()
    message_id = sms.send("+12065550142", "Your code is 123456")
    assert sms.test_controls().message_text(message_id) == "Your code is 123456"
    assert sms.test_controls().message_text("SIM-unknown") is None

    drawer = SimulatedCashDrawer()
    drawer.open("no_sale")
    kick(drawer, "cash_sale")
    assert drawer.test_controls().openings() == ("no_sale", "cash_sale")
