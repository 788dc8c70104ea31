"""Helpers of the screenshot scripts (``tests/ui/make_*_screenshots.py``): drive the event loop, grab, save."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from posapp.services.registry import Services
    from ui.views.lookup.page import LookupPage


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("condition not reached")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, path: Path) -> None:
    """Grab ``widget`` into ``path``. With SHOT_DEBUG set, list the tall children (to find what stretches a page)."""
    if os.environ.get("SHOT_DEBUG"):
        for w in [widget, *widget.findChildren(QWidget)]:
            if w.isVisible() and w.minimumSizeHint().height() > 150:
                print("   ", w.objectName() or type(w).__name__, w.minimumSizeHint(), w.size())
    widget.grab().save(str(path))
    print("wrote", path)


def save_over(window: QWidget, dialog: QWidget, path: Path) -> None:
    """The dialog as the user sees it: centred over the (dimmed) window it belongs to."""
    canvas = window.grab()
    painter = QPainter(canvas)
    painter.fillRect(canvas.rect(), QColor(15, 42, 68, 110))
    shot = dialog.grab()
    x, y = (canvas.width() - shot.width()) // 2, (canvas.height() - shot.height()) // 2
    painter.fillRect(x - 1, y - 1, shot.width() + 2, shot.height() + 2, QColor("#9aa7b6"))
    painter.drawPixmap(x, y, shot)
    painter.end()
    canvas.save(str(path))
    print("wrote", path)


def verify_step_up(qt: QApplication, lookup: LookupPage, services: Services, phone: str, pin: str) -> None:
    """Lookup: the customer verified to step-up (photo ID, account PIN, then the one-time code)."""
    lookup.search.field.setText(phone[2:])
    wait_until(qt, lambda: lookup.search.is_current)
    lookup.results.pick_current()
    wait_until(qt, lambda: lookup.step == "verify")
    lookup.verify.id_match.click()
    wait_until(qt, lambda: lookup.verify.visit is not None and lookup.verify.visit.photo_id_type is not None)
    lookup.verify.send.click()
    wait_until(qt, lambda: lookup.verify.sent is not None)
    sent, controls = lookup.verify.sent, services.sms.test_controls()
    assert sent is not None and controls is not None
    found = re.search(r"\b(\d{6})\b", controls.message_text(sent.message_id or "") or "")
    assert found is not None
    lookup.verify.pin.setText(pin)
    lookup.verify.check_pin.click()
    wait_until(qt, lambda: lookup.step == "account")
    lookup._step_up()
    wait_until(qt, lambda: lookup.step == "verify")
    lookup.verify.code.setText(found.group(1))
    lookup.verify.check_code.click()
    wait_until(qt, lambda: lookup.step == "account" and lookup.visit is not None
               and lookup.visit.level.value == "step_up")
