"""Regenerate docs/screenshots/activation/account_view_activations.png: the account view's Activations tab.

    DISPLAY=:80 scripts/with-keyring.sh .venv/bin/python tests/ui/make_account_activations_screenshot.py [OUT]

(an X server such as ``Xvfb :80`` with ``openbox``; the window is captured with ``xwd -id`` and converted to PNG;
without ``DISPLAY`` the offscreen platform is used and the window is grabbed by Qt.) Not a test. In a throw-away
data folder with demo customers it signs in as the demo rep (1001), verifies a demo customer to step-up in Lookup,
then through the real activation service: a line with an eSIM paid and provisioned by the carrier simulator
(Active), a port-in with a wrong transfer PIN (rejected), and a line left in the register's cart (pending payment).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from posapp.adapters.provisioning import SimulatedCarrier  # noqa: E402
from posapp.db.models import Plan  # noqa: E402
from posapp.demo.loader import load_demo  # noqa: E402
from posapp.domain.activation import ActivationKind, SimKind  # noqa: E402
from posapp.paths import DataPaths  # noqa: E402
from posapp.services.activation import pool  # noqa: E402
from posapp.services.activation.dto import PortInForm  # noqa: E402
from posapp.services.dto import Actor  # noqa: E402
from posapp.services.registry import Services  # noqa: E402
from tests.helpers import register as reg  # noqa: E402
from tests.services.activation.builder import iccid  # noqa: E402
from tests.ui.make_activation_screenshots import EID, POOL, customer  # noqa: E402
from tests.ui.shots import save, settle, verify_step_up, wait_until  # noqa: E402
from ui.app import App  # noqa: E402
from ui.qt_workarounds import pin_true  # noqa: E402
from ui.theme import apply_theme  # noqa: E402
from ui.views.lookup.page import LookupPage  # noqa: E402

WRONG_PIN = PortInForm(msisdn="+12065550181", old_carrier="Evergreen Mobile", old_account_number="EM44710921",
                       transfer_pin="0000", name="Dana Whitfield", billing_zip="98103")


def orders(services: Services, rep: Actor, visit_id: uuid.UUID, imeis: tuple[str, ...]) -> None:
    svc, cart = services.activation, services.register.cart
    with services.uow.read() as s:
        plan = s.scalars(select(Plan.code).where(Plan.active.is_(True)).order_by(Plan.code)).first()
    assert plan is not None

    def line(imei: str, *, esim: bool, number: str | None = None, port: PortInForm | None = None) -> uuid.UUID:
        act = svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=visit_id)
        act = svc.set_device(rep, act.id, 1, svc.check_device(imei))
        act = (svc.set_sim(rep, act.id, 1, kind=SimKind.ESIM, eid=EID) if esim
               else svc.set_sim(rep, act.id, 1, kind=SimKind.PHYSICAL, iccid=iccid(7)))
        if port is not None:
            act = svc.set_port_in(rep, act.id, 1, port)
        else:
            act = svc.pick_number(rep, act.id, 1, number or POOL[0])
        act = svc.set_plan(rep, act.id, 1, plan_code=plan)
        sale = cart.open(rep)
        svc.to_cart(rep, act.id, sale.id)
        return sale.id

    services.register.drawer.open_session(rep, float_cents=10_000)
    for sale_id in (line(imeis[0], esim=True), line(imeis[1], esim=False, port=WRONG_PIN)):
        due = cart.view(sale_id).remaining_cents
        services.register.tenders.pay_cash(rep, sale_id, amount_cents=due, tendered_cents=due)
        reg.complete(services, rep, sale_id)
    line(imeis[2], esim=True, number=POOL[1])  # stays in the cart


def capture(window: QWidget, path: Path) -> None:
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        save(window, path)
        return
    xwd = subprocess.run(["xwd", "-silent", "-id", str(int(window.winId()))], check=True, capture_output=True)
    subprocess.run(["convert", "xwd:-", str(path)], input=xwd.stdout, check=True)
    print("wrote", path)


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
        stocked = reg.stock(seed, rep, devices=3)
        with seed.uow.write(rep) as tx:
            pool.add_numbers(tx, POOL)
        phone, pin = customer(seed)
        seed.close()

        pos = App(paths=paths, exit_app=lambda code: None, idle_ms=10 * 60_000, provisioning=False)
        pos.start()
        wait_until(qt, lambda: pos.login.ready)
        pos.login.number.setText("1001")
        pos.login.pin.setText("2580")
        pos.login.submit()
        wait_until(qt, lambda: pos.session is not None)
        assert pos.session is not None and pos.services is not None
        window, services = pos.session.main_window, pos.services
        window.resize(1366, 800)
        carrier = services.carrier
        assert isinstance(carrier, SimulatedCarrier)
        carrier.delay_s = 0
        lookup = window.stack.widget(0)
        assert isinstance(lookup, LookupPage)
        verify_step_up(qt, lookup, services, phone, pin)
        assert lookup.visit is not None
        orders(services, pos.session.actor, lookup.visit.id, stocked.imeis)
        tab = lookup.account.activations
        tab.reload()
        lookup.account.tabs.setCurrentWidget(tab)
        wait_until(qt, lambda: len(tab.status_texts()) == 3)
        for _ in range(8):  # the carrier simulator answers; the bridge's events refresh the tab
            services.provisioning.run_once()
            settle(qt, 0.3)
        wait_until(qt, lambda: any(t.startswith("Active") for t in tab.status_texts())
                   and any(t.startswith("Transfer rejected") for t in tab.status_texts()))
        tab.table.setFocus()
        settle(qt, 1.0)
        print("statuses:", tab.status_texts())
        capture(window, out / "account_view_activations.png")
        pos.shutdown()
    qt.quit()


if __name__ == "__main__":
    main()
