"""Regenerate docs/screenshots/*.png from the real app on a throw-away data folder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/make_screenshots.py [OUT_DIR]

Not a test (no ``test_`` prefix); it drives the same App the tests use, with real services on a real SQLite file.
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

from posapp.paths import DataPaths  # noqa: E402
from posapp.services.dto import SYSTEM_ACTOR  # noqa: E402
from posapp.services.registry import Services  # noqa: E402
from tests.ui.shots import save, save_over, settle, wait_until  # noqa: E402
from ui.app import WINDOW_SIZE, App  # noqa: E402
from ui.theme import apply_theme  # noqa: E402

PEOPLE = (("1001", "Maya Thompson", "rep", "2580"), ("2001", "Daniel Okafor", "manager", "4826"),
          ("9001", "Priya Raman", "admin", "7351"))










def sign_in(qt: QApplication, pos: App, number: str, pin: str) -> None:
    pos.login.number.setText(number)
    pos.login.pin.setText(pin)
    pos.login.submit()
    wait_until(qt, lambda: pos.session is not None)
    assert pos.session is not None
    wait_until(qt, lambda: pos.session is not None and pos.session.main_window.status.info is not None)
    settle(qt)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication(sys.argv[:1])
    apply_theme(qt)
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths.resolve(tmp)
        seed = Services.open(paths)
        for number, name, role, pin in PEOPLE:
            seed.employees.add(SYSTEM_ACTOR, number=number, name=name, role=role, pin=pin)
        seed.close()
        pos = App(paths=paths, exit_app=lambda code: None, idle_ms=10 * 60_000)
        pos.start()
        wait_until(qt, lambda: pos.login.ready)
        settle(qt)
        pos.login.number.setText("1001")
        pos.login.number.setFocus()
        settle(qt, 0.2)
        save(pos.login, out / "login.png")
        assert pos.customer is not None
        pos.customer.resize(*WINDOW_SIZE)  # as on a 1280×800 customer screen
        settle(qt)
        save(pos.customer, out / "customer_window.png")

        sign_in(qt, pos, "1001", "2580")
        session = pos.session
        assert session is not None
        save(session.main_window, out / "main_window.png")
        session.main_window.lock()
        settle(qt)
        save(session.main_window, out / "lock.png")
        session.sign_out()
        wait_until(qt, lambda: pos.session is None)

        sign_in(qt, pos, "2001", "4826")
        assert pos.session is not None
        pos.session.main_window.show_page("manager")
        settle(qt)
        save(pos.session.main_window, out / "main_window_manager.png")
        pos.session.sign_out()
        wait_until(qt, lambda: pos.session is None)

        sign_in(qt, pos, "9001", "7351")
        assert pos.session is not None
        pos.session.open_settings()
        dialog = pos.session.settings_dialog
        assert dialog is not None
        settle(qt)
        save_over(pos.session.main_window, dialog, out / "settings.png")
        pos.shutdown()
    qt.quit()


if __name__ == "__main__":
    main()
