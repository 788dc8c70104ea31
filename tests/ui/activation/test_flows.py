"""The Activation page end to end with the keyboard and the scanner only, through the real activation service, the
register and the provisioning queue with the carrier simulator: (a) a new line with an eSIM whose QR code appears on
the customer window (and nowhere on the rep's), (b) an upgrade financed on EIP. Each prints how many keystroke
bursts and confirmations it took."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from posapp.adapters.provisioning import SimulatedCarrier
from posapp.domain.activation import ActivationStatus, LineActivationStatus, SimKind
from posapp.services.activation.dto import LineDTO
from posapp.workflows.activation import ActivationStep
from tests.helpers.register import Stocked, terminal
from tests.receipts.tools import zbar_symbols
from tests.services.activation.builder import iccid
from tests.ui.activation.scenario import POOL, Counter, Keys, stock_and_pool, verified_visit
from tests.ui.test_customer_window_esim import widget_strings
from tests.ui.views.register.conftest import draw_signature
from ui.customer_window import CustomerWindow
from ui.views.activation.number_panel import KEEP_SERVICE
from ui.worker import DbWorker

CTRL = Qt.KeyboardModifier.ControlModifier
EID = "89049032000001000000012345678954"
S = ActivationStep


@pytest.fixture
def device_worker(qtbot: QtBot, unexpected: list[BaseException]) -> Iterator[DbWorker]:
    w = DbWorker(on_unexpected=unexpected.append, name="posapp-device")
    yield w
    w.shutdown(wait=True)


@pytest.fixture
def display(qtbot: QtBot) -> Iterator[CustomerWindow]:
    w = CustomerWindow(store_name="Demo Wireless", store_address="1500 Pike St")
    w.resize(1024, 640)
    w.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
    w.show()
    yield w
    w.close_for_good()
    w.deleteLater()


@pytest.fixture
def stocked(services: Any, employees: Any) -> Stocked:
    return stock_and_pool(services, employees)


@pytest.fixture
def counter(qtbot: QtBot, services: Any, employees: Any, worker: DbWorker, device_worker: DbWorker,
            tmp_path: Path, display: CustomerWindow, stocked: Stocked) -> Iterator[Counter]:
    c = Counter(services=services, worker=worker, device_worker=device_worker, actor=employees.rep,
                tmp_path=tmp_path, display=display)
    with qtbot.waitActive(c):
        c.show()
        c.activateWindow()
    yield c
    c.register.tender.card.auto_requery_ms = None
    qtbot.waitUntil(lambda: worker.pending == 0 and device_worker.pending == 0, timeout=10_000)
    c.close_down()
    c.close()
    c.deleteLater()


def wait_step(qtbot: QtBot, counter: Counter, step: ActivationStep) -> None:
    page = counter.activation
    try:
        qtbot.waitUntil(lambda: page.flow.step is step and not page.flow.busy, timeout=15_000)
    except Exception:
        raise AssertionError(f"not at {step}: at {page.flow.step}; page says {page.error.text()!r}") from None


def wait_line(qtbot: QtBot, counter: Counter, ok: Callable[[LineDTO], bool]) -> None:
    page = counter.activation

    def done() -> bool:
        line = page.flow.line
        return line is not None and ok(line) and not page.flow.busy

    try:
        qtbot.waitUntil(done, timeout=15_000)
    except Exception:
        raise AssertionError(f"the line did not change; page says {page.error.text()!r}") from None


def focused() -> Any:
    w = QApplication.focusWidget()
    assert w is not None, "nothing has the keyboard focus"
    return w


def pay_by_card_and_sign(qtbot: QtBot, counter: Counter, keys: Keys, display: CustomerWindow) -> None:
    """F10, Enter on the amount (the simulated terminal approves), the customer signs, Ctrl+Enter completes."""
    register = counter.register
    keys.key(focused(), Qt.Key.Key_F10)
    with qtbot.waitSignal(register.sale_changed, timeout=10_000):
        keys.key(register.tender.card.amount, Qt.Key.Key_Return)
    assert register.sale is not None and register.sale.remaining_cents == 0, register.tender.card.state.text()
    qtbot.waitUntil(lambda: register.flow.signature_required or register.complete_panel.button.isEnabled(),
                    timeout=10_000)
    if register.flow.awaiting_signature:  # the customer's part, on the customer window
        display.consent.accept_button.click()
        draw_signature(qtbot, display.pad.canvas)
        qtbot.mouseClick(display.pad.accept_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: register.flow.signed, timeout=10_000)
    with qtbot.waitSignal(register.completed, timeout=20_000):
        keys.key(focused(), Qt.Key.Key_Return, CTRL)


def provision(qtbot: QtBot, services: Any, worker: DbWorker, passes: int = 6) -> None:
    """Run the provisioning queue against the carrier simulator on the DB worker (as the app's worker does); the
    simulator answers at once (no delay between its stages)."""
    carrier = services.carrier
    assert isinstance(carrier, SimulatedCarrier)
    carrier.delay_s = 0
    done: list[object] = []
    for n in range(1, passes + 1):
        worker.run(lambda: services.provisioning.run_once(), done.append, done.append)
        qtbot.waitUntil(lambda n=n: len(done) == n, timeout=15_000)
        assert not isinstance(done[-1], BaseException), done[-1]


def test_a_new_line_with_an_esim_by_keyboard_and_scanner_shows_the_qr_on_the_customer_window(
        qtbot, services, employees, worker, counter, display, make_account, stocked, tmp_path, capsys):
    account = make_account(lines=1, financed=False)
    page = counter.activation
    page.set_visit(verified_visit(services, employees.rep, account), who="Ana Lopez")
    counter.show_page("activation")
    keys = Keys(qtbot)

    qtbot.waitUntil(page.kind.list.hasFocus, timeout=5_000)
    keys.key(focused(), Qt.Key.Key_1)  # 1 = Add a line
    wait_step(qtbot, counter, S.DEVICE)
    assert page.device.scan.hasFocus()
    keys.burst(focused(), stocked.imeis[0])
    wait_line(qtbot, counter, lambda ln: ln.imei == stocked.imeis[0])
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.SIM)
    keys.burst(focused(), EID)
    wait_line(qtbot, counter, lambda ln: ln.sim_kind is SimKind.ESIM)
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.NUMBER)
    qtbot.waitUntil(lambda: page.number.pool.count() == len(POOL), timeout=10_000)
    keys.key(focused(), Qt.Key.Key_Return)  # the first number of the pool
    wait_line(qtbot, counter, lambda ln: ln.msisdn == POOL[0])
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.PLAN)
    keys.key(focused(), Qt.Key.Key_Return)
    wait_line(qtbot, counter, lambda ln: ln.plan_code is not None)
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.REVIEW)
    assert page.review.cart_button.isEnabled(), page.review.reason.text()
    keys.key(focused(), Qt.Key.Key_F12)

    qtbot.waitUntil(lambda: counter.currentWidget() is counter.register and counter.register.sale is not None,
                    timeout=15_000)
    assert page.flow.step is S.IN_CART
    sale = counter.register.sale
    assert sale is not None and any(x.imei == stocked.imeis[0] for x in sale.lines)
    pay_by_card_and_sign(qtbot, counter, keys, display)
    order = services.activation.for_sale(sale.id)[0]
    assert order.status is ActivationStatus.QUEUED

    keys.key(focused(), Qt.Key.Key_F4)  # back to the activation: live status
    qtbot.waitUntil(lambda: page.flow.step is not S.IN_CART, timeout=10_000)
    assert "pending" in " ".join(page.status.table.texts()).lower()
    provision(qtbot, services, worker)
    qtbot.waitUntil(lambda: display.mode == "esim", timeout=15_000)
    qtbot.waitUntil(lambda: page.flow.step is S.DONE, timeout=15_000)
    line = page.flow.activation.lines[0] if page.flow.activation else None
    assert line is not None and line.status is LineActivationStatus.ACTIVE

    png = tmp_path / "qr.png"
    assert display.esim.qr.grab().toImage().save(str(png))
    symbols = zbar_symbols(png)
    assert len(symbols) == 1 and symbols[0].startswith("QR-Code:LPA:1$")
    code = symbols[0].removeprefix("QR-Code:")
    assert page.status.esim.text().startswith("eSIM code sent to the customer screen")
    rep_side = widget_strings(counter)
    assert not [s for s in rep_side if code in s or code.split("$")[-1] in s]
    with capsys.disabled():
        print("\n" + keys.summary("new line with eSIM"))


def test_an_upgrade_financed_on_eip_by_keyboard_and_scanner(qtbot, services, employees, worker, counter, display,
                                                           make_account, stocked, capsys):
    account = make_account(lines=1, financed=False)
    page = counter.activation
    page.set_visit(verified_visit(services, employees.rep, account), who="Ana Lopez", line_id=account.line_ids[0])
    counter.show_page("activation")
    keys = Keys(qtbot)

    qtbot.waitUntil(page.kind.list.hasFocus, timeout=5_000)
    keys.key(focused(), Qt.Key.Key_3)  # 3 = Upgrade (the line picked in the account view)
    wait_step(qtbot, counter, S.DEVICE)
    keys.burst(focused(), stocked.imeis[1])
    wait_line(qtbot, counter, lambda ln: ln.imei == stocked.imeis[1])
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.SIM)
    keys.key(focused(), Qt.Key.Key_Return)  # the line keeps its SIM
    wait_step(qtbot, counter, S.PLAN)
    keys.key(focused(), Qt.Key.Key_F, CTRL)  # finance on EIP
    assert page.plan.finance.isChecked() and page.plan.down.hasFocus()
    keys.text(focused(), "100")
    keys.key(focused(), Qt.Key.Key_Return)
    wait_line(qtbot, counter, lambda ln: ln.financed)
    eip = page.flow.line.eip if page.flow.line else None
    assert eip is not None and eip.down_payment_cents == 10_000 and eip.months == 24
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.REVIEW)
    assert "EIP $100.00 down \u00b7 24 \u00d7" in " ".join(page.review.table.texts())
    keys.key(focused(), Qt.Key.Key_F12)

    qtbot.waitUntil(lambda: counter.currentWidget() is counter.register and counter.register.sale is not None,
                    timeout=15_000)
    sale = counter.register.sale
    assert sale is not None
    pay_by_card_and_sign(qtbot, counter, keys, display)
    order = services.activation.for_sale(sale.id)[0]
    assert order.status is ActivationStatus.QUEUED and order.lines[0].financed
    assert terminal(services).configured
    with capsys.disabled():
        print("\n" + keys.summary("upgrade financed on EIP"))


@pytest.mark.keyring
def test_a_rejected_transfer_is_fixed_and_sent_again_from_the_status_panel(qtbot, services, employees, worker,
                                                                           counter, display, make_account, stocked,
                                                                           secret_service, capsys):
    account = make_account(lines=1, financed=False)
    page = counter.activation
    page.set_visit(verified_visit(services, employees.rep, account), who="Ana Lopez")
    counter.show_page("activation")
    keys = Keys(qtbot)
    qtbot.waitUntil(page.kind.list.hasFocus, timeout=5_000)
    keys.key(focused(), Qt.Key.Key_1)
    wait_step(qtbot, counter, S.DEVICE)
    keys.burst(focused(), stocked.imeis[2])
    wait_line(qtbot, counter, lambda ln: ln.imei == stocked.imeis[2])
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.SIM)
    keys.burst(focused(), iccid(7))
    wait_line(qtbot, counter, lambda ln: ln.sim_kind is SimKind.PHYSICAL)
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.NUMBER)
    keys.key(focused(), Qt.Key.Key_T, CTRL)
    assert page.number.form.msisdn.hasFocus() and page.number.warning.text() == KEEP_SERVICE
    for text in ("(206) 555-0181", "Evergreen Mobile", "EM44710921", "0000", "Dana Whitfield", "98103"):
        keys.burst(focused(), text)  # each field, Enter to the next; the last Enter sends it
    wait_line(qtbot, counter, lambda ln: ln.port_in is not None)
    assert page.number.form.pin.text() == ""
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.PLAN)
    keys.key(focused(), Qt.Key.Key_Return)
    wait_line(qtbot, counter, lambda ln: ln.plan_code is not None)
    keys.key(focused(), Qt.Key.Key_Return)
    wait_step(qtbot, counter, S.REVIEW)
    assert "Keep your old service active" in page.review.warnings.text()
    keys.key(focused(), Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: counter.currentWidget() is counter.register and counter.register.sale is not None,
                    timeout=15_000)
    pay_by_card_and_sign(qtbot, counter, keys, display)
    keys.key(focused(), Qt.Key.Key_F4)
    provision(qtbot, services, worker)
    qtbot.waitUntil(lambda: page.flow.step is S.NEEDS_ATTENTION, timeout=15_000)
    assert "PIN" in " ".join(page.status.table.texts())

    keys.key(focused(), Qt.Key.Key_R, CTRL)  # fix the transfer
    fix = page.status.fix
    assert not page.status.fix_card.isHidden() and fix.name.text() == "Dana Whitfield" and fix.pin.text() == ""
    keys.burst(fix.account, "EM44710921")
    keys.burst(focused(), "4417")  # the PIN; Enter moves on and, all fields filled, sends it
    qtbot.waitUntil(lambda: page.status.fix_card.isHidden(), timeout=15_000)
    provision(qtbot, services, worker)
    qtbot.waitUntil(lambda: page.flow.step is S.DONE, timeout=15_000)
    line = page.flow.activation.lines[0] if page.flow.activation else None
    assert line is not None and line.status is LineActivationStatus.ACTIVE and line.msisdn == "+12065550181"
    with capsys.disabled():
        print("\n" + keys.summary("port-in rejected, fixed and sent again"))


def test_a_draft_is_cancelled_when_its_visit_ends_and_its_pool_number_goes_back(qtbot, services, employees, counter,
                                                                               make_account, stocked):
    account = make_account(lines=1, financed=False)
    page = counter.activation
    page.set_visit(verified_visit(services, employees.rep, account), who="Ana Lopez")
    counter.show_page("activation")
    qtbot.waitUntil(page.kind.list.hasFocus, timeout=5_000)
    qtbot.keyClick(focused(), Qt.Key.Key_1)
    wait_step(qtbot, counter, S.DEVICE)
    order = page.flow.activation
    assert order is not None
    page.ctl.pick_number(POOL[1])  # as the number step would
    wait_line(qtbot, counter, lambda ln: ln.msisdn == POOL[1])
    assert POOL[1] not in [n.msisdn for n in services.activation.pool_numbers()]
    page.set_visit(None)  # Lookup finished the visit
    assert page.flow.activation is None and page.flow.step is S.CHOOSE_KIND
    qtbot.waitUntil(lambda: services.activation.view(order.id).status is ActivationStatus.CANCELLED, timeout=10_000)
    assert POOL[1] in [n.msisdn for n in services.activation.pool_numbers()]


def test_esc_backs_out_step_by_step_and_from_the_first_step_cancels_the_draft(qtbot, services, employees, counter,
                                                                             make_account, stocked):
    account = make_account(lines=1, financed=False)
    page = counter.activation
    page.set_visit(verified_visit(services, employees.rep, account), who="Ana Lopez")
    counter.show_page("activation")
    qtbot.waitUntil(page.kind.list.hasFocus, timeout=5_000)
    qtbot.keyClick(focused(), Qt.Key.Key_2)  # bring your own device
    wait_step(qtbot, counter, S.DEVICE)
    order = page.flow.activation
    assert order is not None
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # nothing scanned: Enter is refused with the reason
    assert page.error.text() == "Scan the device's IMEI first." and page.flow.step is S.DEVICE
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.flow.step is S.CHOOSE_KIND and not page.flow.busy, timeout=10_000)
    assert services.activation.view(order.id).status is ActivationStatus.CANCELLED
    assert page.kind.list.hasFocus()
