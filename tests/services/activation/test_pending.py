"""Pending until paid: nothing is queued before the sale completes, exactly one request per line after; a voided
sale or a cart line taken out returns the order to draft; the commit fails cleanly when a line's pool number or
device went elsewhere; cancelling releases everything; refusals write nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select, update

from posapp.db.models import AccountMember, Activation, ActivationLine, AuditEvent, InventoryDevice, PoolNumber
from posapp.domain.activation import ActivationKind, ActivationStatus, LineActivationStatus, PoolStatus, SimKind
from posapp.domain.enums import MemberRole
from posapp.domain.register import InventoryStatus
from posapp.errors import PermissionDenied, ValidationError
from posapp.services.activation.dto import ActivationDTO
from posapp.services.customers import CustomerDraft
from tests.helpers import register as reg
from tests.helpers.accounts import MadeAccount

from .conftest import PLAN, Counter, iccid


def _draft(counter: Counter, acct: MadeAccount, stocked: reg.Stocked, *, lines: int = 1) -> ActivationDTO:
    svc, rep = counter.services.activation, counter.rep
    act = svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=counter.visit(acct))
    for n in range(1, lines + 1):
        if n > 1:
            act = svc.add_line(rep, act.id)
        svc.set_device(rep, act.id, n, svc.check_device(stocked.imeis[n - 1]))
        svc.set_sim(rep, act.id, n, kind=SimKind.PHYSICAL, iccid=iccid(100 + n))
        svc.pick_number(rep, act.id, n, f"206555010{n - 1}")
        act = svc.set_plan(rep, act.id, n, plan_code=PLAN)
    return act


def _pool(counter: Counter, msisdn: str) -> PoolStatus:
    with counter.services.uow.read() as s:
        row = s.scalar(select(PoolNumber).where(PoolNumber.msisdn == msisdn))
        assert row is not None
        return row.status


def _stock(counter: Counter, imei: str) -> InventoryStatus:
    with counter.services.uow.read() as s:
        row = s.scalar(select(InventoryDevice).where(InventoryDevice.imei == imei))
        assert row is not None
        return row.status


def test_voided_sale_returns_the_order_to_draft_and_queues_nothing(
        counter: Counter, make_account: Callable[..., MadeAccount], stocked: reg.Stocked) -> None:
    svc, cart, rep = counter.services.activation, counter.services.register.cart, counter.rep
    act = _draft(counter, make_account(financed=False), stocked, lines=2)
    sale = cart.open(rep)
    svc.to_cart(rep, act.id, sale.id)
    assert _stock(counter, stocked.imeis[0]) is InventoryStatus.RESERVED
    cart.void(rep, sale.id, reason="customer left")
    back = svc.view(act.id)
    assert back.status is ActivationStatus.DRAFT and back.sale_id is None
    assert {x.status for x in back.lines} == {LineActivationStatus.DRAFT}
    assert _stock(counter, stocked.imeis[0]) is InventoryStatus.IN_STOCK
    assert _pool(counter, "+12065550100") is PoolStatus.RESERVED, "the draft keeps its numbers"
    assert counter.requests() == 0
    again = cart.open(rep)
    svc.to_cart(rep, act.id, again.id)
    counter.pay(again.id)
    assert counter.requests() == 2, "exactly one request per line"
    assert svc.view(act.id).status is ActivationStatus.QUEUED


def test_taking_a_line_out_of_the_cart_takes_the_whole_order_out(
        counter: Counter, make_account: Callable[..., MadeAccount], stocked: reg.Stocked) -> None:
    svc, cart, rep = counter.services.activation, counter.services.register.cart, counter.rep
    act = _draft(counter, make_account(financed=False), stocked)
    sale = cart.open(rep)
    cart.add_accessory(rep, sale.id, reg.CASE_UPC)
    svc.to_cart(rep, act.id, sale.id)
    fee = next(x for x in cart.view(sale.id).lines if x.sku == "ACT-FEE")
    view = cart.remove_line(rep, sale.id, fee.line_no)
    skus = [x.sku for x in view.lines]
    assert len(skus) == 1 and skus[0] not in ("SIM-KIT", stocked.model_code), "the order went out with its fee"
    assert _stock(counter, stocked.imeis[0]) is InventoryStatus.IN_STOCK
    assert svc.view(act.id).status is ActivationStatus.DRAFT
    counter.pay(sale.id)
    assert counter.requests() == 0 and svc.view(act.id).status is ActivationStatus.DRAFT


def test_a_pool_number_reserved_by_one_draft_cannot_be_picked_by_another(
        counter: Counter, make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    first = svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=counter.visit(make_account(financed=False)))
    other = make_account("Bo", "Kim", "(206) 555-0150", financed=False)
    second = svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=counter.visit(other))
    svc.pick_number(rep, first.id, 1, "2065550102")
    with pytest.raises(ValidationError, match="reserved; pick another"):
        svc.pick_number(rep, second.id, 1, "2065550102")
    assert "+12065550102" not in {n.msisdn for n in svc.pool_numbers()}
    svc.pick_number(rep, first.id, 1, "2065550101")  # picking another releases the first
    assert svc.pick_number(rep, second.id, 1, "2065550102").lines[0].msisdn == "+12065550102"
    svc.cancel(rep, first.id, reason="changed their mind")
    assert _pool(counter, "+12065550101") is PoolStatus.AVAILABLE


def test_the_commit_fails_when_the_number_went_to_another_line(
        counter: Counter, make_account: Callable[..., MadeAccount], stocked: reg.Stocked) -> None:
    svc, cart, rep = counter.services.activation, counter.services.register.cart, counter.rep
    act = _draft(counter, make_account(financed=False), stocked)
    sale = cart.open(rep)
    svc.to_cart(rep, act.id, sale.id)
    with counter.services.uow.write(rep) as tx:  # e.g. a sync collision gave the number to another terminal's line
        tx.session.execute(update(PoolNumber).where(PoolNumber.msisdn == "+12065550100")
                           .values(status=PoolStatus.ASSIGNED, reserved_by_line_id=None))
    with pytest.raises(ValidationError, match=r"\(206\) 555-0100 is no longer reserved"):
        counter.pay(sale.id)
    assert cart.view(sale.id).status == "open" and counter.requests() == 0
    assert svc.view(act.id).status is ActivationStatus.PENDING_PAYMENT


def test_cancel_releases_numbers_devices_and_cart_lines(counter: Counter, make_account: Callable[..., MadeAccount],
                                                        stocked: reg.Stocked) -> None:
    svc, cart, rep = counter.services.activation, counter.services.register.cart, counter.rep
    act = _draft(counter, make_account(financed=False), stocked, lines=2)
    sale = cart.open(rep)
    svc.to_cart(rep, act.id, sale.id)
    with pytest.raises(ValidationError, match="reason"):
        svc.cancel(rep, act.id, reason=" ")
    done = svc.cancel(rep, act.id, reason="customer left")
    assert done.status is ActivationStatus.CANCELLED
    assert cart.view(sale.id).lines == ()
    assert _stock(counter, stocked.imeis[1]) is InventoryStatus.IN_STOCK
    assert {_pool(counter, "+12065550100"), _pool(counter, "+12065550101")} == {PoolStatus.AVAILABLE}
    with pytest.raises(ValidationError, match="cancelled"):
        svc.add_line(rep, act.id)


def _rows(counter: Counter) -> tuple[int, int]:
    with counter.services.uow.read() as s:
        return (int(s.scalar(select(func.count()).select_from(Activation)) or 0),
                int(s.scalar(select(func.count()).select_from(ActivationLine)) or 0))


def test_unverified_visit_and_restricted_role_are_refused_with_nothing_written(
        counter: Counter, make_account: Callable[..., MadeAccount]) -> None:
    svc, rep, services = counter.services.activation, counter.rep, counter.services
    acct = make_account(financed=False)
    with pytest.raises(PermissionDenied, match="Verify the customer first"):
        svc.start(rep, kind=ActivationKind.UPGRADE, visit_id=counter.visit(acct, level="none"),
                  line_id=acct.line_ids[0])
    kid = services.customers.create(rep, CustomerDraft(first_name="Kid", last_name="Lopez", phone="(206) 555-0143"),
                                    confirmed_new=True)
    with services.uow.write(rep) as tx:
        tx.add(AccountMember(account_id=acct.account_id, customer_id=kid.customer_id, role=MemberRole.RESTRICTED))
    for role in (MemberRole.RESTRICTED, MemberRole.STANDARD):
        with services.uow.write(rep) as tx:
            tx.session.execute(update(AccountMember).where(AccountMember.account_id == acct.account_id,
                                                           AccountMember.customer_id == kid.customer_id)
                               .values(role=role))
        visit = counter.visit(acct, customer_id=kid.customer_id)
        for kind in (ActivationKind.ADD_LINE, ActivationKind.SIM_CHANGE):
            with pytest.raises(PermissionDenied, match=role.value.title()):
                svc.start(rep, kind=kind, visit_id=visit, line_id=acct.line_ids[0])
    assert _rows(counter) == (0, 0)
    with services.uow.read() as s:
        refused = s.scalars(select(AuditEvent.details).where(AuditEvent.action == "activation.refused")).all()
    assert len(refused) == 5, "every refusal is audited (and kept)"


def test_a_draft_left_when_the_visit_ended_can_only_be_cancelled(counter: Counter,
                                                                 make_account: Callable[..., MadeAccount]) -> None:
    svc, rep = counter.services.activation, counter.rep
    acct = make_account(financed=False)
    visit = counter.visit(acct)
    act = svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=visit)
    svc.pick_number(rep, act.id, 1, "2065550100")
    counter.services.verification.end_visit(rep, visit)
    with pytest.raises(ValidationError, match="visit has ended"):
        svc.set_plan(rep, act.id, 1, plan_code=PLAN)
    assert svc.cancel(rep, act.id, reason="visit ended").status is ActivationStatus.CANCELLED
    assert _pool(counter, "+12065550100") is PoolStatus.AVAILABLE


def test_the_commit_fails_when_the_store_device_was_sold_meanwhile(
        counter: Counter, make_account: Callable[..., MadeAccount], stocked: reg.Stocked) -> None:
    svc, cart, rep = counter.services.activation, counter.services.register.cart, counter.rep
    act = _draft(counter, make_account(financed=False), stocked)
    sale = cart.open(rep)
    svc.to_cart(rep, act.id, sale.id)
    with counter.services.uow.write(rep) as tx:  # e.g. sold at another terminal and synced in
        tx.session.execute(update(InventoryDevice).where(InventoryDevice.imei == stocked.imeis[0])
                           .values(status=InventoryStatus.SOLD, reserved_by_sale_id=None))
    with pytest.raises(ValidationError, match="no longer reserved"):
        counter.pay(sale.id)
    assert counter.requests() == 0 and svc.view(act.id).status is ActivationStatus.PENDING_PAYMENT
