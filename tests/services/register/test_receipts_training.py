"""The training flag is frozen with the sale at completion: a sale made in training mode prints TRAINING on
every reprint, after going live too, and a sale made live never does."""

from __future__ import annotations

from pathlib import Path

from posapp.paths import DataPaths
from posapp.receipts.model import TRAINING_TEXT
from posapp.services.registry import Services
from tests.helpers import register as reg
from tests.helpers import staff
from tests.helpers.receipts import sell
from tests.receipts.tools import pdftotext


def _text(pdf: Path) -> str:
    return " ".join(pdftotext(pdf).split())


def test_training_is_frozen_with_the_sale(services: Services, employees: staff.Staff, data_paths: DataPaths,
                                          tmp_path: Path) -> None:
    no = sell(services, employees)
    assert services.receipts.receipt_for(no).training
    first = services.receipts.render(no, "thermal", tmp_path / "first.pdf")
    assert _text(first).count(TRAINING_TEXT) == 2
    services.settings.update(employees.admin, {"payment_terminal": "none", "sms_gateway": "none",
                                               "cash_drawer": "none", "provisioning": "none",
                                               "block_list": "none"})
    live = Services.open(data_paths)  # device settings take effect at the next start
    try:
        live.settings.update(employees.admin, {"training_mode": False})
        assert live.receipts.receipt_for(no).training, "a reprint after going live still says TRAINING"
        reprint = live.receipts.render(no, "letter")
        assert _text(reprint).count(TRAINING_TEXT) == 2 and live.receipts.verify(no).ok

        rep = employees.rep
        sale = live.register.cart.open(rep)
        view = live.register.cart.add_accessory(rep, sale.id, reg.CASE_UPC, qty=1)
        live.register.tenders.pay_cash(rep, sale.id, amount_cents=view.due_cents, tendered_cents=view.due_cents)
        done = reg.complete(live, rep, sale.id)
        assert done.receipt_no is not None
        assert not live.receipts.receipt_for(done.receipt_no).training
        assert "TRAINING" not in _text(live.receipts.render(done.receipt_no, "thermal"))
    finally:
        live.close()
