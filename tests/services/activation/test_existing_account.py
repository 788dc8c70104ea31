"""Orders on an existing account: add a line with eSIM, an upgrade financed on EIP (agreement on payment), a SIM
change from physical to eSIM (refused with SIM Protection), each up to "queued after payment"."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from posapp.db.models import Device, FinancingAgreement, ProvisioningRequest
from posapp.domain.activation import ActivationKind, ActivationStatus, DeviceSource, RequestAction, SimKind
from posapp.domain.enums import DeviceStatus, FinancingStatus
from posapp.errors import PermissionDenied, ValidationError
from posapp.services.activation.dto import EipTerms
from tests.helpers import register as reg
from tests.helpers.accounts import MadeAccount

from .conftest import BYOD_IMEI, NO_ESIM_IMEI, PLAN, Counter, eid


def _actions(counter: Counter) -> list[tuple[RequestAction, dict[str, object]]]:
    with counter.services.uow.read() as s:
        return [(r.action, json.loads(r.payload)) for r in s.scalars(select(ProvisioningRequest))]


def test_add_a_line_with_esim(counter: Counter, make_account: Callable[..., MadeAccount],
                              stocked: reg.Stocked) -> None:
    svc, rep = counter.services.activation, counter.rep
    acct = make_account(financed=False)
    with pytest.raises(PermissionDenied, match="step-up"):
        svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=counter.visit(acct, level="verified"))
    act = svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=counter.visit(acct))
    act = svc.set_device(rep, act.id, 1, svc.check_device(stocked.imeis[1]))
    act = svc.set_sim(rep, act.id, 1, kind=SimKind.ESIM, eid=eid(1))
    act = svc.pick_number(rep, act.id, 1, "2065550100")
    act = svc.set_plan(rep, act.id, 1, plan_code=PLAN)
    sale = counter.services.register.cart.open(rep)
    svc.to_cart(rep, act.id, sale.id)
    skus = [x.sku for x in counter.services.register.cart.view(sale.id).lines]
    assert skus == [stocked.model_code, "ESIM-PROFILE", "ACT-FEE"]
    counter.pay(sale.id)
    assert svc.view(act.id).status is ActivationStatus.QUEUED
    [(action, payload)] = _actions(counter)
    assert action is RequestAction.ACTIVATE and payload["eid"] == eid(1) and "iccid" not in payload
    assert payload["sim_kind"] == "esim"


def test_esim_needs_an_esim_capable_device(counter: Counter, make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    counter.services.register.stock.ensure_catalog(counter.employees.admin, _models())
    act = svc.start(rep, kind=ActivationKind.BYOD, visit_id=counter.visit(make_account(financed=False)))
    with pytest.raises(ValidationError, match="Scan the device first"):
        svc.set_sim(rep, act.id, 1, kind=SimKind.ESIM, eid=eid(2))
    check = svc.check_device(NO_ESIM_IMEI)
    assert not check.esim_capable and not check.problems
    svc.set_device(rep, act.id, 1, check)
    with pytest.raises(ValidationError, match="cannot take an eSIM"):
        svc.set_sim(rep, act.id, 1, kind=SimKind.ESIM, eid=eid(2))
    good = eid(2)
    with pytest.raises(ValidationError, match="not an EID"):  # one digit mistyped: mod 97 catches it
        svc.set_sim(rep, act.id, 1, kind=SimKind.ESIM, eid=good[:10] + str((int(good[10]) + 1) % 10) + good[11:])


def _models() -> list[tuple[object, ...]]:
    from posapp.demo.catalog import load_models, model_rows

    return list(model_rows(load_models()))


def test_upgrade_financed_on_eip_gets_its_agreement_on_payment(counter: Counter,
                                                               make_account: Callable[..., MadeAccount],
                                                               stocked: reg.Stocked) -> None:
    svc, rep = counter.services.activation, counter.rep
    acct = make_account()  # its line's device is on an active agreement: the upgrade needs step-up
    with pytest.raises(PermissionDenied, match="step-up"):
        svc.start(rep, kind=ActivationKind.UPGRADE, visit_id=counter.visit(acct, level="verified"),
                  line_id=acct.line_ids[0])
    act = svc.start(rep, kind=ActivationKind.UPGRADE, visit_id=counter.visit(acct), line_id=acct.line_ids[0])
    assert any("not upgrade-eligible" in w and "$420.00" in w for w in act.warnings)  # 300 of 720 paid
    line = act.lines[0]
    assert (line.msisdn, line.plan_code, line.sim_kind, line.iccid) == (acct.msisdns[0], PLAN, SimKind.PHYSICAL,
                                                                        acct.iccids[0])
    act = svc.set_device(rep, act.id, 1, svc.check_device(stocked.imeis[0]))
    retail = stocked.retail_cents
    quote = svc.quote_eip(act.id, 1, EipTerms(down_payment_cents=20_000))
    assert quote.months == 24 and quote.financed_cents == retail - 20_000
    assert quote.monthly_cents * 23 + quote.last_month_cents == quote.financed_cents
    with pytest.raises(ValidationError, match="down payment"):
        svc.quote_eip(act.id, 1, EipTerms(down_payment_cents=retail + 1))
    act = svc.set_financing(rep, act.id, 1, EipTerms(down_payment_cents=20_000))
    assert act.lines[0].financed and act.lines[0].eip == quote
    sale = counter.services.register.cart.open(rep)
    svc.to_cart(rep, act.id, sale.id)
    device_line = counter.services.register.cart.view(sale.id).lines[0]
    assert (device_line.unit_price_cents, device_line.full_retail_cents) == (20_000, retail)
    assert "down payment" in device_line.description
    with counter.services.uow.read() as s:
        assert s.scalar(select(Device).where(Device.imei == stocked.imeis[0])) is None
    done = counter.pay(sale.id)
    [(action, payload)] = _actions(counter)
    assert action is RequestAction.UPGRADE and payload["line_id"] == str(acct.line_ids[0])
    with counter.services.uow.read() as s:
        dev = s.scalar(select(Device).where(Device.imei == stocked.imeis[0]))
        assert dev is not None and dev.status is DeviceStatus.RESERVED and dev.line_id == acct.line_ids[0]
        agreement = s.scalar(select(FinancingAgreement).where(FinancingAgreement.device_id == dev.id))
        assert agreement is not None and agreement.status is FinancingStatus.ACTIVE
        assert (agreement.financed_cents, agreement.balance_cents, agreement.months, agreement.monthly_cents) == (
            quote.financed_cents, quote.financed_cents, 24, quote.monthly_cents)
    assert done.receipt_no is not None
    summary = counter.services.receipts.receipt_for(done.receipt_no).eip_summary
    # the new agreement once, as its terms (the register's before/after snapshot of it printed it a second time)
    assert [x.label for x in summary if "Device financing" in x.label] == [
        f"Device financing, IMEI ending {stocked.imeis[0][-4:]}"]
    assert "24 monthly payments" in summary[0].detail


def test_financing_is_for_store_devices_only(counter: Counter, make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    counter.services.register.stock.ensure_catalog(counter.employees.admin, _models())
    act = svc.start(rep, kind=ActivationKind.BYOD, visit_id=counter.visit(make_account(financed=False)))
    act = svc.set_device(rep, act.id, 1, svc.check_device(BYOD_IMEI))
    assert act.lines[0].device_source is DeviceSource.OWN
    with pytest.raises(ValidationError, match="Only a device bought here"):
        svc.set_financing(rep, act.id, 1, EipTerms(down_payment_cents=0))


def test_sim_change_physical_to_esim_and_sim_protection(counter: Counter,
                                                        make_account: Callable[..., MadeAccount]) -> None:
    svc, rep, accounts = counter.services.activation, counter.rep, counter.services.accounts
    acct = make_account(financed=False)
    visit = counter.visit(acct)
    accounts.set_protection(rep, visit, line_id=acct.line_ids[0], which="sim", on=True)
    with pytest.raises(ValidationError, match="SIM Protection"):
        svc.start(rep, kind=ActivationKind.SIM_CHANGE, visit_id=visit, line_id=acct.line_ids[0])
    accounts.set_protection(rep, visit, line_id=acct.line_ids[0], which="sim", on=False)
    act = svc.start(rep, kind=ActivationKind.SIM_CHANGE, visit_id=visit, line_id=acct.line_ids[0])
    assert act.lines[0].device_source is DeviceSource.KEEP
    with pytest.raises(ValidationError, match="current SIM"):
        svc.set_sim(rep, act.id, 1, kind=SimKind.PHYSICAL, iccid=acct.iccids[0])
    act = svc.set_sim(rep, act.id, 1, kind=SimKind.ESIM, eid=eid(3))
    sale = counter.services.register.cart.open(rep)
    svc.to_cart(rep, act.id, sale.id)
    assert [x.sku for x in counter.services.register.cart.view(sale.id).lines] == ["ESIM-PROFILE"]
    counter.pay(sale.id)
    [(action, payload)] = _actions(counter)
    assert action is RequestAction.SIM_CHANGE and payload["eid"] == eid(3) and payload["msisdn"] == acct.msisdns[0]


def test_sim_protection_turned_on_during_the_draft_refuses_the_sim(counter: Counter,
                                                                   make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    acct = make_account(financed=False)
    visit = counter.visit(acct)
    act = svc.start(rep, kind=ActivationKind.SIM_CHANGE, visit_id=visit, line_id=acct.line_ids[0])
    counter.services.accounts.set_protection(rep, visit, line_id=acct.line_ids[0], which="sim", on=True)
    with pytest.raises(ValidationError, match="SIM Protection"):
        svc.set_sim(rep, act.id, 1, kind=SimKind.ESIM, eid=eid(4))
    assert svc.view(act.id).lines[0].eid is None
