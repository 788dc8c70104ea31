"""Signatures through the register: consent, capture validation, completion refused without one (nothing written),
a second capture supersedes the first, rows are append-only, and the receipt PDF shows the consent and the ink."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from posapp.db.models import AuditEvent, Sale, SaleSignature
from posapp.errors import ValidationError
from posapp.receipts.render import signature_box
from posapp.services.register.dto import SignatureDTO
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff
from tests.receipts.tools import page_png, pdftotext


def _device_sale(services: Services, employees: staff.Staff) -> tuple[uuid.UUID, int]:
    rep = employees.rep
    st = reg.stock(services, rep)
    services.register.drawer.open_session(rep, float_cents=20_000)
    sale = services.register.cart.open(rep)
    view = services.register.cart.add_device(rep, sale.id, st.imeis[0])
    services.register.tenders.pay_cash(rep, sale.id, amount_cents=view.due_cents, tendered_cents=view.due_cents)
    return sale.id, view.due_cents


def _capture(services: Services, employees: staff.Staff, sale_id: uuid.UUID, **kw: object) -> SignatureDTO:
    sig = services.register.signatures
    args: dict[str, object] = {"strokes": reg.SCRIBBLE, "consent_text": sig.consent_text(),
                               "consented_at": datetime.now(UTC)}
    args.update(kw)
    return sig.capture(employees.rep, sale_id, **args)


def test_completion_needs_the_signature_and_writes_nothing_without_it(services: Services,
                                                                      employees: staff.Staff) -> None:
    sale_id, due = _device_sale(services, employees)
    sig = services.register.signatures
    status = sig.status(sale_id)
    assert sig.required(sale_id) and status.reasons[0] == "a device is sold" and not status.signed
    with pytest.raises(ValidationError, match="The customer has not signed yet"):
        services.register.tenders.complete(employees.rep, sale_id)
    with services.uow.read() as session:
        sale = session.get(Sale, sale_id)
        assert sale is not None and sale.status.value == "open" and sale.receipt_no is None
    dto = _capture(services, employees, sale_id)
    assert dto.amount_cents == due and dto.has_png and dto.supersedes_id is None
    assert sig.status(sale_id).signed
    done = services.register.tenders.complete(employees.rep, sale_id)
    assert done.status == "completed"
    with pytest.raises(ValidationError, match="completed"):
        _capture(services, employees, sale_id)
    with services.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "sale.signature")) == 1


def test_cash_accessory_sale_needs_no_signature_but_a_large_one_does(services: Services,
                                                                     employees: staff.Staff) -> None:
    rep = employees.rep
    reg.stock(services, rep, devices=0)
    services.register.drawer.open_session(rep, float_cents=20_000)
    cart, tenders = services.register.cart, services.register.tenders
    small = cart.open(rep)
    view = cart.add_accessory(rep, small.id, reg.CASE_UPC)
    tenders.pay_cash(rep, small.id, amount_cents=view.due_cents, tendered_cents=view.due_cents)
    assert not services.register.signatures.required(small.id)
    assert tenders.complete(rep, small.id).status == "completed"
    big = cart.open(rep)
    view = cart.add_accessory(rep, big.id, reg.CASE_UPC, qty=20)  # 20 x $29.99 > $500
    assert services.register.signatures.required(big.id)
    tenders.pay_cash(rep, big.id, amount_cents=view.due_cents, tendered_cents=view.due_cents)
    with pytest.raises(ValidationError, match="not signed"):
        tenders.complete(rep, big.id)


def test_card_payment_makes_a_signature_necessary(services: Services, employees: staff.Staff) -> None:
    rep = employees.rep
    reg.stock(services, rep, devices=0)
    sale = services.register.cart.open(rep)
    view = services.register.cart.add_accessory(rep, sale.id, reg.CHARGER_UPC)
    assert not services.register.signatures.required(sale.id)
    services.register.tenders.pay_card(rep, sale.id, amount_cents=view.due_cents)
    assert services.register.signatures.status(sale.id).reasons == ("a card paid",)


@pytest.mark.parametrize(("change", "message"), [
    ({"strokes": []}, "empty"),
    ({"strokes": [[(0.1, 0.1, 0)]]}, "fewer than 2"),
    ({"strokes": [[(0.1, 0.1, 0), (1.5, 0.1, 9)]]}, "within the pad"),
    ({"strokes": [[(0.1, 0.1, 9), (0.2, 0.1, 3)]]}, "backwards"),
    ({"consent_text": "I agree."}, "consent text does not match"),
    ({"consented_at": datetime(2026, 1, 1)}, "time zone"),
    ({"consented_at": datetime.now(UTC) + timedelta(hours=1)}, "future"),
    ({"consented_at": datetime.now(UTC) - timedelta(days=1)}, "before this sale"),
    ({"png": b"not a png"}, "PNG"),
    ({"pad_aspect": 0.0}, "width / height"),
])
def test_bad_captures_are_refused_and_store_nothing(services: Services, employees: staff.Staff,
                                                    change: dict[str, object], message: str) -> None:
    sale_id, _ = _device_sale(services, employees)
    with pytest.raises(ValidationError, match=message):
        _capture(services, employees, sale_id, **change)
    with services.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(SaleSignature)) == 0


def test_signing_again_supersedes_and_a_changed_sale_needs_a_new_signature(services: Services,
                                                                            employees: staff.Staff) -> None:
    rep = employees.rep
    st = reg.stock(services, rep)
    services.register.drawer.open_session(rep, float_cents=20_000)
    cart, sig = services.register.cart, services.register.signatures
    sale = cart.open(rep)
    cart.add_device(rep, sale.id, st.imeis[0])
    first = _capture(services, employees, sale.id)
    view = cart.add_accessory(rep, sale.id, reg.CASE_UPC)  # the sale changed after signing
    assert sig.status(sale.id).stale and not sig.status(sale.id).signed
    services.register.tenders.pay_cash(rep, sale.id, amount_cents=view.due_cents, tendered_cents=view.due_cents)
    with pytest.raises(ValidationError, match="sign again"):
        services.register.tenders.complete(rep, sale.id)
    second = _capture(services, employees, sale.id, strokes=[[(0.2, 0.2, 0), (0.8, 0.8, 30)]])
    assert second.supersedes_id == first.id
    current = sig.current(sale.id)
    assert current is not None and current.id == second.id and current.strokes == (((0.2, 0.2, 0), (0.8, 0.8, 30)),)
    assert services.register.tenders.complete(rep, sale.id).status == "completed"
    with sqlite3.connect(services.core.paths.database) as con:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("UPDATE sale_signature SET consent_text = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("DELETE FROM sale_signature")


@pytest.mark.parametrize("fmt", ["thermal", "letter"])
def test_receipt_pdf_shows_consent_and_ink_in_the_signature_box(services: Services, employees: staff.Staff,
                                                                tmp_path: Path, fmt: str) -> None:
    sale_id, _ = _device_sale(services, employees)
    _capture(services, employees, sale_id)
    done = services.register.tenders.complete(employees.rep, sale_id)
    assert done.receipt_no is not None
    receipt = services.receipts.receipt_for(done.receipt_no)
    assert receipt.signature is not None
    pdf = services.receipts.render(done.receipt_no, fmt, tmp_path / f"r-{fmt}.pdf")  # type: ignore[arg-type]
    text = " ".join(pdftotext(pdf).split())
    assert "Customer signature" in text and "Signed electronically" in text
    assert "A paper copy of the receipt is available" in text
    where = signature_box(receipt, fmt)  # type: ignore[arg-type]
    assert where is not None
    dpi = 100
    png = page_png(pdf, tmp_path / f"sig-{fmt}", dpi=dpi)
    x, top, w, h = (v * dpi / 72 for v in where)
    with Image.open(png) as img:
        inner = img.convert("L").crop((int(x) + 4, int(top) + 4, int(x + w) - 4, int(top + h) - 4))
        dark = sum(inner.histogram()[:80])
    assert dark > 150, dark
