"""A terminal without a card terminal or a cash drawer (``none``): cash sales work, the drawer is not kicked, and
card payments and card refunds are refused plainly before any row is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from posapp.adapters.payment_terminal import SimulatedTerminal
from posapp.adapters.unconfigured import NoCashDrawer, NoTerminal
from posapp.db.models import Sale, Tender
from posapp.errors import ValidationError
from posapp.paths import DataPaths
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff


def test_cash_only_store(data_paths: DataPaths, employees: staff.Staff) -> None:
    services = Services.open(data_paths, terminal=NoTerminal(), cash_drawer=NoCashDrawer())
    try:
        rep = employees.rep
        services.register.drawer.open_session(rep, float_cents=10_000)  # no drawer to kick: nothing raised
        sale = services.register.cart.open(rep)
        view = services.register.cart.add_accessory(rep, sale.id, reg.CASE_UPC, qty=1)
        with pytest.raises(ValidationError, match="No card terminal configured: take cash or store credit"):
            services.register.tenders.pay_card(rep, sale.id, amount_cents=view.due_cents)
        with pytest.raises(ValidationError, match="No card terminal configured"):
            services.register.tenders.pay_card_offline(employees.manager, sale.id, amount_cents=view.due_cents)
        with services.uow.read() as s:
            assert s.scalar(select(func.count()).select_from(Tender)) == 0
        services.register.tenders.pay_cash(rep, sale.id, amount_cents=view.due_cents,
                                           tendered_cents=view.due_cents)
        assert reg.complete(services, rep, sale.id).receipt_no
    finally:
        services.close()


def test_a_card_sale_is_not_refunded_without_a_terminal(data_paths: DataPaths, employees: staff.Staff) -> None:
    with_terminal = Services.open(data_paths, terminal=SimulatedTerminal())
    try:
        rep = employees.rep
        with_terminal.register.drawer.open_session(rep, float_cents=10_000)
        sale = with_terminal.register.cart.open(rep)
        view = with_terminal.register.cart.add_accessory(rep, sale.id, reg.CASE_UPC, qty=1)
        if view.due_cents % 100 in (13, 57, 58):
            pytest.fail("the case's total hits a simulator outcome")
        with_terminal.register.tenders.pay_card(rep, sale.id, amount_cents=view.due_cents)
        receipt_no = reg.complete(with_terminal, rep, sale.id).receipt_no
        assert receipt_no is not None
    finally:
        with_terminal.close()
    services = Services.open(data_paths, terminal=NoTerminal())
    try:
        with services.uow.read() as s:
            before = s.scalar(select(func.count()).select_from(Sale))
        with pytest.raises(ValidationError, match="paid by card cannot be refunded here"):
            services.register.refunds.refund(employees.rep, receipt_no, {1: 1}, reason="changed mind")
        with services.uow.read() as s:
            assert s.scalar(select(func.count()).select_from(Sale)) == before
    finally:
        services.close()
