"""Card data: after card sales (online and offline) and refunds with every simulator test card, the database file
(and its WAL) and the logs hold no card number — no Luhn-valid 13–19 digit run that is one of the simulator's test
cards."""

from __future__ import annotations

import re

from posapp.adapters.payment_terminal import TEST_CARDS
from posapp.domain.identifiers import luhn_is_valid
from posapp.domain.tax import Category
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff

PANS = {c.pan for c in TEST_CARDS.values()}


def card_like_runs(blob: bytes) -> set[str]:
    """Luhn-valid 13–19 digit runs, also inside longer text (every window), that are test card numbers."""
    found = set()
    for m in re.finditer(rb"\d{13,}", blob):
        digits = m.group().decode()
        for size in range(13, 20):
            for i in range(len(digits) - size + 1):
                part = digits[i:i + size]
                if part in PANS and luhn_is_valid(part):
                    found.add(part)
    return found


def test_the_finder_finds_a_pan() -> None:
    assert card_like_runs(b"x4111111111111111y") == {"4111111111111111"}
    assert card_like_runs(b"tok_abc 1111 Visa") == set()


def test_no_card_number_in_database_or_logs(services: Services, employees: staff.Staff) -> None:
    rep = employees.rep
    term = reg.terminal(services)
    cart, tenders = services.register.cart, services.register.tenders
    receipts = []
    for name in TEST_CARDS:
        term.present_card(name)
        for cents in (1_000, 2_057):
            sale = cart.open(rep)
            cart.add_item(rep, sale.id, sku="BILL", description="Bill payment", category=Category.SERVICE,
                          price_cents=cents)
            t = tenders.pay_card(rep, sale.id, amount_cents=cents)
            if t.state == "unknown":
                tenders.requery(rep, t.id)
            receipts.append(reg.complete(services, rep, sale.id).receipt_no)
        sale = cart.open(rep)  # and one offline (store-and-forward) payment per card, forwarded below
        cart.add_item(rep, sale.id, sku="BILL", description="Bill payment", category=Category.SERVICE,
                      price_cents=3_000)
        tenders.pay_card(employees.manager, sale.id, amount_cents=3_000, link_online=False)
        reg.complete(services, rep, sale.id)
    assert len(tenders.forward_offline(rep).settled) == len(TEST_CARDS)
    assert receipts[0] is not None
    services.register.refunds.refund(employees.manager, receipts[0], {1: 1}, reason="test")
    data = services.core.paths.root  # database, WAL, logs, receipts
    files = [p for p in data.rglob("*") if p.is_file()]
    assert any(p.name.startswith("posapp.sqlite3") for p in files)
    for path in files:
        assert card_like_runs(path.read_bytes()) == set(), path
    assert all(t.card_last4 for t in cart.view(services.register.refunds.lookup(receipts[0]).id).tenders)
