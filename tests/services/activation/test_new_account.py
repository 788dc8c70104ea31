"""A new account and its first line end to end: pool number, physical SIM, a store device paid in full, into the
cart, pending until paid, then exactly one ACTIVATE request per line."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from posapp.db.models import InventoryDevice, PoolNumber, ProvisioningRequest
from posapp.domain.activation import (
    ActivationKind,
    ActivationStatus,
    LineActivationStatus,
    PoolStatus,
    RequestAction,
    SimKind,
)
from posapp.domain.register import InventoryStatus
from posapp.errors import PermissionDenied, ValidationError
from tests.helpers import register as reg
from tests.helpers.accounts import MadeAccount

from .conftest import PLAN, Counter, iccid


def test_new_account_line_pending_until_paid_then_queued(counter: Counter, new_customer: MadeAccount,
                                                         stocked: reg.Stocked) -> None:
    svc, rep = counter.services.activation, counter.rep
    visit = counter.visit(new_customer, level="photo_id")
    act = svc.start(rep, kind=ActivationKind.NEW_ACCOUNT, visit_id=visit)
    assert act.number.startswith("ACT-S001-T01-") and act.status is ActivationStatus.DRAFT
    assert [n.msisdn for n in svc.pool_numbers(area_code="206")] == ["+12065550100", "+12065550101",
                                                                      "+12065550102"]
    act = svc.pick_number(rep, act.id, 1, "(206) 555-0101")
    check = svc.check_device(stocked.imeis[0])
    assert check.inventory_id is not None and check.retail_cents == stocked.retail_cents and not check.problems
    act = svc.set_device(rep, act.id, 1, check)
    body = iccid(7)[:-1]  # 18 digits: the check digit is added, and the rep is told
    act = svc.set_sim(rep, act.id, 1, kind=SimKind.PHYSICAL, iccid=body)
    assert act.lines[0].iccid == iccid(7) and any("check digit was added" in w for w in act.warnings)
    for bad in ("BIZ-PRIORITY", "NO-SUCH"):  # a business feature on a consumer plan; not in the catalog
        with pytest.raises(ValidationError, match="cannot be added to plan"):
            svc.set_plan(rep, act.id, 1, plan_code=PLAN, features=(bad,))
    act = svc.set_plan(rep, act.id, 1, plan_code=PLAN, features=("intl-pass", "INTL-PASS"))
    assert act.lines[0].features == ("INTL-PASS",)

    sale = counter.services.register.cart.open(rep)
    act = svc.to_cart(rep, act.id, sale.id)
    assert act.status is ActivationStatus.PENDING_PAYMENT and act.sale_id == sale.id
    view = counter.services.register.cart.view(sale.id)
    assert [(x.sku, x.unit_price_cents) for x in view.lines] == [
        (stocked.model_code, stocked.retail_cents), ("SIM-KIT", 1000), ("ACT-FEE", 3500)]
    assert counter.requests() == 0, "nothing goes to the carrier before the sale is paid"

    done = counter.pay(sale.id)
    assert done.status == "completed"
    after = svc.view(act.id)
    assert after.status is ActivationStatus.QUEUED and after.lines[0].status is LineActivationStatus.QUEUED
    with counter.services.uow.read() as s:
        reqs = s.scalars(select(ProvisioningRequest)).all()
        assert [(r.action, r.activation_line_id) for r in reqs] == [(RequestAction.ACTIVATE, after.lines[0].id)]
        payload = json.loads(reqs[0].payload)
        assert payload["msisdn"] == "+12065550101" and payload["iccid"] == iccid(7)
        assert payload["imei"] == stocked.imeis[0] and payload["account_number"] == new_customer.account_number
        number = s.scalar(select(PoolNumber).where(PoolNumber.msisdn == "+12065550101"))
        assert number is not None and number.status is PoolStatus.RESERVED
        dev = s.scalar(select(InventoryDevice).where(InventoryDevice.imei == stocked.imeis[0]))
        assert dev is not None and dev.status is InventoryStatus.SOLD
    assert svc.for_sale(sale.id)[0].id == act.id and svc.for_account(new_customer.account_id)[0].id == act.id
    assert [a.id for a in svc.list(status=LineActivationStatus.QUEUED)] == [act.id]


def test_a_new_account_needs_the_photo_id_and_no_lines(counter: Counter, new_customer: MadeAccount,
                                                       make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    bare = counter.visit(new_customer, level="none")
    with pytest.raises(PermissionDenied, match="photo ID"):
        svc.start(rep, kind=ActivationKind.NEW_ACCOUNT, visit_id=bare)
    existing = make_account()
    with pytest.raises(ValidationError, match="already has lines"):
        svc.start(rep, kind=ActivationKind.NEW_ACCOUNT, visit_id=counter.visit(existing))


def test_a_draft_is_incomplete_until_every_part_is_set(counter: Counter, new_customer: MadeAccount) -> None:
    svc, rep = counter.services.activation, counter.rep
    act = svc.start(rep, kind=ActivationKind.NEW_ACCOUNT, visit_id=counter.visit(new_customer, level="photo_id"))
    sale = counter.services.register.cart.open(rep)
    with pytest.raises(ValidationError) as refused:
        svc.to_cart(rep, act.id, sale.id)
    for part in ("pick a number", "choose a plan", "scan a SIM", "scan the device"):
        assert part in str(refused.value)
    assert counter.services.register.cart.view(sale.id).lines == ()


def test_plans_list_the_features_each_may_add(counter: Counter, new_customer: MadeAccount) -> None:
    plans = {p.code: p for p in counter.services.activation.plans()}
    assert PLAN in plans
    codes = {f.code for f in plans[PLAN].features}  # a postpaid consumer plan
    assert {"INTL-PASS", "FAMILY-MODE"} <= codes
    assert not codes & {"HOTSPOT-PRE", "BIZ-PRIORITY", "PROTECT-LEG"}  # prepaid, business, retired
