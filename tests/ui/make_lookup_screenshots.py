"""Regenerate the Lookup page screenshots in docs/screenshots/ from the real app on a few hundred demo customers.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/make_lookup_screenshots.py [OUT_DIR]

Not a test (no ``test_`` prefix). It loads demo data into a throw-away data folder, signs in as the demo rep
(1001) in the real App and drives the Lookup page: type-ahead results, verification with the SMS simulator, the
verified account (lines, devices with EIP), and the new-customer form with a duplicate warning.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from posapp.db.models import Account, AccountMember, Bill, Customer, FinancingAgreement, Line  # noqa: E402
from posapp.demo.loader import DEMO_ACCOUNT_PINS, load_demo  # noqa: E402
from posapp.paths import DataPaths  # noqa: E402
from posapp.security.pins import verify_pin  # noqa: E402
from posapp.services.registry import Services  # noqa: E402
from tests.ui.shots import save, save_over, settle, wait_until  # noqa: E402
from ui.app import App  # noqa: E402
from ui.qt_workarounds import pin_true  # noqa: E402
from ui.theme import apply_theme  # noqa: E402
from ui.views.lookup.page import LookupPage  # noqa: E402


def busy_prefix(services: Services) -> str:
    """The 3-letter last-name prefix most customers share: a type-ahead worth showing."""
    with services.uow.read() as s:
        prefix = func.substr(Customer.last_name, 1, 3)
        return str(s.execute(select(prefix).group_by(prefix).order_by(func.count().desc()).limit(1)).scalar_one())


def showcase(services: Services) -> tuple[str, str, str, str]:
    """A demo account worth showing (3+ lines, a device on EIP, a bill history) and its primary holder's name,
    phone, last name and account PIN (the demo PINs come from a small published pool)."""
    with services.uow.read() as s:
        billed = set(s.scalars(select(Bill.account_id)))
        financed = dict(s.execute(select(FinancingAgreement.account_id, func.count())
                                  .where(FinancingAgreement.balance_cents > 0)
                                  .group_by(FinancingAgreement.account_id)).all())
        lines = dict(s.execute(select(Line.account_id, func.count()).group_by(Line.account_id)).all())
        best = max((a for a in billed if lines.get(a, 0) >= 3), key=lambda a: (financed.get(a, 0), str(a)))
        account = s.get(Account, best)
        assert account is not None
        holder = s.scalar(select(Customer).join(AccountMember, AccountMember.customer_id == Customer.id).where(
            AccountMember.account_id == account.id, AccountMember.role == "primary"))
        assert holder is not None and account.pin_hash and account.pin_salt
        pin = next(p for p in DEMO_ACCOUNT_PINS if verify_pin(p, pin_hash=account.pin_hash, salt=account.pin_salt,
                                                               params=account.pin_params))
        return f"{holder.first_name} {holder.last_name}", holder.phone_e164, holder.last_name, pin


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication(sys.argv[:1])
    pin_true()
    apply_theme(qt)
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths.resolve(tmp)
        seed = Services.open(paths)
        load_demo(seed, customers=400, seed=3)
        name, phone, _last, pin = showcase(seed)
        prefix = busy_prefix(seed)
        seed.close()
        pos = App(paths=paths, exit_app=lambda code: None, idle_ms=10 * 60_000)
        pos.start()
        wait_until(qt, lambda: pos.login.ready)
        pos.login.number.setText("1001")
        pos.login.pin.setText("2580")
        pos.login.submit()
        wait_until(qt, lambda: pos.session is not None)
        assert pos.session is not None
        window = pos.session.main_window
        page = window.stack.widget(0)
        assert isinstance(page, LookupPage)
        wait_until(qt, lambda: window.status.info is not None)
        settle(qt)

        page.search.field.setFocus()
        for ch in prefix:
            page.search.field.insert(ch)
            settle(qt, 0.03)
        wait_until(qt, lambda: page.search.is_current)
        page.results.move_selection(1)
        settle(qt)
        save(window, out / "lookup_results.png")

        page.search.field.setText(phone[2:])
        wait_until(qt, lambda: page.search.is_current)
        page.results.pick_current()
        wait_until(qt, lambda: page.step == "verify")
        page.verify.id_match.click()
        wait_until(qt, lambda: page.verify.visit is not None and page.verify.visit.photo_id_type is not None)
        page.verify.send.click()
        wait_until(qt, lambda: page.verify.sent is not None)
        page.verify.pin.setFocus()
        settle(qt)
        save(window, out / "verify.png")

        page.verify.pin.setText(pin)
        page.verify.check_pin.click()
        wait_until(qt, lambda: page.step == "account")
        settle(qt)
        save(window, out / "account_view.png")
        page.account.tabs.setCurrentWidget(page.account.devices)
        settle(qt)
        save(window, out / "account_view_devices.png")
        page.account.case_panel.finish.click()
        wait_until(qt, lambda: page.step == "search")

        page.open_new_customer()
        dialog = page.new_customer_dialog
        assert dialog is not None
        first, last = name.split(" ", 1)
        dialog.first.setText(first)
        dialog.last.setText(last)
        dialog.phone.setText(f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}")
        dialog.create_button.click()
        wait_until(qt, dialog.dupes.isVisible)
        settle(qt)
        save_over(window, dialog, out / "new_customer.png")
        dialog.reject()
        pos.shutdown()
    qt.quit()


if __name__ == "__main__":
    main()
