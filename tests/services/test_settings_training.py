"""Going live is an explicit, audited admin step, refused while any device is a simulator; a simulator is
refused outside training mode, and an inconsistent stored state starts with the device "not configured"."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import select

from posapp.adapters.payment_terminal import SimulatedTerminal
from posapp.adapters.sms import SimulatedSmsGateway
from posapp.adapters.unconfigured import NoCashDrawer, NoSmsGateway, NoTerminal
from posapp.db.models import AuditEvent
from posapp.errors import ValidationError
from posapp.paths import DataPaths
from posapp.services.registry import Services
from tests.helpers import staff

ALL_NONE = {"payment_terminal": "none", "sms_gateway": "none", "cash_drawer": "none", "provisioning": "none",
            "block_list": "none"}


def test_a_new_install_is_in_training_mode_with_simulators(services: Services) -> None:
    s = services.settings.current()
    assert s.training_mode and (s.payment_terminal, s.sms_gateway, s.cash_drawer) == ("simulator",) * 3
    assert services.register.terminal.is_simulator and services.sms.is_simulator
    assert services.register.cash_drawer.is_simulator and services.device_problems() == []


def test_going_live_is_refused_while_a_simulator_is_set(services: Services, employees: staff.Staff) -> None:
    with pytest.raises(ValidationError, match="card terminal, SMS gateway, cash drawer, carrier provisioning and "
                                              "block list are simulators"):
        services.settings.update(employees.admin, {"training_mode": "false"})
    services.settings.update(employees.admin, {"sms_gateway": "none", "cash_drawer": "none", "provisioning": "none",
                                               "block_list": "none"})
    with pytest.raises(ValidationError) as refused:
        services.settings.update(employees.admin, {"training_mode": "false"})
    assert str(refused.value) == ("Training mode stays on: the card terminal is a simulator; configure a real one "
                                  "or set payment_terminal none first.")
    assert services.settings.current().training_mode is True


def test_going_live_is_refused_while_a_simulator_still_runs(services: Services, employees: staff.Staff) -> None:
    services.settings.update(employees.admin, ALL_NONE)  # device settings take effect at the next start
    with pytest.raises(ValidationError, match=r"still in use on this terminal.*restart posapp"):
        services.settings.update(employees.admin, {"training_mode": False})
    assert services.settings.current().training_mode is True


def test_going_live_after_a_restart_is_audited_and_simulators_are_then_refused(
        data_paths: DataPaths, employees: staff.Staff) -> None:
    first = Services.open(data_paths)
    try:
        first.settings.update(employees.admin, ALL_NONE)
    finally:
        first.close()
    services = Services.open(data_paths)
    try:
        assert isinstance(services.register.terminal, NoTerminal)
        services.settings.update(employees.admin, {"training_mode": "false"})
        assert services.settings.current().training_mode is False
        with pytest.raises(ValidationError, match="Training mode is off: the card terminal cannot be a simulator"):
            services.settings.update(employees.admin, {"payment_terminal": "simulator"})
        with pytest.raises(ValidationError, match="simulator"):  # all or nothing: the store name is not written
            services.settings.update(employees.admin, {"store_name": "X", "sms_gateway": "simulator"})
        assert services.settings.current().store_name != "X"
        services.settings.update(employees.admin, {"store_name": "Live store"})
        with services.uow.read() as s:
            details = [json.loads(d) for d in s.scalars(select(AuditEvent.details).where(
                AuditEvent.action == "settings.update", AuditEvent.entity_id == "training_mode"))]
        assert details == [{"by": "9001", "training_mode": {"from": True, "to": False}}]
        services.settings.update(employees.admin, {"training_mode": True, "payment_terminal": "simulator"})
        assert services.settings.current().payment_terminal == "simulator"  # back to training: allowed
    finally:
        services.close()


def test_an_inconsistent_stored_state_starts_with_the_device_not_configured(data_paths: DataPaths) -> None:
    Services.open(data_paths).close()
    with closing(sqlite3.connect(data_paths.database)) as db, db:  # as a hand edit could leave it
        db.executemany("INSERT INTO setting (key, value, updated_at, updated_by) VALUES (?, ?, ?, 'test')",
                       [("training_mode", "false", "2026-12-01 10:00:00.000000"),
                        ("sms_gateway", '"none"', "2026-12-01 10:00:00.000000")])
    services = Services.open(data_paths)
    try:
        assert services.settings.current().training_mode is False
        assert isinstance(services.register.terminal, NoTerminal)
        assert isinstance(services.register.cash_drawer, NoCashDrawer)
        assert isinstance(services.sms, NoSmsGateway)
        assert services.device_problems() == [
            "No card terminal configured: its simulator is refused outside training mode.",
            "No SMS gateway configured.",
            "No cash drawer configured: its simulator is refused outside training mode.",
            "No carrier provisioning configured: its simulator is refused outside training mode.",
            "No block list configured: its simulator is refused outside training mode."]
    finally:
        services.close()


def test_explicit_adapters_win(data_paths: DataPaths) -> None:
    terminal, sms = SimulatedTerminal(card="amex"), SimulatedSmsGateway()
    services = Services.open(data_paths, terminal=terminal, sms=sms)
    try:
        assert services.register.terminal is terminal and services.sms is sms
    finally:
        services.close()
