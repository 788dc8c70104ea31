"""Bring your own device: the IMEI's model by TAC, compatibility and the block list (simulator) decide; every reason
is listed; a clear device goes through to one ACTIVATE request carrying its IMEI."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from posapp.adapters.block_list import SimulatedBlockList
from posapp.db.models import Device, ProvisioningRequest
from posapp.domain.activation import ActivationKind, DeviceSource, SimKind
from posapp.domain.enums import DeviceStatus
from posapp.errors import ValidationError
from tests.helpers import register as reg
from tests.helpers.accounts import MadeAccount

from .conftest import BLOCKED_IMEI, BYOD_IMEI, PLAN, UNKNOWN_TAC_IMEI, Counter, iccid


@pytest.fixture
def catalog_models(counter: Counter, stocked: reg.Stocked) -> None:
    """The device catalog (stocking loads it)."""


def test_block_listed_imei_is_refused(counter: Counter, catalog_models: None,
                                      make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    check = svc.check_device(BLOCKED_IMEI)
    assert check.compatible and check.block_result == "blocked"
    assert check.problems == ("This device is on the block list (reported stolen); it cannot be activated.",)
    act = svc.start(rep, kind=ActivationKind.BYOD, visit_id=counter.visit(make_account(financed=False)))
    with pytest.raises(ValidationError, match="block list"):
        svc.set_device(rep, act.id, 1, check)
    assert svc.view(act.id).lines[0].imei is None


def test_unknown_tac_and_an_unreachable_block_list_are_refused(counter: Counter, catalog_models: None) -> None:
    svc = counter.services.activation
    unknown = svc.check_device(UNKNOWN_TAC_IMEI)
    assert not unknown.compatible and unknown.model_code is None and unknown.model_name.startswith("Unknown device")
    assert len(unknown.problems) == 1 and "not in the carrier's catalog" in unknown.problems[0]
    block_list = counter.services.block_list
    assert isinstance(block_list, SimulatedBlockList) and block_list.label.startswith("BLOCK LIST SIMULATOR")
    controls = block_list.test_controls()
    controls.set_offline(True)
    offline = svc.check_device(BYOD_IMEI)
    assert offline.block_result == "unknown" and "could not be checked" in offline.problems[0]
    controls.set_offline(False)
    assert svc.check_device(BYOD_IMEI).problems == ()
    with pytest.raises(ValidationError, match="15 digits"):
        svc.check_device("3539064290000")
    with pytest.raises(ValidationError, match="IMEISV"):
        svc.check_device(BYOD_IMEI[:14] + "12")


def test_byod_line_end_to_end(counter: Counter, catalog_models: None, stocked: reg.Stocked,
                              make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    act = svc.start(rep, kind=ActivationKind.BYOD, visit_id=counter.visit(make_account(financed=False)))
    with pytest.raises(ValidationError, match="store stock"):
        svc.set_device(rep, act.id, 1, svc.check_device(stocked.imeis[0]))
    act = svc.set_device(rep, act.id, 1, svc.check_device(BYOD_IMEI))
    assert act.lines[0].device_source is DeviceSource.OWN and act.lines[0].model_name == "Apple iPhone 16 128 GB"
    svc.set_sim(rep, act.id, 1, kind=SimKind.PHYSICAL, iccid=iccid(9))
    svc.pick_number(rep, act.id, 1, "2065550100")
    svc.set_plan(rep, act.id, 1, plan_code=PLAN)
    sale = counter.services.register.cart.open(rep)
    svc.to_cart(rep, act.id, sale.id)
    assert [x.sku for x in counter.services.register.cart.view(sale.id).lines] == ["SIM-KIT", "ACT-FEE"]
    counter.pay(sale.id)
    with counter.services.uow.read() as s:
        [req] = s.scalars(select(ProvisioningRequest)).all()
    assert json.loads(req.payload)["imei"] == BYOD_IMEI


def test_an_own_device_activated_meanwhile_fails_the_commit(counter: Counter, catalog_models: None,
                                                            make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    acct = make_account(financed=False)
    act = svc.start(rep, kind=ActivationKind.BYOD, visit_id=counter.visit(acct))
    svc.set_device(rep, act.id, 1, svc.check_device(BYOD_IMEI))
    svc.set_sim(rep, act.id, 1, kind=SimKind.PHYSICAL, iccid=iccid(10))
    svc.pick_number(rep, act.id, 1, "2065550101")
    svc.set_plan(rep, act.id, 1, plan_code=PLAN)
    sale = counter.services.register.cart.open(rep)
    svc.to_cart(rep, act.id, sale.id)
    with counter.services.uow.write(rep) as tx:
        tx.add(Device(imei=BYOD_IMEI, model_code="IP16-128", account_id=acct.account_id, line_id=acct.line_ids[0],
                      status=DeviceStatus.IN_USE, sold_by_carrier=False))
    with pytest.raises(ValidationError, match="already active on a line"):
        counter.pay(sale.id)
    assert counter.requests() == 0
