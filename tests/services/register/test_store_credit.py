"""Store credit: a manager issues it, the balance is the sum of an append-only ledger, a store-credit tender draws
from it in the same transaction (refused beyond the balance), and a refund puts it back."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from posapp.db.models import StoreCreditEntry, Tender
from posapp.errors import PermissionDenied, ValidationError
from posapp.paths import DataPaths
from posapp.security.permissions import Permission
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff
from tests.helpers.accounts import MadeAccount


def _count(services: Services, model: type[object]) -> int:
    with services.uow.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[call-overload]


def test_issuing_needs_a_manager(services: Services, employees: staff.Staff,
                                 make_account: Callable[..., MadeAccount]) -> None:
    acct = make_account(financed=False)
    credit = services.register.store_credit
    with pytest.raises(PermissionDenied):
        credit.issue(employees.rep, customer_id=acct.customer_id, amount_cents=1_000, reason="goodwill")
    ok = services.auth.manager_override(employees.rep, manager_number=staff.MANAGER.number,
                                        manager_pin=staff.MANAGER.pin, permission=Permission.STORE_CREDIT_ISSUE,
                                        reason="trade-in")
    credit.issue(employees.rep, customer_id=acct.customer_id, amount_cents=1_000, reason="trade-in", override=ok)
    credit.issue(employees.manager, customer_id=acct.customer_id, amount_cents=2_500, reason="goodwill")
    assert credit.balance(customer_id=acct.customer_id) == 3_500
    assert credit.balance(account_id=acct.account_id) == 0, "the account is a separate holder"
    with pytest.raises(ValidationError, match="more than zero"):
        credit.issue(employees.manager, customer_id=acct.customer_id, amount_cents=0, reason="x")
    with pytest.raises(ValidationError, match="exactly one"):
        credit.issue(employees.manager, customer_id=acct.customer_id, account_id=acct.account_id,
                     amount_cents=5, reason="x")
    assert [e.amount_cents for e in credit.entries(customer_id=acct.customer_id)] == [1_000, 2_500]


def test_tender_draws_from_the_balance_and_a_refund_puts_it_back(services: Services, employees: staff.Staff,
                                                                 make_account: Callable[..., MadeAccount]) -> None:
    rep, mgr = employees.rep, employees.manager
    acct = make_account(financed=False)
    reg.stock(services, rep, devices=0)
    credit, cart, tenders = services.register.store_credit, services.register.cart, services.register.tenders
    credit.issue(mgr, account_id=acct.account_id, amount_cents=3_000, reason="trade-in")
    sale = cart.open(rep, account_id=acct.account_id)
    due = cart.add_accessory(rep, sale.id, reg.CASE_UPC).due_cents
    assert due > 3_000
    with pytest.raises(ValidationError, match=r"Only 30\.00 of store credit"):
        tenders.pay_store_credit(rep, sale.id, amount_cents=3_001)
    assert _count(services, Tender) == 0 and _count(services, StoreCreditEntry) == 1
    t = tenders.pay_store_credit(rep, sale.id, amount_cents=3_000)
    assert t.kind == "store_credit" and credit.balance(account_id=acct.account_id) == 0
    services.register.drawer.open_session(rep, float_cents=10_000)
    tenders.pay_cash(rep, sale.id, amount_cents=due - 3_000, tendered_cents=due - 3_000)
    done = reg.complete(services, rep, sale.id)
    assert done.receipt_no is not None
    refund = services.register.refunds.refund(mgr, done.receipt_no, {1: 1}, reason="changed mind")
    assert refund.status == "completed"
    back = [x for x in refund.tenders if x.kind == "store_credit"]
    assert back and back[0].amount_cents == 3_000  # store credit is refunded before cash
    assert credit.balance(account_id=acct.account_id) == 3_000
    entries = credit.entries(account_id=acct.account_id)
    assert [e.amount_cents for e in entries] == [3_000, -3_000, 3_000]
    assert entries[1].tender_id == t.id and entries[2].sale_id == refund.id


def test_no_holder_is_refused_and_the_ledger_is_append_only(services: Services, employees: staff.Staff,
                                                            make_account: Callable[..., MadeAccount]) -> None:
    rep = employees.rep
    reg.stock(services, rep, devices=0)
    sale = services.register.cart.open(rep)
    services.register.cart.add_accessory(rep, sale.id, reg.CASE_UPC)
    with pytest.raises(ValidationError, match="needs a customer"):
        services.register.tenders.pay_store_credit(rep, sale.id, amount_cents=100)
    acct = make_account(financed=False)
    services.register.store_credit.issue(employees.manager, customer_id=acct.customer_id, amount_cents=500,
                                         reason="goodwill")
    with sqlite3.connect(services.core.paths.database) as con:
        for sql in ("UPDATE store_credit_entry SET amount_cents = 99999", "DELETE FROM store_credit_entry"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute(sql)
    assert services.register.store_credit.balance(customer_id=acct.customer_id) == 500


def test_two_terminals_cannot_spend_the_same_credit(services: Services, employees: staff.Staff,
                                                    make_account: Callable[..., MadeAccount],
                                                    data_paths: DataPaths) -> None:
    rep = employees.rep
    acct = make_account(financed=False)
    reg.stock(services, rep, devices=0)
    other = Services.open(data_paths)
    try:
        for round_no in range(5):
            services.register.store_credit.issue(employees.manager, account_id=acct.account_id, amount_cents=2_000,
                                                 reason=f"round {round_no}")
            sales = []
            for svc in (services, other):
                sale = svc.register.cart.open(rep, account_id=acct.account_id)
                svc.register.cart.add_accessory(rep, sale.id, reg.CASE_UPC)
                sales.append((svc, sale.id))
            barrier = threading.Barrier(2)
            outcomes: list[str] = []

            def pay(svc: Services, sale_id: uuid.UUID, barrier: threading.Barrier = barrier,
                    outcomes: list[str] = outcomes) -> None:
                barrier.wait()
                try:
                    svc.register.tenders.pay_store_credit(rep, sale_id, amount_cents=2_000)
                    outcomes.append("paid")
                except ValidationError:
                    outcomes.append("refused")

            threads = [threading.Thread(target=pay, args=s) for s in sales]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(outcomes) == ["paid", "refused"], round_no
            assert services.register.store_credit.balance(account_id=acct.account_id) == 0
    finally:
        other.close()
