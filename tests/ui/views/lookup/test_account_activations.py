"""The account view's Activations tab on the real services and a real SQLite file: an add-a-line order with an eSIM
is listed as pending payment, and after payment and the provisioning queue's passes against the carrier simulator
(the bridge forwarding each line status) it reads Active without the account being opened again. The eSIM code
never appears in any widget of the rep's screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from posapp.adapters.provisioning import SimulatedCarrier
from posapp.db.models import Plan
from posapp.domain.activation import ActivationKind, SimKind
from posapp.domain.enums import PhotoIdType
from posapp.events import EsimCodeReady, LineStatusChanged
from tests.helpers import register as reg
from tests.helpers.accounts import ACCOUNT_PIN
from tests.helpers.staff import REP
from tests.ui.activation.scenario import POOL, stock_and_pool
from tests.ui.views.lookup.conftest import visible_texts
from ui.bridge import EventBridge
from ui.views.activation import links
from ui.views.lookup.activations_tab import STATUS_COLUMN
from ui.views.lookup.page import LookupPage

pytestmark = pytest.mark.gui
EID = "89049032000001000000012345678954"


@pytest.fixture
def bridge(qtbot: QtBot, services: Any, page: LookupPage) -> Iterator[EventBridge]:
    """The session's wiring: the bridge forwards the core's events; the tab reads the activation service."""
    b = EventBridge()
    b.attach(services.core.events)
    unlink = links.link_account_activations(page, b, services.activation.for_account)
    yield b
    unlink()
    b.detach()
    b.deleteLater()


def step_up_visit(services: Any, rep: Any, account: Any) -> Any:
    v = services.verification
    visit = v.start_visit(rep, account_id=account.account_id, customer_id=account.customer_id)
    v.record_photo_id(rep, visit.id, id_type=PhotoIdType.DRIVERS_LICENSE, matched=True)
    v.check_pin(rep, visit.id, ACCOUNT_PIN)
    sent = v.send_code(rep, visit.id, line_id=account.line_ids[0])
    found = re.search(r"\b(\d{6})\b", services.sms.test_controls().message_text(sent.message_id) or "")
    assert found is not None
    visit = v.check_code(rep, visit.id, found.group(1))
    assert visit.level.value == "step_up"
    return visit


def order_in_cart(services: Any, rep: Any, visit_id: Any, imei: str) -> tuple[Any, Any]:
    """An add-a-line order with an eSIM, a pool number and a plan, put into a new sale (pending payment)."""
    svc = services.activation
    with services.uow.read() as s:
        plan = s.scalars(select(Plan.code).where(Plan.active.is_(True)).order_by(Plan.code)).first()
    act = svc.start(rep, kind=ActivationKind.ADD_LINE, visit_id=visit_id)
    act = svc.set_device(rep, act.id, 1, svc.check_device(imei))
    act = svc.set_sim(rep, act.id, 1, kind=SimKind.ESIM, eid=EID)
    act = svc.pick_number(rep, act.id, 1, POOL[0])
    act = svc.set_plan(rep, act.id, 1, plan_code=plan)
    sale = services.register.cart.open(rep)
    return svc.to_cart(rep, act.id, sale.id), sale


def shown(qtbot: QtBot, page: LookupPage, visit: Any) -> None:
    page.visit = visit
    with qtbot.waitSignal(page.verified, timeout=5_000):
        page.verify.verified.emit(visit)


def test_the_tab_lists_a_pending_line_and_shows_it_active_live_without_the_code(
        qtbot: QtBot, page: LookupPage, bridge: EventBridge, services: Any, employees: Any, worker: Any,
        make_account: Any) -> None:
    rep = employees.rep
    stocked = stock_and_pool(services, employees)
    services.register.drawer.open_session(rep, float_cents=10_000)
    account = make_account(lines=1, financed=False)
    visit = step_up_visit(services, rep, account)
    order, sale = order_in_cart(services, rep, visit.id, stocked.imeis[0])
    codes: list[str] = []
    services.core.events.subscribe(lambda e: isinstance(e, EsimCodeReady) and codes.append(e.code))

    shown(qtbot, page, visit)
    view = page.account
    tab = view.activations
    assert view.tabs.isTabVisible(view.tabs.indexOf(tab))
    assert view.tabs.tabText(view.tabs.indexOf(tab)) == "Ac&tivations"
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10_000)
    assert tab.status_texts() == ["Pending payment"]
    row = [tab.table.item(0, c).text() for c in range(STATUS_COLUMN)]
    line = order.lines[0]
    assert row[0] == f"{order.number}\nAdd a line" and row[1] == f"(206) 555-0142\n{line.plan_name}"
    assert row[2] == f"{line.model_name}\neSIM \u00b7 code not issued yet"
    assert tab.table.cellWidget(0, STATUS_COLUMN).chip.property("state") == "wait"

    due = services.register.cart.view(sale.id).remaining_cents
    services.register.tenders.pay_cash(rep, sale.id, amount_cents=due, tendered_cents=due)
    reg.complete(services, rep, sale.id)
    carrier = services.carrier
    assert isinstance(carrier, SimulatedCarrier)
    carrier.delay_s = 0
    statuses: list[str] = []
    bridge.line_status_changed.connect(lambda e: isinstance(e, LineStatusChanged) and statuses.append(e.status))
    for n in range(1, 7):  # on the DB worker, as the app's provisioning worker runs it
        done: list[object] = []
        worker.run(lambda: services.provisioning.run_once(), done.append, done.append)
        qtbot.waitUntil(lambda done=done: bool(done), timeout=15_000)
        assert not isinstance(done[0], BaseException), (n, done[0])
        if "active" in statuses:
            break
    assert "active" in statuses, statuses
    qtbot.waitUntil(lambda: tab.status_texts()[0].startswith("Active since "), timeout=10_000)
    assert tab.table.cellWidget(0, STATUS_COLUMN).chip.property("state") == "ok"
    qtbot.waitUntil(lambda: "\neSIM \u00b7 code " in tab.table.item(0, 2).text(), timeout=10_000)
    assert page.account.visit is visit  # the account was not opened again
    assert codes, "the carrier issued no eSIM code"
    texts = visible_texts(page)
    assert not any(code in text for code in codes for text in texts), "an eSIM code is on the rep's screen"
    assert "not issued" not in tab.table.item(0, 2).text()


def test_the_tab_is_empty_and_hidden_data_is_forgotten_when_the_visit_ends(
        qtbot: QtBot, page: LookupPage, bridge: EventBridge, services: Any, employees: Any,
        make_account: Any) -> None:
    rep = employees.rep
    stocked = stock_and_pool(services, employees)
    account = make_account(lines=1, financed=False)
    visit = step_up_visit(services, rep, account)
    shown(qtbot, page, visit)
    tab = page.account.activations
    qtbot.keyClick(page.account.lines.table, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # the tab's mnemonic
    assert page.account.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.empty.isVisibleTo(tab), timeout=10_000)
    assert tab.table.rowCount() == 0
    order_in_cart(services, rep, visit.id, stocked.imeis[0])
    tab.reload()  # what the F4 page's "Into the cart" triggers (links.link_account_activations)
    qtbot.waitUntil(lambda: tab.status_texts() == ["Pending payment"], timeout=10_000)
    assert not tab.empty.isVisibleTo(tab)
    page.account.clear()
    assert tab.table.rowCount() == 0 and tab.account_id is None


def test_the_session_links_the_tab_to_the_activation_service_and_unlinks_it_on_sign_out(
        qtbot: QtBot, make_app: Any, start_ready: Any, sign_in_ui: Any) -> None:
    app = make_app()
    start_ready(app)
    sign_in_ui(app, REP)
    lookup = next(w for w in app.session.main_window.findChildren(LookupPage))
    tab = lookup.account.activations
    assert tab.available
    view = lookup.account
    assert view.tabs.tabText(view.tabs.indexOf(tab)) == "Ac&tivations"
    with qtbot.waitSignal(app.session_ended):
        app.session.main_window.sign_out_button.click()
    assert not tab.available
