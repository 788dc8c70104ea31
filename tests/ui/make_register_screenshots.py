"""Regenerate the Register screenshots in docs/screenshots/ from the real app and the real services.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/make_register_screenshots.py [OUT_DIR]

Not a test (no ``test_`` prefix). In a throw-away data folder with the demo employees and a few devices in stock it
signs in as the demo rep (1001), opens the Register (F3) and drives it like a rep: scans accessories and a phone,
a 10 % discount, $100 cash, then the card terminal (the labelled simulator) for the rest -> ``register.png``; the
customer accepts the consent and signs on the customer window -> ``customer_signature.png``; the sale is completed
and page 1 of its receipt PDF is rendered with ``pdftoppm -r 110`` -> ``receipt_signed.png``.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.demo.loader import load_demo  # noqa: E402
from posapp.paths import DataPaths  # noqa: E402
from posapp.services.registry import Services  # noqa: E402
from tests.helpers.register import CASE_UPC, CHARGER_UPC, stock  # noqa: E402
from tests.ui.shots import save, settle, wait_until  # noqa: E402
from ui.app import App  # noqa: E402
from ui.qt_workarounds import pin_true  # noqa: E402
from ui.theme import apply_theme  # noqa: E402
from ui.views.register.page import RegisterPage  # noqa: E402
from ui.widgets.signature_pad import SignatureCanvas  # noqa: E402


def sign(canvas: SignatureCanvas) -> None:
    """A cursive-looking signature drawn through the canvas's own stroke recording (as the mouse does)."""
    w, h = canvas.width(), canvas.height()
    first = [(0.10 + 0.34 * t + 0.035 * math.cos(9 * math.pi * t),
              0.58 - 0.20 * math.sin(9 * math.pi * t) * (1 - 0.45 * t)) for t in (i / 90 for i in range(91))]
    second = [(0.50 + 0.30 * t + 0.03 * math.cos(7 * math.pi * t),
               0.60 - 0.17 * math.sin(7 * math.pi * t) - 0.08 * t) for t in (i / 70 for i in range(71))]
    flourish = [(0.12 + 0.72 * t, 0.78 - 0.05 * math.sin(math.pi * t)) for t in (i / 30 for i in range(31))]
    for stroke in (first, second, flourish):
        canvas.begin_stroke(QPointF(stroke[0][0] * w, stroke[0][1] * h))
        for x, y in stroke[1:]:
            time.sleep(0.002)
            canvas.extend_stroke(QPointF(x * w, y * h))
        canvas.end_stroke()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication(sys.argv[:1])
    pin_true()
    apply_theme(qt)
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths.resolve(tmp)
        seed = Services.open(paths)
        load_demo(seed, customers=60, seed=3)
        rep = seed.auth.sign_in("1001", "2580")
        stocked = stock(seed, rep, devices=3)
        seed.register.drawer.open_session(rep, float_cents=20_000)
        seed.close()

        pos = App(paths=paths, exit_app=lambda code: None, idle_ms=10 * 60_000)
        pos.start()
        wait_until(qt, lambda: pos.login.ready)
        pos.login.number.setText("1001")
        pos.login.pin.setText("2580")
        pos.login.submit()
        wait_until(qt, lambda: pos.session is not None)
        assert pos.session is not None and pos.customer is not None
        window, display = pos.session.main_window, pos.customer
        window.show_page("register")
        page = pos.session.register_page
        assert isinstance(page, RegisterPage)
        wait_until(qt, lambda: window.status.info is not None)
        page.tender.card.auto_requery_ms = None

        def add(code: str) -> None:
            n = sum(x.qty for x in page.sale.lines) if page.sale is not None else 0
            page.cart_ctl.add_code(code)
            wait_until(qt, lambda: page.sale is not None and sum(x.qty for x in page.sale.lines) > n)

        for code in (CASE_UPC, CASE_UPC, CHARGER_UPC, stocked.imeis[0]):
            add(code)
        assert page.sale is not None
        case_line = page.sale.lines[0].line_no
        page.cart_ctl.discount(case_line, 600)
        wait_until(qt, lambda: page.sale is not None and page.sale.lines[0].discount_cents == 600)
        page.start_tender("cash")
        wait_until(qt, lambda: page.tender.form == "cash")
        page.tender.cash.amount.setText("100.00")
        page.tender.cash.tendered.setText("100.00")
        page.tender.cash.submit()
        wait_until(qt, lambda: page.sale is not None and page.sale.paid_cents == 10_000)
        page.start_tender("card")
        wait_until(qt, lambda: page.tender.form == "card")
        settle(qt)
        save(window, out / "register.png")
        if os.environ.get("SHOT_EXTRA"):  # for looking at, not for the docs
            save(display, out / "customer_cart.png")
            page.tender.show_choose()
            page.open_drawer_dialog()
            wait_until(qt, lambda: page.dialog is not None and page.dialog.drawer is not None)
            settle(qt)
            save(page.dialog, out / "drawer_dialog.png")
            page.dialog.reject()
            settle(qt)
            page.start_tender("card")

        page.tender.card.submit()
        wait_until(qt, lambda: page.tender.card.tender is not None and page.tender.card.tender.state == "approved")
        wait_until(qt, lambda: display.mode == "consent")
        display.consent.accept_button.click()
        settle(qt, 0.2)
        sign(display.pad.canvas)
        settle(qt)
        save(display, out / "customer_signature.png")

        display.pad.accept_button.click()
        wait_until(qt, lambda: page.flow.signed)
        page.complete()
        wait_until(qt, lambda: page.receipt is not None and page.receipt_panel.pdf is not None)
        pdf = page.receipt_panel.pdf
        assert pdf is not None
        settle(qt)
        save(window, out / "register_receipt.png")
        stem = out / "receipt_signed"
        subprocess.run(["pdftoppm", "-r", "110", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(stem)],
                       check=True)
        print("wrote", stem.with_suffix(".png"))
        shutil.copy(pdf, Path(tmp) / "keep.pdf")
        if os.environ.get("SHOT_EXTRA"):
            number = page.receipt.receipt_no if page.receipt is not None else ""
            page.new_sale()
            page.receipts.set_refund_mode(True)
            page.receipts.start_refund(number)
            wait_until(qt, lambda: page.dialog is not None)
            page.dialog.spins[1].setValue(1)
            page.dialog.reason.setText("wrong size")
            settle(qt)
            save(page.dialog, out / "refund_dialog.png")
            page.dialog.reject()
        pos.shutdown()
    qt.quit()


if __name__ == "__main__":
    main()
