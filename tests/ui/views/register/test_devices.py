"""Devices off the database thread: a card terminal waiting for the customer does not hold up a lookup, a drawer
that fails to open never undoes the cash, a store without a terminal says so, printing rasterises off the UI
thread. Real services on a real SQLite file and the two real workers; only the slow / jammed / missing devices are
doubles (none of them can exist here)."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from posapp.adapters.cash_drawer import SimulatedCashDrawer
from posapp.adapters.payment_terminal import SimulatedTerminal, TerminalResult
from posapp.adapters.unconfigured import NoTerminal
from posapp.services.registry import Register
from posapp.workflows.sale import NO_TERMINAL
from tests.helpers.register import CASE_UPC
from tests.ui.views.register.conftest import make_page, scan
from tests.ui.views.register.test_page import pay_cash_and_complete

CARD_WAIT_S = 10


class SlowTerminal(SimulatedTerminal):
    """A terminal whose customer takes 10 s to present the card (released early by the test's teardown)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = threading.Event()
        self.release = threading.Event()

    def charge(self, idempotency_key: str, amount_cents: int) -> TerminalResult:
        self.asked.set()
        self.release.wait(CARD_WAIT_S)
        return super().charge(idempotency_key, amount_cents)


class JammedDrawer(SimulatedCashDrawer):
    def open(self, reason: str) -> None:
        raise OSError("the drawer is not connected")


@pytest.fixture
def own_page(qtbot, services, employees, worker, device_worker, tmp_path, stocked):
    """A register page on the real services with other device adapters; closed (and the devices released)."""
    made = []

    def make(**adapters):
        register = Register.build(services.uow, **adapters)
        page = make_page(qtbot, services, worker, employees.rep, tmp_path, device_worker=device_worker,
                         register=register)
        made.append((page, register))
        return page

    yield make
    for page, register in made:
        if isinstance(register.terminal, SlowTerminal):
            register.terminal.release.set()
        page.tender.card.auto_requery_ms = None
        qtbot.waitUntil(lambda: worker.pending == 0 and device_worker.pending == 0, timeout=20_000)
        page.close()
        page.deleteLater()


def test_a_lookup_returns_while_the_terminal_waits_for_the_customers_card(qtbot, own_page, services, employees,
                                                                         worker, make_account):
    make_account("Ana", "Lopez", "(206) 555-0142")
    terminal = SlowTerminal()
    page = own_page(terminal=terminal)
    scan(qtbot, page, CASE_UPC)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F10)
    qtbot.keyClick(page.tender.card.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(terminal.asked.is_set, timeout=5_000)  # the terminal waits for the card now
    assert "Pending" in page.tender.card.state.text()

    found = []
    started = time.perf_counter()
    worker.run(lambda: services.lookup.search(employees.rep, "(206) 555-0142"), found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=(CARD_WAIT_S + 5) * 1000)
    elapsed = time.perf_counter() - started
    print(f"\nlookup while the terminal waits {CARD_WAIT_S} s for the card: {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0
    assert found[0].hits and not terminal.release.is_set()

    terminal.release.set()  # the customer presents the card
    qtbot.waitUntil(lambda: page.tender.card.tender is not None, timeout=10_000)
    tender = page.tender.card.tender
    assert tender.state == "approved" and terminal.charges[tender.idempotency_key] == 1
    assert page.sale.remaining_cents == 0


def test_the_kick_failure_is_shown_after_the_cash_is_recorded(qtbot, own_page, services, employees):
    services.register.drawer.open_session(employees.rep, float_cents=10_000)
    page = own_page(cash_drawer=JammedDrawer())
    scan(qtbot, page, CASE_UPC)
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: page.tender.form == "cash", timeout=5_000)
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        qtbot.keyClick(page.tender.cash.tendered, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.cart.error.isVisible(), timeout=5_000)
    assert page.cart.error.text() == "Drawer did not open: the drawer is not connected"
    assert page.sale.remaining_cents == 0 and page.sale.paid_cents == page.sale.due_cents  # the cash stays
    assert services.register.drawer.current(employees.rep).expected_cents == 10_000 + page.sale.due_cents
    qtbot.waitUntil(page.complete_panel.button.isEnabled, timeout=5_000)
    with qtbot.waitSignal(page.receipt_ready, timeout=20_000):
        page.complete()
    assert page.receipt.status == "completed"


def test_without_a_card_terminal_the_card_tender_is_disabled_and_f10_says_why(qtbot, own_page):
    page = own_page(terminal=NoTerminal())  # payment_terminal = none: a cash-only store
    scan(qtbot, page, CASE_UPC)
    assert not page.tender.card_button.isEnabled() and page.tender.cash_button.isEnabled()
    assert page.tender.card_button.toolTip() == NO_TERMINAL
    qtbot.keyClick(page.cart.scan, Qt.Key.Key_F10)
    assert page.tender.form == "choose" and page.cart.error.text() == NO_TERMINAL


def test_printing_rasterises_the_pages_on_the_device_worker(qtbot, page, tmp_path, monkeypatch):
    import ui.views.register.receipt_panel as receipt_panel

    threads: list[str] = []
    real = receipt_panel.rasterise_pdf

    def spy(pdf, dpi=receipt_panel.PRINT_DPI):
        threads.append(threading.current_thread().name)
        return real(pdf, dpi)

    monkeypatch.setattr(receipt_panel, "rasterise_pdf", spy)
    scan(qtbot, page, CASE_UPC)
    pay_cash_and_complete(qtbot, page)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    with qtbot.waitSignal(page.receipt_panel.printed, timeout=20_000) as printed:
        page.receipt_panel.print_to(printer)
    assert printed.args == [1] and threads and threads[0].startswith("posapp-device")
    assert page.receipt_panel.note.text().startswith("Sent 1 page to")
    doc = QPdfDocument()
    assert doc.load(str(out)) == QPdfDocument.Error.None_ and doc.pageCount() == 1
    doc.close()
