"""Tenders: cash with change and a drawer kick, card approve/decline, timeout + re-query without a second charge,
split tender, completion only when covered, and append-only money rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import text

from posapp.domain.tax import Category
from posapp.errors import ValidationError
from posapp.services.dto import Actor
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff
from tests.helpers.accounts import MadeAccount


def _sale_of(services: Services, actor: Actor, price_cents: int, account_id: uuid.UUID | None = None) -> uuid.UUID:
    """A sale whose total is exactly ``price_cents`` (a service line: untaxed in Seattle, no fees)."""
    cart = services.register.cart
    sale = cart.open(actor, account_id=account_id)
    view = cart.add_item(actor, sale.id, sku="BILL", description="Bill payment", category=Category.SERVICE,
                         price_cents=price_cents)
    assert view.due_cents == price_cents
    return sale.id


def test_cash_change_due_and_drawer_event(services: Services, employees: staff.Staff) -> None:
    rep = employees.rep
    sale_id = _sale_of(services, rep, 4250)
    with pytest.raises(ValidationError, match="drawer"):
        services.register.tenders.pay_cash(rep, sale_id, amount_cents=4250, tendered_cents=5000)
    services.register.drawer.open_session(rep, float_cents=20_000)
    t = services.register.tenders.pay_cash(rep, sale_id, amount_cents=4250, tendered_cents=5000)
    assert (t.state, t.change_cents) == ("approved", 750)
    assert reg.cash_drawer(services).openings == ["float", "cash_sale"]
    done = reg.complete(services, rep, sale_id)
    assert done.status == "completed" and done.receipt_no == "S001-T01-000001"
    assert services.register.drawer.current(rep).expected_cents == 24_250


def test_card_approved_and_declined(services: Services, employees: staff.Staff) -> None:
    rep, tenders = employees.rep, services.register.tenders
    sale_id = _sale_of(services, rep, 10_013)
    declined = tenders.pay_card(rep, sale_id, amount_cents=10_013)
    assert declined.state == "declined" and declined.auth_code is None
    with pytest.raises(ValidationError):
        reg.complete(services, rep, sale_id)
    sale2 = _sale_of(services, rep, 10_000)
    ok = tenders.pay_card(rep, sale2, amount_cents=10_000)
    assert ok.state == "approved" and ok.card_brand == "Visa" and ok.card_last4 == "1111" and ok.auth_code
    assert reg.complete(services, rep, sale2).paid_cents == 10_000


def test_timeout_stays_unknown_until_requery_and_never_charges_twice(services: Services,
                                                                     employees: staff.Staff) -> None:
    rep, tenders, term = employees.rep, services.register.tenders, reg.terminal(services)
    sale_id = _sale_of(services, rep, 5_057)
    t = tenders.pay_card(rep, sale_id, amount_cents=5_057)
    assert t.state == "unknown"
    with pytest.raises(ValidationError, match="unresolved"):
        reg.complete(services, rep, sale_id)
    with pytest.raises(ValidationError, match="remain"):  # the unknown amount is not free to charge again
        tenders.pay_card(rep, sale_id, amount_cents=5_057)
    settled = tenders.requery(rep, t.id)
    assert settled.state == "approved" and settled.idempotency_key == t.idempotency_key
    assert tenders.requery(rep, t.id).state == "approved"
    assert term.charges[t.idempotency_key] == 1 and sum(term.charges.values()) == 1
    assert reg.complete(services, rep, sale_id).status == "completed"


def test_timeout_that_was_really_a_decline(services: Services, employees: staff.Staff) -> None:
    rep, tenders, term = employees.rep, services.register.tenders, reg.terminal(services)
    sale_id = _sale_of(services, rep, 5_058)
    t = tenders.pay_card(rep, sale_id, amount_cents=5_058)
    assert tenders.requery(rep, t.id).state == "declined"
    assert term.charges[t.idempotency_key] == 0
    again = tenders.pay_card(rep, sale_id, amount_cents=5_000)  # a new attempt has a new key
    assert again.idempotency_key != t.idempotency_key


def test_split_tender_cash_card_store_credit(services: Services, employees: staff.Staff,
                                             make_account: Callable[..., MadeAccount]) -> None:
    rep, tenders = employees.rep, services.register.tenders
    acct = make_account(financed=False)
    services.register.store_credit.issue(employees.manager, account_id=acct.account_id, amount_cents=5_000,
                                         reason="trade-in")
    services.register.drawer.open_session(rep, float_cents=10_000)
    sale_id = _sale_of(services, rep, 30_000, acct.account_id)
    tenders.pay_store_credit(rep, sale_id, amount_cents=5_000)
    tenders.pay_cash(rep, sale_id, amount_cents=10_000, tendered_cents=10_000)
    with pytest.raises(ValidationError):
        reg.complete(services, rep, sale_id)
    with pytest.raises(ValidationError):
        tenders.pay_card(rep, sale_id, amount_cents=15_001)
    tenders.pay_card(rep, sale_id, amount_cents=15_000)
    done = reg.complete(services, rep, sale_id)
    assert [x.kind for x in done.tenders] == ["store_credit", "cash", "card"] and done.remaining_cents == 0


def test_completed_money_rows_are_append_only(services: Services, employees: staff.Staff) -> None:
    rep = employees.rep
    sale_id = _sale_of(services, rep, 1_000)
    services.register.tenders.pay_card(rep, sale_id, amount_cents=1_000)
    reg.complete(services, rep, sale_id)
    with services.core.db.write_sessions() as session:
        for sql in ("UPDATE sale SET total_cents = 1", "DELETE FROM tender", "UPDATE tender SET amount_cents = 1",
                    "UPDATE sale_line SET qty = 9", "DELETE FROM sale_line"):
            with pytest.raises(Exception, match="append-only"):
                session.execute(text(sql))
            session.rollback()
