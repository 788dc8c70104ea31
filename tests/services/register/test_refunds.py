"""Refunds: by receipt number, linked to the original, limited to what was sold, restocking fees, back to the
original tenders, and a manager's override outside the return window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from posapp.adapters.payment_terminal import SimulatedTerminal
from posapp.errors import PermissionDenied, ValidationError
from posapp.security.permissions import Permission
from posapp.services.register import RefundService
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff
from tests.helpers.receipts import sell_phone_and_cases


def _sell(services: Services, employees: staff.Staff) -> tuple[str, reg.Stocked]:
    return sell_phone_and_cases(services, employees, tendered_cents=10_000)


def test_refund_is_a_new_linked_sale_to_the_original_tenders(services: Services, employees: staff.Staff) -> None:
    receipt, st = _sell(services, employees)
    refunds = services.register.refunds
    original = refunds.lookup(receipt)
    with pytest.raises(PermissionDenied):  # a rep needs a manager for any refund
        refunds.refund(employees.rep, receipt, {2: 1}, reason="changed mind")
    r = refunds.refund(employees.manager, receipt, {2: 1}, reason="changed mind")
    assert r.kind == "refund" and r.original_sale_id == original.id and r.receipt_no != receipt
    assert r.restocking_cents == 0 and r.due_cents == r.totals.total_cents
    assert [t.kind for t in r.tenders] == ["card"]  # card first
    assert refunds.lookup(receipt).totals == original.totals  # the original is untouched
    with pytest.raises(ValidationError, match="only 1 left"):
        refunds.refund(employees.manager, receipt, {2: 2}, reason="again")
    # the device: restocking fee, back in stock
    r2 = refunds.refund(employees.manager, receipt, {1: 1, 2: 1}, reason="defective")
    assert r2.restocking_cents == 5000 and r2.due_cents == r2.totals.total_cents - 5000
    term = reg.terminal(services)
    assert all(n == 1 for n in term.charges.values())
    # everything refunded, to the cent, although the cases came back one at a time
    assert r.due_cents + r2.due_cents == original.totals.total_cents - 5000
    assert r.totals.tax_cents + r2.totals.tax_cents == original.totals.tax_cents
    cart = services.register.cart
    assert cart.add_device(employees.rep, cart.open(employees.rep).id, st.imeis[0]).lines[0].imei == st.imeis[0]
    with pytest.raises(ValidationError):
        refunds.refund(employees.manager, receipt, {1: 1}, reason="thrice")


def test_outside_the_window_needs_a_manager_override(services: Services, employees: staff.Staff) -> None:
    receipt, _ = _sell(services, employees)
    reg_ = services.register
    later = RefundService(uow=services.uow, data=reg_.data, terminal=reg_.terminal, tenders=reg_.tenders,
                          clock=lambda: datetime.now(UTC) + timedelta(days=15))
    refund_ok = services.auth.manager_override(employees.rep, manager_number=staff.MANAGER.number,
                                               manager_pin=staff.MANAGER.pin, permission=Permission.REFUND,
                                               reason="ok")
    with pytest.raises(PermissionDenied):
        later.refund(employees.rep, receipt, {2: 1}, reason="late", override=refund_ok)
    assert later.refund(employees.manager, receipt, {2: 1}, reason="late").status == "completed"
    within = RefundService(uow=services.uow, data=reg_.data, terminal=reg_.terminal, tenders=reg_.tenders,
                           clock=lambda: datetime.now(UTC) + timedelta(days=13))
    assert within.refund(employees.rep, receipt, {2: 1}, reason="ok", override=refund_ok).status == "completed"


def test_terminal_is_the_simulator_by_default(services: Services) -> None:
    assert isinstance(services.register.terminal, SimulatedTerminal)
    assert "SIMULATOR" in services.register.terminal.label
