"""Regenerate the Activation page screenshots in docs/screenshots/activation/ from the real app and services.

    scripts/with-keyring.sh .venv/bin/python tests/ui/make_activation_screenshots.py [OUT_DIR]

(with ``DISPLAY`` set to an X server — e.g. ``Xvfb :79`` with ``openbox`` — the windows are real ones; without
it the offscreen platform is used.) Not a test (no ``test_`` prefix). In a throw-away data folder with demo
customers, three phones in stock and three pool numbers, it signs in as the demo rep (1001), verifies a demo
customer to step-up in Lookup (photo ID, the one-time code from the SMS simulator, the account PIN), then drives
the Activation page by keys only: Add a line → device scan → eSIM EID → pool number (and the port-in form) → plan →
review → into the cart → paid by card and signed → status → the eSIM QR on the customer window → done; then an
upgrade financed on EIP up to its review.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from posapp.adapters.provisioning import SimulatedCarrier  # noqa: E402
from posapp.db.models import Account, AccountMember, Customer, Line  # noqa: E402
from posapp.demo.loader import DEMO_ACCOUNT_PINS, load_demo  # noqa: E402
from posapp.paths import DataPaths  # noqa: E402
from posapp.security.pins import verify_pin  # noqa: E402
from posapp.services.activation import pool  # noqa: E402
from posapp.services.registry import Services  # noqa: E402
from posapp.workflows.activation import ActivationStep  # noqa: E402
from tests.helpers.register import stock  # noqa: E402
from tests.ui.make_register_screenshots import sign  # noqa: E402
from tests.ui.shots import save, settle, verify_step_up, wait_until  # noqa: E402
from ui.app import App  # noqa: E402
from ui.qt_workarounds import pin_true  # noqa: E402
from ui.theme import apply_theme  # noqa: E402
from ui.views.activation.page import ActivationPage  # noqa: E402
from ui.views.lookup.page import LookupPage  # noqa: E402
from ui.views.register.page import RegisterPage  # noqa: E402

EID = "89049032000001000000012345678954"
POOL = ("+12065550142", "+12065550143", "+12065550144", "+12065550157")
CTRL = Qt.KeyboardModifier.ControlModifier


def key(qt: QApplication, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    QTest.keyClick(target, key, mods)
    settle(qt, 0.15)


def scan(qt: QApplication, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    QTest.keyClicks(target, text)
    QTest.keyClick(target, Qt.Key.Key_Return)
    settle(qt, 0.15)


def customer(services: Services) -> tuple[str, str]:
    """A demo primary holder with one to three lines and an account PIN: their phone and the PIN."""
    with services.uow.read() as s:
        lines = dict(s.execute(select(Line.account_id, func.count()).group_by(Line.account_id)).all())
        rows = s.execute(select(Account, Customer).join(AccountMember, AccountMember.account_id == Account.id)
                         .join(Customer, Customer.id == AccountMember.customer_id)
                         .where(AccountMember.role == "primary", Account.pin_hash.is_not(None))
                         .order_by(Account.account_number)).all()
        for account, holder in rows:
            if 1 <= lines.get(account.id, 0) <= 3 and holder.phone_e164:
                pin = next((p for p in DEMO_ACCOUNT_PINS if verify_pin(p, pin_hash=account.pin_hash,
                                                                        salt=account.pin_salt,
                                                                        params=account.pin_params)), None)
                if pin is not None:
                    return holder.phone_e164, pin
    raise SystemExit("no demo customer to show")


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots" / "activation"
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication(sys.argv[:1])
    pin_true()
    apply_theme(qt)
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths.resolve(tmp)
        seed = Services.open(paths)
        load_demo(seed, customers=120, seed=3)
        rep = seed.auth.sign_in("1001", "2580")
        stocked = stock(seed, rep, devices=3)
        with seed.uow.write(rep) as tx:
            pool.add_numbers(tx, POOL)
        phone, pin = customer(seed)
        seed.close()

        pos = App(paths=paths, exit_app=lambda code: None, idle_ms=10 * 60_000)
        pos.start()
        wait_until(qt, lambda: pos.login.ready)
        pos.login.number.setText("1001")
        pos.login.pin.setText("2580")
        pos.login.submit()
        wait_until(qt, lambda: pos.session is not None)
        assert pos.session is not None and pos.customer is not None and pos.services is not None
        window, display, services = pos.session.main_window, pos.customer, pos.services
        carrier = services.carrier
        assert isinstance(carrier, SimulatedCarrier)
        carrier.delay_s = 0.5
        lookup = window.stack.widget(0)
        page, register = pos.session.activation_page, pos.session.register_page
        assert isinstance(lookup, LookupPage) and isinstance(page, ActivationPage)
        assert isinstance(register, RegisterPage)
        register.tender.card.auto_requery_ms = None
        wait_until(qt, lambda: window.status.info is not None)

        verify_step_up(qt, lookup, services, phone, pin)  # Lookup: photo ID, PIN, then the one-time code
        settle(qt)
        save(window, out / "00_account_view_buttons.png")

        # F4 from the account view: Add a line
        lookup.account.lines.activation.add.click()
        wait_until(qt, lambda: page.flow.step is ActivationStep.DEVICE and not page.flow.busy)
        window.show_page("activation")
        page.flow.reset()  # show the chooser first (the button started the order; start it again by key)
        page.refresh()
        page.focus_step()
        settle(qt)
        save(window, out / "01_kind.png")
        key(qt, Qt.Key.Key_1)
        wait_until(qt, lambda: page.flow.step is ActivationStep.DEVICE and not page.flow.busy)
        scan(qt, stocked.imeis[0])
        wait_until(qt, lambda: page.flow.line is not None and page.flow.line.imei is not None and not page.flow.busy)
        settle(qt)
        save(window, out / "02_device.png")
        key(qt, Qt.Key.Key_Return)
        scan(qt, EID)
        wait_until(qt, lambda: page.flow.line is not None and page.flow.line.sim_kind is not None
                   and not page.flow.busy)
        settle(qt)
        save(window, out / "03_sim_esim.png")
        key(qt, Qt.Key.Key_Return)
        wait_until(qt, lambda: page.number.pool.count() > 0)
        settle(qt)
        save(window, out / "04_number_pool.png")
        key(qt, Qt.Key.Key_T, CTRL)
        form = page.number.form
        for field, text in ((form.msisdn, "(206) 555-0199"), (form.carrier, "Evergreen Mobile"),
                            (form.account, "EM44710921"), (form.pin, "4821"), (form.name, "Dana Whitfield"),
                            (form.zip, "98103")):
            field.setText(text)
        settle(qt)
        save(window, out / "05_number_port_in.png")
        form.clear()
        key(qt, Qt.Key.Key_T, CTRL)
        key(qt, Qt.Key.Key_Return)  # pick the first pool number
        wait_until(qt, lambda: page.flow.line is not None and page.flow.line.msisdn is not None
                   and not page.flow.busy)
        key(qt, Qt.Key.Key_Return)
        wait_until(qt, lambda: page.flow.step is ActivationStep.PLAN)
        settle(qt)
        save(window, out / "06_plan.png")
        key(qt, Qt.Key.Key_Return)
        wait_until(qt, lambda: page.flow.line is not None and page.flow.line.plan_code is not None
                   and not page.flow.busy)
        key(qt, Qt.Key.Key_Return)
        wait_until(qt, lambda: page.flow.step is ActivationStep.REVIEW)
        settle(qt)
        save(window, out / "07_review.png")
        key(qt, Qt.Key.Key_F12)
        wait_until(qt, lambda: window.current_page_key == "register" and register.sale is not None)
        settle(qt)
        save(window, out / "08_register_cart.png")
        save(display, out / "08_customer_cart.png")

        register.start_tender("card")
        wait_until(qt, lambda: register.tender.form == "card")
        register.tender.card.submit()
        wait_until(qt, lambda: register.sale is not None and register.sale.remaining_cents == 0)
        wait_until(qt, lambda: display.mode == "consent" or register.complete_panel.button.isEnabled())
        if display.mode == "consent":
            display.consent.accept_button.click()
            settle(qt, 0.2)
            sign(display.pad.canvas)
            display.pad.accept_button.click()
            wait_until(qt, lambda: register.flow.signed)
        register.complete()
        wait_until(qt, lambda: register.receipt is not None)
        window.show_page("activation")
        wait_until(qt, lambda: page.flow.step is not ActivationStep.IN_CART)
        settle(qt)
        save(window, out / "09_status_pending.png")
        wait_until(qt, lambda: display.mode == "esim", timeout=60)
        settle(qt)
        save(display, out / "10_customer_esim_qr.png")
        wait_until(qt, lambda: page.flow.step is ActivationStep.DONE, timeout=60)
        settle(qt)
        save(window, out / "11_status_done.png")
        display.esim.next.click()

        # An upgrade financed on EIP, from the account view's Upgrade on the first line
        window.show_page("lookup")
        register.new_sale()
        lookup.account.lines.table.selectRow(0)
        lookup.account.lines.activation.upgrade.click()
        wait_until(qt, lambda: page.flow.step is ActivationStep.DEVICE and not page.flow.busy)
        scan(qt, stocked.imeis[1])
        wait_until(qt, lambda: page.flow.line is not None and page.flow.line.imei == stocked.imeis[1]
                   and not page.flow.busy)
        key(qt, Qt.Key.Key_Return)
        key(qt, Qt.Key.Key_Return)
        wait_until(qt, lambda: page.flow.step is ActivationStep.PLAN)
        key(qt, Qt.Key.Key_F, CTRL)
        QTest.keyClicks(page.plan.down, "100")
        page.plan.down.editingFinished.emit()
        try:
            wait_until(qt, lambda: "financed" in page.plan.quote.text(), timeout=10)
        except TimeoutError:
            raise SystemExit(f"no EIP quote: {page.plan.quote.text()!r} / {page.error.text()!r}") from None
        settle(qt)
        save(window, out / "12_upgrade_plan_eip.png")
        key(qt, Qt.Key.Key_Return)
        wait_until(qt, lambda: page.flow.line is not None and page.flow.line.financed and not page.flow.busy)
        key(qt, Qt.Key.Key_Return)
        wait_until(qt, lambda: page.flow.step is ActivationStep.REVIEW)
        settle(qt)
        save(window, out / "13_upgrade_review.png")
        if os.environ.get("DISPLAY"):
            subprocess.run(["import", "-window", "root", str(out / "screen.png")], check=False)
        pos.shutdown()
    qt.quit()


if __name__ == "__main__":
    main()
