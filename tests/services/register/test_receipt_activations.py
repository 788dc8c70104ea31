"""A sale with activations: its receipt gets one summary per activation line (number last 4, plan, device and
IMEI, SIM by ICCID last 5 or eSIM with the masked code only, pending until active) and the EIP summary from the
financing agreement; read back from the PDF with poppler. A sale without activations keeps its canonical form."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from posapp.db.models import DeviceModel, FinancingAgreement, Sale
from posapp.db.models.activation import Activation, ActivationLine
from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    DeviceSource,
    LineActivationStatus,
    NumberSource,
    SimKind,
)
from posapp.receipts.canonical import to_canonical_dict
from posapp.services.registry import Services
from tests.helpers import staff
from tests.helpers.accounts import MadeAccount
from tests.helpers.receipts import sell
from tests.receipts.tools import pdftotext

ICCID = "8901260882298765432"
MASKED_CODE = "LPA:1$\u2022\u2022\u2022\u2022"


def _attach(services: Services, employees: staff.Staff, receipt_no: str, acct: MadeAccount) -> uuid.UUID:
    """An activation on the sale: line 1 a new eSIM line, line 2 a financed upgrade on a physical SIM."""
    with services.uow.write(employees.rep) as tx:
        sale = tx.session.scalars(select(Sale).where(Sale.receipt_no == receipt_no)).one()
        agreement = tx.session.scalars(select(FinancingAgreement).where(
            FinancingAgreement.account_id == acct.account_id)).first()
        assert agreement is not None
        model = tx.session.get(DeviceModel, "APL-IP15-128")
        assert model is not None
        act = Activation(number="0412-T1-0042", kind=ActivationKind.ADD_LINE, status=ActivationStatus.QUEUED,
                         account_id=acct.account_id, customer_id=acct.customer_id,
                         employee_id=employees.rep.employee_id, sale_id=sale.id, paid_at=tx.now)
        tx.add(act)
        tx.add(ActivationLine(activation_id=act.id, line_no=1, status=LineActivationStatus.QUEUED,
                              number_source=NumberSource.POOL, msisdn="+14255550187", plan_code="UNL-PLUS",
                              features='["INTL-CALL"]', device_source=DeviceSource.STORE, imei=acct.imeis[0],
                              model_code=model.code, sim_kind=SimKind.ESIM, eid="8904" + "0" * 26 + "17",
                              esim_code_masked=MASKED_CODE))
        tx.add(ActivationLine(activation_id=act.id, line_no=2, status=LineActivationStatus.ON_HOLD,
                              reason="Carrier review", line_id=acct.line_ids[0],
                              number_source=NumberSource.EXISTING, msisdn=acct.msisdns[0], plan_code="UNL-PLUS",
                              device_source=DeviceSource.STORE, imei=acct.imeis[0], model_code=model.code,
                              sim_kind=SimKind.PHYSICAL, iccid=ICCID, financed=True, down_payment_cents=7999,
                              eip_months=24, agreement_id=agreement.id))
        return act.id


@pytest.mark.parametrize("fmt", ["thermal", "letter"])
def test_receipt_with_activations(services: Services, employees: staff.Staff,
                                  make_account: Callable[..., MadeAccount], tmp_path: Path, fmt: str) -> None:
    acct = make_account(financed=True)
    no = sell(services, employees)
    _attach(services, employees, no, acct)
    r = services.receipts.receipt_for(no)
    assert [(a.line_no, a.number_last4, a.sim, a.status) for a in r.activations] == [
        (1, "0187", f"eSIM, code {MASKED_CODE}", "Activation pending"),
        (2, acct.msisdns[0][-4:], "ICCID ending 65432", "Activation pending (on hold: Carrier review)")]
    assert r.activations[0].plan == "Unlimited Plus + International calling (70+ countries)"
    assert r.activations[0].device == "Apple iPhone 15 128 GB" and r.activations[0].imei == acct.imeis[0]
    labels = [s.label for s in r.eip_summary]
    assert "Financed amount" in labels and "Down payment" in labels and "Monthly payment" in labels
    assert dict((s.label, s.amount_cents) for s in r.eip_summary)["Financed amount"] == 72000
    pdf = services.receipts.render(no, fmt, tmp_path / f"r-{fmt}.pdf")  # type: ignore[arg-type]
    text = pdftotext(pdf)
    flat = " ".join(text.split())
    assert "Activations" in flat and flat.count("Activation pending") == 2
    assert "number ending 0187" in flat and "4255550187" not in flat
    assert acct.msisdns[0][2:] not in flat  # the account's own number: last 4 only
    assert ICCID not in flat and "ICCID ending 65432" in flat and MASKED_CODE in flat
    assert "$720.00" in flat and "24 monthly payments of $30.00" in flat
    assert services.receipts.verify(no, pdf).ok


def test_status_moves_to_active_and_no_activation_no_section(services: Services, employees: staff.Staff,
                                                             make_account: Callable[..., MadeAccount]) -> None:
    acct = make_account(financed=True)
    no = sell(services, employees)
    plain = services.receipts.receipt_for(no)
    assert "activations" not in to_canonical_dict(plain) and plain.activations == ()
    act_id = _attach(services, employees, no, acct)
    with services.uow.write(employees.rep) as tx:
        for line in tx.session.scalars(select(ActivationLine).where(ActivationLine.activation_id == act_id)):
            line.status = LineActivationStatus.ACTIVE if line.line_no == 1 else LineActivationStatus.FAILED
            line.reason = None if line.line_no == 1 else "IMEI blocked"
    r = services.receipts.receipt_for(no)
    assert [a.status for a in r.activations] == ["Active", "Activation failed: IMEI blocked"]
    assert "activations" in to_canonical_dict(r)


def test_a_copy_printed_while_pending_still_verifies_once_active(services: Services, employees: staff.Staff,
                                                                 make_account: Callable[..., MadeAccount],
                                                                 tmp_path: Path) -> None:
    acct = make_account(financed=True)
    no = sell(services, employees)
    act_id = _attach(services, employees, no, acct)
    pending = services.receipts.render(no, "thermal", tmp_path / "pending.pdf")
    assert "Activation pending" in pdftotext(pending)
    with services.uow.write(employees.rep) as tx:
        for line in tx.session.scalars(select(ActivationLine).where(ActivationLine.activation_id == act_id)):
            line.status = LineActivationStatus.ACTIVE
    reprint = services.receipts.render(no, "thermal", tmp_path / "active.pdf")
    flat = " ".join(pdftotext(reprint).split())
    assert "Status: Active" in flat and "Activation pending" not in flat
    assert services.receipts.verify(no, reprint).ok
    assert services.receipts.verify(no, pending).ok  # printed while pending: the status is as printed
    with services.uow.write(employees.rep) as tx:  # a change to anything else on the line is caught
        line = tx.session.scalars(select(ActivationLine).where(ActivationLine.line_no == 1)).one()
        line.imei = "356938035643809"
    assert not services.receipts.verify(no, pending).ok
