"""Receipts of real sales: built from the database, rendered in both formats, reprinted identically, verified
against the store's own record (altered copies and consistent forgeries fail), refunds name the original."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from posapp.domain.money import format_cents
from posapp.errors import NotFoundError
from posapp.receipts.render import render_pdf
from posapp.receipts.verify import verify_pdf
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff
from tests.helpers.accounts import MadeAccount
from tests.helpers.receipts import cash_leaving_a_plain_card_amount, sell
from tests.receipts.tools import page_png, pdftotext, zbar_symbols


def test_receipt_for_reads_the_sale(services: Services, employees: staff.Staff) -> None:
    no = sell(services, employees)
    r = services.receipts.receipt_for(no)
    sale = services.register.refunds.lookup(no)
    assert r.receipt_number == no and r.rep_id == "1001" and r.rep_name == "Riley Rep"
    assert r.store_number == services.core.settings.store_id and r.terminal == services.core.settings.terminal_id
    assert r.total_cents == sale.totals.total_cents and r.change_due_cents == 2000
    assert r.lines[0].serial == sale.lines[0].imei and r.lines[0].serial_kind == "IMEI"
    assert [t.kind for t in r.tenders] == ["cash", "card"]
    card = r.tenders[1]
    assert card.card_brand == "Visa" and card.last4 == "1111" and card.auth_code
    assert r.return_policy.days == services.core.settings.return_window_days
    assert any(f.fee_cents == 5000 for f in r.return_policy.restocking_fees)
    assert r.signature is not None and r.original_receipt_number is None  # a device sale: the customer signed
    assert r.signature.consent_text == services.register.signatures.consent_text()
    assert len(r.signature.strokes) == len(reg.SCRIBBLE)
    assert r.issued_at == sale.completed_at


@pytest.mark.parametrize("fmt", ["thermal", "letter"])
def test_render_shows_total_and_only_last4(services: Services, employees: staff.Staff, tmp_path: Path,
                                           fmt: str) -> None:
    no = sell(services, employees)
    r = services.receipts.receipt_for(no)
    pdf = services.receipts.render(no, fmt, tmp_path / f"r.{fmt}.pdf")  # type: ignore[arg-type]
    text = pdftotext(pdf)
    total_line = next(line for line in text.splitlines() if re.search(r"\bTOTAL\b", line))
    assert format_cents(r.total_cents) in total_line
    assert "1111" in text and "4111111111111111" not in text and "411111" not in text
    assert "\u2022\u2022\u2022\u20221111" in text
    assert all(text[m.start() - 1] == "\u2022" for m in re.finditer("1111", text))  # the last 4, nothing more
    assert no in text and "Riley Rep" in text
    symbols = zbar_symbols(page_png(pdf, tmp_path / f"page-{fmt}"))
    assert f"CODE-128:{no}" in symbols


def test_default_folder_and_reprint_is_identical(services: Services, employees: staff.Staff) -> None:
    no = sell(services, employees)
    first = services.receipts.render(no, "thermal")
    assert first.parent == services.core.paths.receipts
    data = first.read_bytes()
    again = services.receipts.render(no, "thermal")
    assert again == first and again.read_bytes() == data
    a, b = services.receipts.verify(no), services.receipts.verify(pdf=again)
    assert a.ok and b.ok and a.sha256 == b.sha256


def test_altered_copy_fails(services: Services, employees: staff.Staff, tmp_path: Path) -> None:
    no = sell(services, employees)
    r = services.receipts.receipt_for(no)
    plain = tmp_path / "plain.pdf"
    render_pdf(r, "thermal", plain, compress=False)
    assert services.receipts.verify(no, plain).ok
    total = format_cents(r.total_cents).encode()
    raw = plain.read_bytes()
    assert total in raw
    forged = total[:-1] + (b"0" if total[-1:] != b"0" else b"1")
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(raw.replace(total, forged))
    result = services.receipts.verify(pdf=altered)
    assert not result.ok and result.problems


def test_consistent_forgery_caught_by_the_record(services: Services, employees: staff.Staff,
                                                 tmp_path: Path) -> None:
    no = sell(services, employees)
    r = services.receipts.receipt_for(no)
    fake = dataclasses.replace(r, rep_name="Someone Else")
    forged = tmp_path / "forged.pdf"
    render_pdf(fake, "letter", forged)
    assert verify_pdf(forged).ok  # self-consistent ...
    result = services.receipts.verify(pdf=forged)  # ... but not what the store recorded
    assert not result.ok and any("store's record" in p for p in result.problems)
    assert not services.receipts.verify(no, forged).ok


def test_unknown_receipt(services: Services, employees: staff.Staff, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="No receipt NOPE-1"):
        services.receipts.receipt_for("NOPE-1")
    with pytest.raises(NotFoundError):
        services.receipts.render("NOPE-1", "thermal", tmp_path / "x.pdf")
    with pytest.raises(NotFoundError):
        services.receipts.verify("NOPE-1")


def test_refund_receipt_names_the_original(services: Services, employees: staff.Staff, tmp_path: Path) -> None:
    no = sell(services, employees)
    refund = services.register.refunds.refund(employees.manager, no, {1: 1, 2: 1}, reason="defective")
    assert refund.receipt_no is not None
    r = services.receipts.receipt_for(refund.receipt_no)
    assert r.is_refund and r.original_receipt_number == no
    assert r.total_cents == -refund.due_cents and all(t.amount_cents < 0 for t in r.tenders)
    assert any(f.label == "Restocking fee" and f.cents == 5000 for f in r.fees)
    pdf = services.receipts.render(refund.receipt_no, "thermal", tmp_path / "refund.pdf")
    text = pdftotext(pdf)
    assert f"REFUND of receipt {no}" in text
    assert format_cents(-refund.due_cents) in next(x for x in text.splitlines() if "REFUND TOTAL" in x)
    assert services.receipts.verify(refund.receipt_no, pdf).ok


def test_full_retail_and_masked_account(services: Services, employees: staff.Staff,
                                        make_account: Callable[..., MadeAccount], tmp_path: Path) -> None:
    """Los Angeles taxes a discounted device on its full retail price: the receipt says so. An account sale
    shows the account number masked to its last 4."""
    acct = make_account()
    services.settings.update(employees.admin, {"tax_jurisdiction": "US-CA-LOSANGELES"})
    rep = employees.rep
    st = reg.stock(services, rep)
    cart, tenders = services.register.cart, services.register.tenders
    sale = cart.open(rep, account_id=acct.account_id)
    cart.add_device(rep, sale.id, st.imeis[0])
    view = cart.discount(employees.manager, sale.id, 1, 10_000)
    cash = cash_leaving_a_plain_card_amount(view.due_cents, 0)
    if cash:  # only if prices or taxes ever make the card amount a simulator outcome
        services.register.drawer.open_session(rep, float_cents=0)
        tenders.pay_cash(rep, sale.id, amount_cents=cash, tendered_cents=cash)
    tenders.pay_card(rep, sale.id, amount_cents=view.due_cents - cash)
    no = reg.complete(services, rep, sale.id).receipt_no
    assert no is not None
    r = services.receipts.receipt_for(no)
    assert r.lines[0].full_retail_cents == st.retail_cents and r.lines[0].discount_cents == 10_000
    assert r.masked_account is not None and r.masked_account.endswith(acct.account_number[-4:])
    text = pdftotext(services.receipts.render(no, "letter", tmp_path / "la.pdf"))
    assert "Full retail price (tax base)" in text and format_cents(st.retail_cents) in text
    assert acct.account_number not in text and acct.account_number[-4:] in text
    assert services.receipts.verify(no, tmp_path / "la.pdf").ok


def test_cash_takes_the_odd_cents_a_simulator_outcome_would_need() -> None:
    assert cash_leaving_a_plain_card_amount(12_345, 0) == 0
    assert cash_leaving_a_plain_card_amount(10_013, 0) == 1
    assert cash_leaving_a_plain_card_amount(10_058, 0) == 2  # 10_057 would time out as well
    assert cash_leaving_a_plain_card_amount(20_113, 10_000) == 10_001
