"""Secrets on the carrier's side: the eSIM activation code reaches an ``EsimCodeReady`` subscriber and nothing
else (not the SQLite file, its WAL, the outbox, the audit or the logs — scanned as bytes), and the port-in's
transfer PIN is read from the real OS keyring when sending and dropped once the carrier accepted the port."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from posapp.adapters.provisioning import SimulatedCarrier
from posapp.adapters.sms import SimulatedSmsGateway
from posapp.db.models import ActivationLine, AuditEvent, OutboxEntry, PortIn
from posapp.domain.activation import LineActivationStatus, PortStatus, RequestAction, SimKind
from posapp.events import EsimCodeReady, Event, LineStatusChanged
from posapp.logs import setup_logging
from posapp.security.transfer_pins import hold_transfer_pin, read_transfer_pin
from posapp.services.activation.esim import mask_activation_code
from posapp.services.activation.pins import KeyringTransferPins
from posapp.services.activation.queue import ProvisioningService
from tests.helpers.fixtures import SecretScope
from tests.services.activation.builder import imei, port_details, queued_line
from tests.services.activation.conftest import Rig


@pytest.fixture
def debug_log(services: Any) -> Iterator[Path]:
    path = setup_logging(services.core.paths.logs, level=logging.DEBUG)
    yield path
    for h in list(logging.getLogger().handlers):
        if getattr(h, "_posapp", False):
            logging.getLogger().removeHandler(h)
            h.close()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_the_esim_code_goes_only_to_the_event(services: Any, employees: Any, account: Any, rig: Rig,
                                              debug_log: Path) -> None:
    built = queued_line(services, employees.rep, account_id=account.account_id,
                        account_number=account.account_number, sim_kind=SimKind.ESIM, device_imei=imei(40))
    rig.queue.run_once()
    rig.queue.run_once()
    [ready] = [e for e in rig.events if isinstance(e, EsimCodeReady)]
    assert ready.activation_line_id == built.line_id
    assert re.fullmatch(r"LPA:1\$[a-z.-]+\$[0-9A-F-]{23}", ready.code) and ready.code not in repr(ready)
    with services.uow.read() as s:
        al = s.get(ActivationLine, built.line_id)
        assert al is not None and al.status is LineActivationStatus.ACTIVE
        assert al.esim_code_masked == ready.masked == mask_activation_code(ready.code)
        outbox = " ".join(s.scalars(select(OutboxEntry.payload)))
        audit = " ".join(s.scalars(select(AuditEvent.details)))
    assert "esim_code_masked" in outbox and "activation.line_active" in " ".join(
        a.action for a in _audit_rows(services))
    matching_id = ready.code.rsplit("$", 1)[1]
    for text in (outbox, audit):
        assert ready.code not in text and matching_id not in text
    assert not any(ready.code in str(e) for e in rig.events if isinstance(e, LineStatusChanged))
    logging.getLogger("posapp").info("flush marker")
    for h in logging.getLogger().handlers:
        h.flush()
    files = _files(services.core.paths.root)
    names = {p.name for p in files}
    assert services.core.paths.database.name in names and any(n.endswith("-wal") for n in names)
    assert any(n.endswith(".log") for n in names)
    for path in files:
        data = path.read_bytes()
        for secret in (ready.code, matching_id, matching_id.replace("-", "")):
            assert secret.encode() not in data, f"{secret[:8]}… in {path.name}"


def _audit_rows(services: Any) -> list[AuditEvent]:
    with services.uow.read() as s:
        rows = list(s.scalars(select(AuditEvent)))
        s.expunge_all()
        return rows


def test_the_transfer_pin_is_read_from_the_keyring_and_dropped_after_acceptance(
        services: Any, employees: Any, account: Any, secret_service: SecretScope) -> None:
    scope = secret_service
    carrier = SimulatedCarrier(delay_s=0)
    queue = ProvisioningService(uow=services.uow, carrier=carrier, sms=SimulatedSmsGateway(),
                                pins=KeyringTransferPins(ids=lambda: (scope.store_id, scope.terminal_id)))
    events: list[Event] = []
    services.core.events.subscribe(events.append)
    built = queued_line(services, employees.rep, account_id=account.account_id,
                        account_number=account.account_number, action=RequestAction.PORT_IN,
                        msisdn="+12065550181", port=port_details())
    assert built.port_in_id is not None
    hold_transfer_pin(scope.store_id, scope.terminal_id, built.port_in_id, "4417")
    queue.run_once()  # the carrier accepted the port (submitted): the PIN is gone
    assert read_transfer_pin(scope.store_id, scope.terminal_id, built.port_in_id) is None
    with services.uow.read() as s:
        port = s.get(PortIn, built.port_in_id)
        assert port is not None and not port.pin_held and port.status is PortStatus.IN_PROGRESS
    queue.run_once()
    with services.uow.read() as s:  # the listed number's PIN was right: it came from the keyring
        port = s.get(PortIn, built.port_in_id)
        assert port is not None and port.status is PortStatus.COMPLETED
    assert carrier.test_controls().completed("+12065550181") == ("port_in",)
