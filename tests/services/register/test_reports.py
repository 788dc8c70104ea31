"""End-of-day (Z) report: exact figures for a known day, store-local midnight, reconciliation, permission."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest

from posapp.demo.sales import simulate
from posapp.domain.register import DENOMINATIONS
from posapp.errors import PermissionDenied
from posapp.services import uow as uow_module
from posapp.services.dto import SYSTEM_ACTOR, Actor
from posapp.services.register.reports import EodReport, day_bounds
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff


def _counts(cents: int) -> dict[int, int]:
    out: dict[int, int] = {}
    for d in DENOMINATIONS:
        if cents >= d:
            out[d], cents = cents // d, cents % d
    return out


def today(services: Services) -> date:
    return datetime.now(ZoneInfo(services.core.settings.store_timezone)).date()


def make_day(services: Services, employees: staff.Staff) -> dict[str, int]:
    """Cash, card (after one decline), split and a cash refund; paid in/out, a no-sale, a short close."""
    rep, mgr = employees.rep, employees.manager
    cart, tenders, drawer = services.register.cart, services.register.tenders, services.register.drawer
    drawer.open_session(rep, float_cents=10_000)

    a = cart.open(rep)
    due_a = cart.add_accessory(rep, a.id, reg.CASE_UPC, qty=1).due_cents
    tenders.pay_cash(rep, a.id, amount_cents=due_a, tendered_cents=-(-due_a // 2000) * 2000)
    sale_a = reg.complete(services, rep, a.id)

    b = cart.open(rep)
    due_b = cart.add_accessory(rep, b.id, reg.CHARGER_UPC, qty=2).due_cents
    assert tenders.pay_card(rep, b.id, amount_cents=1_013).state == "declined"
    assert tenders.pay_card(rep, b.id, amount_cents=due_b).state == "approved"
    reg.complete(services, rep, b.id)

    c = cart.open(rep)
    cart.add_accessory(rep, c.id, reg.CASE_UPC, qty=1)
    due_c = cart.add_accessory(rep, c.id, reg.CHARGER_UPC, qty=1).due_cents
    tenders.pay_cash(rep, c.id, amount_cents=1_000, tendered_cents=1_000)
    assert tenders.pay_card(rep, c.id, amount_cents=due_c - 1_000).state == "approved"
    reg.complete(services, rep, c.id)

    assert sale_a.receipt_no is not None
    refund = services.register.refunds.refund(mgr, sale_a.receipt_no, {1: 1}, reason="changed mind")
    assert refund.status == "completed"

    drawer.paid_in(rep, amount_cents=500, reason="coins from the bank")
    drawer.paid_out(rep, amount_cents=300, reason="milk")
    drawer.no_sale(mgr, reason="check a note")
    expected = drawer.current(rep).expected_cents
    drawer.close(mgr, counts=_counts(expected - 5), variance_reason="nickel short")
    return {"a": due_a, "b": due_b, "c": due_c, "refund": refund.due_cents, "expected": expected}


def test_a_known_day_has_exact_figures(services: Services, employees: staff.Staff) -> None:
    f = make_day(services, employees)
    r = services.register.reports.end_of_day(employees.manager, today(services))
    gross = f["a"] + f["b"] + f["c"]
    assert (r.sales_count, r.refunds_count) == (3, 1)
    assert (r.gross_sales_cents, r.refunds_cents, r.net_cents) == (gross, f["refund"], gross - f["refund"])
    assert r.by_rep_total_cents == r.by_tender_total_cents == r.net_cents
    tender = {a.key: a.cents for a in r.by_tender}
    assert tender == {"cash": f["a"] + 1_000 - f["refund"], "card": f["b"] + f["c"] - 1_000}
    rep = {a.key: a.cents for a in r.by_rep}
    assert rep == {"Riley Rep (1001)": gross, "Morgan Manager (2001)": -f["refund"]}
    cats = {a.key: (a.count, a.cents) for a in r.by_category}
    # case 2999 x2 sold, 1 returned; charger 2499 x3 sold
    assert cats["accessory"] == (6, 2 * 2_999 + 3 * 2_499 - 2_999)
    assert r.merchandise_net_cents + r.tax_cents + r.fee_cents == r.net_cents - r.restocking_cents
    assert sum(t.cents for t in r.taxes) == r.tax_cents + r.fee_cents
    assert (r.declined_count, r.declined_cents, r.voided_count) == (1, 1_013, 0)
    (d,) = r.drawers
    assert d.float_cents == 10_000 and d.status == "closed"
    assert (d.paid_in_cents, d.paid_out_cents, d.no_sales) == (500, 300, 1)
    assert d.cash_sales_cents == f["a"] + 1_000 and d.cash_refunds_cents == f["refund"]
    assert d.expected_cents == f["expected"] == 10_000 + f["a"] + 1_000 - f["refund"] + 500 - 300
    assert (d.counted_cents, d.variance_cents, d.variance_reason) == (f["expected"] - 5, -5, "nickel short")


def test_a_rep_is_refused(services: Services, employees: staff.Staff) -> None:
    with pytest.raises(PermissionDenied):
        services.register.reports.end_of_day(employees.rep, today(services))
    assert services.register.reports.end_of_day(employees.admin, today(services)).net_cents == 0


class _Clock(datetime):
    at = datetime(2026, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _Clock:
        return cls.fromtimestamp(cls.at.timestamp(), tz)


def cash_sale(services: Services, rep: Actor, upc: str) -> int:
    cart, tenders = services.register.cart, services.register.tenders
    s = cart.open(rep)
    due = cart.add_accessory(rep, s.id, upc, qty=1).due_cents
    tenders.pay_cash(rep, s.id, amount_cents=due, tendered_cents=due)
    return reg.complete(services, rep, s.id).due_cents


def test_store_local_midnight_decides_the_business_day(services: Services, employees: staff.Staff,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert services.core.settings.store_timezone == "America/Los_Angeles"
    before = datetime(2026, 1, 15, 7, 59, 59, tzinfo=UTC)  # 23:59:59 on Jan 14 in Los Angeles (PST)
    after = datetime(2026, 1, 15, 8, 0, 0, tzinfo=UTC)     # 00:00:00 on Jan 15
    assert day_bounds(date(2026, 1, 15), "America/Los_Angeles") == (after, datetime(2026, 1, 16, 8, tzinfo=UTC))
    monkeypatch.setattr(uow_module, "datetime", _Clock)
    rep = employees.rep
    _Clock.at = before
    services.register.drawer.open_session(rep, float_cents=0)
    late = cash_sale(services, rep, reg.CASE_UPC)
    _Clock.at = after
    early = cash_sale(services, rep, reg.CHARGER_UPC)
    mgr, reports = employees.manager, services.register.reports
    jan14, jan15 = reports.end_of_day(mgr, date(2026, 1, 14)), reports.end_of_day(mgr, date(2026, 1, 15))
    assert (jan14.sales_count, jan14.net_cents, len(jan14.drawers)) == (1, late, 1)
    assert (jan15.sales_count, jan15.net_cents) == (1, early)
    jan16 = reports.end_of_day(mgr, date(2026, 1, 16))
    assert jan16.sales_count == 0 and len(jan16.drawers) == 1  # the drawer is still open
    assert (jan15.drawers[0].cash_sales_cents, jan15.drawers[0].status) == (late + early, "open")
    assert reports.end_of_day(mgr, date(2026, 1, 13)).drawers == ()
    reconciles(jan14)
    reconciles(jan15)


def reconciles(r: EodReport) -> None:
    assert r.by_tender_total_cents == r.by_rep_total_cents == r.net_cents == r.gross_sales_cents - r.refunds_cents
    assert r.merchandise_net_cents + r.tax_cents + r.fee_cents + r.restocking_cents == r.net_cents
    assert sum(t.cents for t in r.taxes) == r.tax_cents + r.fee_cents


@pytest.mark.parametrize("seed", [1, 7])
def test_a_simulated_day_reconciles(services: Services, seed: int) -> None:
    sim = simulate(services, count=60, seed=seed)
    r = services.register.reports.end_of_day(SYSTEM_ACTOR, today(services))
    assert (r.sales_count, r.refunds_count) == (60, sim.refunds)
    assert (r.gross_sales_cents, r.refunds_cents) == (sim.total_cents, sim.refunded_cents)
    reconciles(r)


def test_discounts_and_restocking_fees_reconcile(services: Services, employees: staff.Staff) -> None:
    rep, mgr = employees.rep, employees.manager
    cart, tenders = services.register.cart, services.register.tenders
    stocked = reg.stock(services, rep, devices=1)
    services.register.drawer.open_session(rep, float_cents=0)
    s = cart.open(rep)
    cart.add_device(rep, s.id, stocked.imeis[0])
    cart.add_accessory(rep, s.id, reg.CASE_UPC, qty=3)
    due = cart.discount(mgr, s.id, 2, 500).due_cents
    tenders.pay_cash(rep, s.id, amount_cents=due, tendered_cents=due)
    sale = reg.complete(services, rep, s.id)
    assert sale.receipt_no is not None
    refund = services.register.refunds.refund(mgr, sale.receipt_no, {1: 1, 2: 1}, reason="returned")
    r = services.register.reports.end_of_day(mgr, today(services))
    assert r.discount_cents == 500 - 166 and r.restocking_cents == refund.restocking_cents
    assert r.net_cents == due - refund.due_cents
    reconciles(r)
