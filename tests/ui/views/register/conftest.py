"""Fixtures for the Register page tests: real services on a real SQLite file, stock received through the real
stock service, the simulator terminal and cash drawer (the only adapters that exist here), the real DB worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tests.helpers.register import Stocked, stock
from ui.customer_window import CustomerWindow
from ui.views.register.page import RegisterPage
from ui.worker import DbWorker


@pytest.fixture
def stocked(services: Any, employees: Any) -> Stocked:
    return stock(services, employees.rep, devices=3)


@pytest.fixture
def device_worker(qtbot: QtBot, unexpected: list[BaseException]) -> Iterator[DbWorker]:
    """The app's second worker: card terminal, cash drawer, rasterising for the printer."""
    w = DbWorker(on_unexpected=unexpected.append, name="posapp-device")
    yield w
    w.shutdown(wait=True)


def make_page(qtbot: QtBot, services: Any, worker: Any, actor: Any, tmp_path: Path, *,
              device_worker: DbWorker | None = None, register: Any = None) -> RegisterPage:
    p = RegisterPage(register=register or services.register, receipts=services.receipts, auth=services.auth,
                     worker=worker, device_worker=device_worker, actor=actor,
                     discount_limit_percent=services.settings.current().discount_limit_percent,
                     store_timezone=services.settings.current().store_timezone, save_folder=tmp_path / "email",
                     reports_dir=tmp_path / "reports")
    p.resize(1060, 720)
    with qtbot.waitActive(p):
        p.show()
        p.activateWindow()
    qtbot.waitUntil(p.cart.scan.hasFocus)
    return p


@pytest.fixture
def page(qtbot: QtBot, services: Any, employees: Any, worker: Any, device_worker: DbWorker, tmp_path: Path,
         stocked: Stocked) -> Iterator[RegisterPage]:
    p = make_page(qtbot, services, worker, employees.rep, tmp_path, device_worker=device_worker)
    yield p
    p.tender.card.auto_requery_ms = None
    qtbot.waitUntil(lambda: worker.pending == 0 and device_worker.pending == 0, timeout=10_000)
    p.set_customer_display(None)
    p.close()
    p.deleteLater()


@pytest.fixture
def display(qtbot: QtBot, page: RegisterPage) -> Iterator[CustomerWindow]:
    w = CustomerWindow(store_name="Demo Wireless", store_address="1500 Pike St")
    qtbot.addWidget(w)
    w.resize(1024, 640)
    w.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)  # as present() does on one screen
    w.show()
    page.set_customer_display(w)
    page.activateWindow()  # the offscreen platform activates every new window; the rep's keeps the keyboard
    qtbot.waitUntil(page.cart.scan.hasFocus)
    yield w
    w.close_for_good()


def scan(qtbot: QtBot, page: RegisterPage, code: str) -> None:
    """Type a code and Enter into the scan field, and wait until the cart has it."""
    before = page.sale.lines if page.sale is not None else ()
    n = sum(x.qty for x in before)
    qtbot.keyClicks(page.cart.scan, code)
    with qtbot.waitSignal(page.sale_changed, timeout=10_000):
        qtbot.keyClick(page.cart.scan, Qt.Key.Key_Return)
    assert page.sale is not None and sum(x.qty for x in page.sale.lines) > n, page.cart.error.text()


def key(qtbot: QtBot, page: RegisterPage, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        widget: Any = None) -> None:
    qtbot.keyClick(widget or page.focusWidget() or page.cart.scan, k, mods)


def draw_signature(qtbot: QtBot, canvas: Any) -> None:
    """Two strokes with the mouse, as a customer would sign."""
    w, h = canvas.width(), canvas.height()
    for y0 in (0.45, 0.6):
        start = QPoint(int(w * 0.15), int(h * y0))
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
        for i in range(1, 12):
            qtbot.mouseMove(canvas, QPoint(int(w * (0.15 + i * 0.06)), int(h * (y0 + (0.08 if i % 2 else -0.08)))))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(w * 0.85), int(h * y0)))
