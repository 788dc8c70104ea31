"""The card, re-query, refund-to-card and drawer calls split into a database step and a device step (the UI runs the
device step on its device worker): the pending tender and its audit are committed before the terminal is asked,
the device steps use no database at all, and the composed calls keep the idempotency / unknown rules."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from posapp.adapters.payment_terminal import SimulatedTerminal, TerminalStatus
from posapp.db.models import AuditEvent, Tender
from posapp.domain.register import TenderState
from posapp.domain.tax import Category
from posapp.errors import PermissionDenied
from posapp.services.dto import Actor
from posapp.services.register.dto import CardAttempt
from posapp.services.register.tenders import TenderService
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff
from tests.helpers.receipts import sell_phone_and_cases


def _sale_of(services: Services, actor: Actor, price_cents: int) -> uuid.UUID:
    cart = services.register.cart
    sale = cart.open(actor)
    cart.add_item(actor, sale.id, sku="BILL", description="Bill payment", category=Category.SERVICE,
                  price_cents=price_cents)
    return sale.id


class NoDatabase:
    """A unit of work that fails on any use: a device step must not touch it."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the device step used the database ({name})")


def test_begin_card_commits_the_pending_tender_and_its_audit_before_the_terminal_is_asked(
        services: Services, employees: staff.Staff) -> None:
    rep, tenders, term = employees.rep, services.register.tenders, reg.terminal(services)
    sale_id = _sale_of(services, rep, 5_000)
    attempt = tenders.begin_card(rep, sale_id, amount_cents=5_000)
    assert isinstance(attempt, CardAttempt) and not attempt.offline and attempt.amount_cents == 5_000
    assert term.calls[attempt.idempotency_key] == 0  # nothing asked yet
    with services.uow.read() as s:
        row = s.get(Tender, attempt.tender_id)
        assert row is not None and row.state is TenderState.PENDING and row.idempotency_key == attempt.idempotency_key
        audits = [a.action for a in s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(sale_id)))]
    assert "tender.card_attempt" in audits
    assert services.register.cart.view(sale_id).open_tender_cents == 5_000

    result = tenders.ask_terminal(attempt)
    assert result.status is TerminalStatus.APPROVED and term.charges[attempt.idempotency_key] == 1
    settled = tenders.settle(rep, attempt.tender_id, result)
    assert settled.state == "approved" and services.register.cart.view(sale_id).remaining_cents == 0


def test_the_device_steps_use_no_database(services: Services) -> None:
    terminal = SimulatedTerminal()
    offline = TenderService(uow=NoDatabase(), data=services.register.data,  # type: ignore[arg-type]
                            terminal=terminal, drawer=services.register.cash_drawer)
    attempt = CardAttempt(uuid.uuid4(), "key-1", 1_057)
    assert offline.ask_terminal(attempt).status is TerminalStatus.TIMEOUT  # 57: the charge went through
    assert offline.query_terminal(attempt).status is TerminalStatus.APPROVED
    never = offline.query_terminal(CardAttempt(uuid.uuid4(), "never-sent", 100))
    assert never.status is TerminalStatus.DECLINED and "no record" in (never.reason or "")
    stored = offline.ask_terminal(CardAttempt(uuid.uuid4(), "key-2", 2_000, offline=True))
    assert stored.offline and stored.status is TerminalStatus.APPROVED
    assert offline.forward_terminal("key-2").status is TerminalStatus.APPROVED
    assert terminal.charges["key-1"] == 1


def test_requery_in_steps_settles_an_unknown_tender_without_a_second_charge(services: Services,
                                                                            employees: staff.Staff) -> None:
    rep, tenders, term = employees.rep, services.register.tenders, reg.terminal(services)
    sale_id = _sale_of(services, rep, 1_057)
    attempt = tenders.begin_card(rep, sale_id, amount_cents=1_057)
    unknown = tenders.settle(rep, attempt.tender_id, tenders.ask_terminal(attempt))
    assert unknown.state == "unknown"
    again = tenders.requery_attempt(attempt.tender_id)
    assert again == attempt  # the same tender, the same key: asked about, never charged again
    approved = tenders.settle(rep, attempt.tender_id, tenders.query_terminal(again))
    assert approved.state == "approved" and term.charges[attempt.idempotency_key] == 1
    assert term.calls[attempt.idempotency_key] == 1  # a query is not a charge
    assert tenders.requery_attempt(attempt.tender_id) is None  # settled: nothing to ask
    assert tenders.requery(rep, attempt.tender_id).state == "approved"


def test_begin_card_offline_needs_the_override_and_marks_the_attempt(services: Services,
                                                                     employees: staff.Staff) -> None:
    tenders = services.register.tenders
    sale_id = _sale_of(services, employees.rep, 3_000)
    with pytest.raises(PermissionDenied):
        tenders.begin_card(employees.rep, sale_id, amount_cents=3_000, link_online=False)
    attempt = tenders.begin_card(employees.manager, sale_id, amount_cents=3_000, link_online=False)
    assert attempt.offline
    done = tenders.settle(employees.manager, attempt.tender_id, tenders.ask_terminal(attempt))
    assert done.state == "approved" and done.offline and (done.auth_code or "").startswith("OFL")
    assert tenders.offline_to_forward(employees.manager) == ((attempt.tender_id, attempt.idempotency_key),)


def test_cash_and_drawer_moves_leave_the_kick_to_the_caller(services: Services, employees: staff.Staff) -> None:
    rep, drawer = employees.rep, services.register.drawer
    opened = reg.cash_drawer(services).openings
    drawer.open_session(rep, float_cents=10_000, kick=False)
    sale_id = _sale_of(services, rep, 1_000)
    services.register.tenders.pay_cash(rep, sale_id, amount_cents=1_000, tendered_cents=1_000, kick=False)
    drawer.paid_in(rep, amount_cents=500, reason="change from the bank", kick=False)
    assert opened == []  # recorded, not kicked
    assert drawer.current(rep).expected_cents == 11_500
    drawer.kick("cash_sale")
    assert opened == ["cash_sale"]


def test_a_refund_to_a_card_in_steps(services: Services, employees: staff.Staff) -> None:
    receipt, _st = sell_phone_and_cases(services, employees, tendered_cents=10_000)
    refunds, term = services.register.refunds, reg.terminal(services)
    attempt = refunds.begin(employees.manager, receipt, {2: 1}, reason="changed mind")
    assert len(attempt.card) == 1 and attempt.receipt_no == receipt
    card = attempt.card[0]
    assert term.calls[card.idempotency_key] == 0
    assert services.register.cart.view(attempt.refund_id).status == "open"  # committed, waiting for the card
    results = refunds.ask_terminal(attempt)
    assert [r.status for r in results] == [TerminalStatus.APPROVED]
    done = refunds.finish(employees.manager, attempt, results)
    assert done.status == "completed" and done.kind == "refund" and done.receipt_no
    assert [t.state for t in done.tenders] == ["approved"] and term.charges[card.idempotency_key] == 1
