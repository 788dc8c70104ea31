"""Regenerate the sync screenshots in docs/screenshots/ from the real app, real terminals and a real central store.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/make_sync_screenshots.py [OUT_DIR]

Not a test (no ``test_`` prefix). Two stores' terminals (S001/T01 and S002/T01) share one central store (a SQLite
file). Both sell with ``simulate sales`` and sync; the same IMEI is then sold in both stores, so the central store
flags a uniqueness conflict. Then store S001's link goes down (its central URL points at a PostgreSQL server that
does not answer): the next run fails and counts as offline, and the counter keeps selling, so unsynced changes pile
up. The app is started on S001 as the demo manager (2001) -> ``status_offline.png`` (the main window with the
status bar) and the sync-details dialog -> ``sync_details.png``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from posapp.central.store import CentralStore  # noqa: E402
from posapp.demo.loader import load_demo  # noqa: E402
from posapp.demo.publish import publish_demo  # noqa: E402
from posapp.demo.sales import simulate  # noqa: E402
from posapp.paths import DataPaths  # noqa: E402
from posapp.services.registry import Services  # noqa: E402
from posapp.sync.protocol import TransportError  # noqa: E402
from tests.sync.terminals import open_terminal, sign_and_complete_cash  # noqa: E402
from tests.ui.shots import save, settle, wait_until  # noqa: E402
from ui.app import App  # noqa: E402
from ui.qt_workarounds import pin_true  # noqa: E402
from ui.theme import apply_theme  # noqa: E402

DEAD_CENTRAL = "postgresql+psycopg://s001@127.0.0.1:9/posapp_central"  # nothing listens on port 9








def in_stock_imei(services: Services) -> tuple[str, str]:
    with sqlite3.connect(services.core.paths.database) as con:
        imei, model = con.execute("SELECT imei, model_code FROM inventory_device WHERE status = 'in_stock' "
                                  "LIMIT 1").fetchone()
    con.close()
    return str(imei), str(model)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        central_url = f"sqlite:///{tmp}/central.sqlite"
        CentralStore.open(central_url, create=True).close()  # what `posapp-admin central init --url` does
        a = open_terminal(Path(tmp) / "s001", "S001", "T01", central_url=central_url)
        b = open_terminal(Path(tmp) / "s002", "S002", "T01", central_url=central_url,
                          store_name="Demo Wireless — Ballard")
        load_demo(a, customers=200, seed=3)
        central = CentralStore.open(central_url)  # head office has the demo rows too, as `posapp-admin demo` does
        try:
            publish_demo(a.core, central)
        finally:
            central.close()
        simulate(a, count=40, seed=1)
        simulate(b, count=25, seed=2)
        for terminal in (a, b):
            print("sync", terminal.core.settings.store_id, terminal.sync.run_now(trigger="manual").ok)
        # The same IMEI is sold in both stores: first at S002, then at S001, whose run gets the conflict flagged.
        imei, model = in_stock_imei(b)
        sign_and_complete_cash(b, imei)
        print("sync S002", b.sync.run_now(trigger="manual").ok)
        from tests.sync.test_engine import _rep  # the simulator's rep of a terminal

        a.register.stock.receive_devices(_rep(a), [(imei, model)])
        sign_and_complete_cash(a, imei)
        print("sync S001", a.sync.run_now(trigger="manual").ok)
        # The link goes down: S001's central store stops answering. One failed run, then the counter keeps selling.
        admin = a.auth.sign_in("9001", "4826")
        a.settings.update(admin, {"central_url": DEAD_CENTRAL})
        with contextlib.suppress(TransportError):  # recorded as an offline run
            a.sync.run_now(trigger="worker")
        simulate(a, count=12, seed=5)
        a.close()
        b.close()

        qt = QApplication(sys.argv[:1])
        pin_true()
        apply_theme(qt)
        paths = DataPaths.resolve(Path(tmp) / "s001")
        pos = App(paths=paths, exit_app=lambda code: None, idle_ms=10 * 60_000, sync=False)
        pos.start()
        wait_until(qt, lambda: pos.login.ready)
        pos.login.number.setText("2001")
        pos.login.pin.setText("3691")
        pos.login.submit()
        wait_until(qt, lambda: pos.session is not None)
        assert pos.session is not None
        window = pos.session.main_window
        window.resize(1280, 800)
        status = window.status
        wait_until(qt, lambda: status.sync is not None)
        settle(qt)
        save(window, out / "status_offline.png")
        status.unsynced_pill.grab().save(str(Path(tmp) / "pill.png"))
        pos.session.open_sync_details()
        dialog = pos.session.sync_dialog
        assert dialog is not None
        wait_until(qt, lambda: dialog.status is not None)
        settle(qt)
        save(dialog, out / "sync_details.png")
        pos.shutdown()
        qt.quit()


if __name__ == "__main__":
    main()
