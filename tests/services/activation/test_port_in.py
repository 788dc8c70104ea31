"""Port-in: the transfer PIN is held in the OS keyring (a real Secret Service, scripts/with-keyring.sh), never in
the database file, its WAL, the outbox, the audit or the queued payload; the DTO warns to keep the old service; a
rejected port is fixed and queued again with a new request id and attempt + 1."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from posapp.db.models import ActivationLine, PortIn, ProvisioningRequest
from posapp.domain.activation import ActivationKind, LineActivationStatus, PortStatus, RequestAction, SimKind
from posapp.errors import ValidationError
from posapp.security.transfer_pins import drop_transfer_pin, read_transfer_pin
from posapp.services.activation.dto import PortInForm
from posapp.services.activation.views import PORT_WARNING
from tests.helpers import register as reg
from tests.helpers.accounts import MadeAccount

from .conftest import PLAN, Counter, iccid

PIN = "739204618350917"  # 15 digits: no chance of turning up in a hex id by accident
NEW_PIN = "480615273904186"


def _form(pin: str = PIN, **changes: object) -> PortInForm:
    fields: dict[str, object] = dict(msisdn="(503) 555-0199", old_carrier="Other Wireless",
                                     old_account_number="AC-55501234", transfer_pin=pin, name="Ana Lopez",
                                     billing_zip="98101")
    fields.update(changes)
    return PortInForm(**fields)  # type: ignore[arg-type]


def _files(counter: Counter) -> list[Path]:
    return [p for p in counter.services.core.paths.root.rglob("*") if p.is_file()]


def test_port_in_pin_in_the_keyring_only_then_resubmit(counter: Counter, secret_service: object,
                                                       make_account: Callable[..., MadeAccount],
                                                       stocked: reg.Stocked) -> None:
    svc, rep, services = counter.services.activation, counter.rep, counter.services
    store, terminal = services.core.settings.store_id, services.core.settings.terminal_id
    acct = make_account(financed=False)
    act = svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=counter.visit(acct))
    with pytest.raises(ValidationError, match="transfer PIN"):
        svc.set_port_in(rep, act.id, 1, _form(pin="12"))
    with pytest.raises(ValidationError, match="already a line"):
        svc.set_port_in(rep, act.id, 1, _form(msisdn=acct.msisdns[0]))
    svc.pick_number(rep, act.id, 1, "2065550100")
    act = svc.set_port_in(rep, act.id, 1, _form())  # replaces the pool number
    port = act.lines[0].port_in
    assert port is not None and port.pin_held and port.old_account_masked.endswith("1234")
    assert PORT_WARNING in act.warnings and act.lines[0].msisdn == "+15035550199"
    assert "+12065550100" in {n.msisdn for n in svc.pool_numbers()}, "the pool number went back"
    with services.uow.read() as s:
        line = s.scalar(select(ActivationLine).where(ActivationLine.activation_id == act.id))
        assert line is not None
        row = s.scalar(select(PortIn).where(PortIn.activation_line_id == line.id))
        assert row is not None
        port_id, line_id = row.id, line.id
    try:
        assert read_transfer_pin(store, terminal, port_id) == PIN
        svc.set_device(rep, act.id, 1, svc.check_device(stocked.imeis[0]))
        svc.set_sim(rep, act.id, 1, kind=SimKind.PHYSICAL, iccid=iccid(20))
        svc.set_plan(rep, act.id, 1, plan_code=PLAN)
        sale = services.register.cart.open(rep)
        svc.to_cart(rep, act.id, sale.id)
        counter.pay(sale.id)
        with services.uow.read() as s:
            [req] = s.scalars(select(ProvisioningRequest)).all()
            first_id = req.id
            payload = json.loads(req.payload)
        assert req.action is RequestAction.PORT_IN and payload["port_in_id"] == str(port_id)
        assert payload["port"]["old_account_number"] == "AC-55501234" and PIN not in req.payload
        assert svc.view(act.id).lines[0].port_in.attempt == 1  # type: ignore[union-attr]
        with pytest.raises(ValidationError, match="rejected"):
            svc.resubmit_port_in(rep, line_id, _form(NEW_PIN))

        with services.uow.write(rep) as tx:  # the carrier's answer (the sender's part): rejected, PIN invalid
            tx.session.execute(update(PortIn).where(PortIn.id == port_id).values(
                status=PortStatus.REJECTED, reason_code="PIN_INVALID", reason="Transfer PIN invalid"))
            tx.session.execute(update(ActivationLine).where(ActivationLine.id == line_id).values(
                status=LineActivationStatus.REJECTED, reason="Transfer PIN invalid"))
        again = svc.resubmit_port_in(rep, line_id, _form(NEW_PIN))
        fixed = again.lines[0]
        assert fixed.status is LineActivationStatus.QUEUED and fixed.port_in is not None
        assert (fixed.port_in.attempt, fixed.port_in.status, fixed.port_in.reason) == (2, PortStatus.DRAFT, None)
        assert read_transfer_pin(store, terminal, port_id) == NEW_PIN
        with services.uow.read() as s:
            ids = [r.id for r in s.scalars(select(ProvisioningRequest).order_by(ProvisioningRequest.created_at))]
        assert len(ids) == 2 and ids[0] == first_id and ids[1] != first_id, "a new request id"

        services.core.db.read_sessions().close()
        for path in _files(counter):  # database, WAL, logs: no PIN anywhere (outbox and audit are in the file)
            data = path.read_bytes()
            assert PIN.encode() not in data and NEW_PIN.encode() not in data, path
        assert any(p.name.endswith("-wal") for p in _files(counter)), "the WAL was scanned too"
    finally:
        drop_transfer_pin(store, terminal, port_id)


def test_port_in_form_is_validated_before_anything_is_held(counter: Counter,
                                                          make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    act = svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=counter.visit(make_account(financed=False)))
    for bad, match in ((dict(billing_zip="9810"), "ZIP"), (dict(name=" "), "name"),
                       (dict(old_carrier=""), "old carrier"), (dict(msisdn="555"), "phone number"),
                       (dict(msisdn="(206) 555-0101"), "own number pool")):
        with pytest.raises(ValidationError, match=match):
            svc.set_port_in(rep, act.id, 1, _form(**bad))
    assert svc.view(act.id).lines[0].port_in is None
    with pytest.raises(Exception, match="No port-in"):
        svc.resubmit_port_in(rep, uuid.uuid4(), _form())
