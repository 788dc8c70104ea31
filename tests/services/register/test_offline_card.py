"""Offline (store-and-forward) card payments: manager approval, the per-sale and total caps, the forwarding
deadline shown on the tender, forwarding (idempotent) and a decline at forwarding flagged for the manager."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from posapp.db.models import AuditEvent, OfflineForward, Tender
from posapp.domain.tax import Category
from posapp.errors import PermissionDenied, ValidationError
from posapp.security.permissions import Permission
from posapp.services.dto import Actor
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff
from tests.receipts.tools import pdftotext


def _sale_of(services: Services, actor: Actor, price_cents: int) -> uuid.UUID:
    sale = services.register.cart.open(actor)
    view = services.register.cart.add_item(actor, sale.id, sku="BILL", description="Bill payment",
                                           category=Category.SERVICE, price_cents=price_cents)
    assert view.due_cents == price_cents
    return sale.id


def _tenders(services: Services) -> int:
    with services.uow.read() as session:
        return int(session.scalar(select(func.count()).select_from(Tender)) or 0)


def test_a_rep_needs_a_managers_override(services: Services, employees: staff.Staff) -> None:
    rep = employees.rep
    sale_id = _sale_of(services, rep, 10_000)
    with pytest.raises(PermissionDenied):
        services.register.tenders.pay_card(rep, sale_id, amount_cents=10_000, link_online=False)
    assert _tenders(services) == 0
    ok = services.auth.manager_override(rep, manager_number=staff.MANAGER.number, manager_pin=staff.MANAGER.pin,
                                        permission=Permission.OFFLINE_CARD, reason="store link down")
    before = datetime.now(UTC)
    t = services.register.tenders.pay_card(rep, sale_id, amount_cents=10_000, link_online=False, override=ok)
    assert t.state == "approved" and t.offline and t.offline_state == "pending_forward"
    assert t.auth_code is not None and t.auth_code.startswith("OFL") and t.card_last4 == "1111"
    assert t.forward_by is not None
    assert timedelta(hours=24) <= t.forward_by - before <= timedelta(hours=24, minutes=1)
    tz = ZoneInfo(services.core.settings.store_timezone)
    assert t.offline_status == f"offline — forward by {t.forward_by.astimezone(tz):%H:%M}"
    assert reg.terminal(services).charges[t.idempotency_key] == 0
    with services.uow.read() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "tender.card_offline_attempt"))
        assert event is not None and event.override_by == ok.manager_id
    view = services.register.cart.view(sale_id)
    assert view.tenders[0].offline_status == t.offline_status  # the sale view shows it too


def test_caps_per_sale_and_in_total(services: Services, employees: staff.Staff) -> None:
    mgr, tenders = employees.manager, services.register.tenders
    big = _sale_of(services, mgr, 50_001)
    with pytest.raises(ValidationError, match=r"at most 500\.00"):
        tenders.pay_card(mgr, big, amount_cents=50_001, link_online=False)
    assert _tenders(services) == 0
    for _ in range(4):
        s = _sale_of(services, mgr, 50_000)
        assert tenders.pay_card(mgr, s, amount_cents=50_000, link_online=False).state == "approved"
    fifth = _sale_of(services, mgr, 100)
    with pytest.raises(ValidationError, match=r"would exceed 2,000\.00"):
        tenders.pay_card(mgr, fifth, amount_cents=100, link_online=False)
    assert _tenders(services) == 4
    report = tenders.forward_offline(mgr)
    assert len(report.settled) == 4 and not report.declined and not report.still_pending
    assert tenders.pay_card(mgr, fifth, amount_cents=100, link_online=False).state == "approved"


def test_forwarding_settles_or_flags_a_decline_and_is_idempotent(services: Services, employees: staff.Staff,
                                                                   tmp_path: Path) -> None:
    mgr, tenders, term = employees.manager, services.register.tenders, reg.terminal(services)
    good_sale, bad_sale = _sale_of(services, mgr, 12_000), _sale_of(services, mgr, 12_013)
    good = tenders.pay_card(mgr, good_sale, amount_cents=12_000, link_online=False)
    bad = tenders.pay_card(mgr, bad_sale, amount_cents=12_013, link_online=False)
    assert bad.state == "approved", "offline, the terminal approves it alone"
    done = [reg.complete(services, mgr, s) for s in (good_sale, bad_sale)]
    with pytest.raises(ValidationError, match="link is down"):
        tenders.forward_offline(mgr, link_online=False)
    report = tenders.forward_offline(mgr)
    assert [t.id for t in report.settled] == [good.id] and [t.id for t in report.declined] == [bad.id]
    assert report.declined[0].offline_state == "offline_declined" and "DECLINED" in (
        report.declined[0].offline_status or "")
    assert report.declined[0].state == "approved", "the money row is not edited: the decline is a new row"
    again = tenders.forward_offline(mgr)
    assert again.settled == () and again.declined == () and again.still_pending == ()
    assert term.charges[good.idempotency_key] == 1 and term.charges[bad.idempotency_key] == 0
    assert term.calls[good.idempotency_key] == 2, "charge_offline once, forward once"
    with services.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(OfflineForward)) == 2
    flagged = tenders.offline_tenders()
    assert [t.id for t in flagged] == [bad.id]
    assert {t.id for t in tenders.offline_tenders(include_forwarded=True)} == {good.id, bad.id}
    assert services.register.refunds.lookup(done[1].receipt_no or "").status == "completed"
    pdf = services.receipts.render(done[0].receipt_no or "", "letter", tmp_path / "r.pdf")
    assert "(offline)" in pdftotext(pdf)
    with pytest.raises(ValidationError, match="cannot take back"):  # no money came in: nothing to give back
        services.register.refunds.refund(mgr, done[1].receipt_no or "", {1: 1}, reason="customer asks")
