"""A counter for the activation flows: real services on a real SQLite file, a verified (step-up) visit, store
stock, pool numbers, and the Activation and Register pages side by side in one window (F3 / F4 switch), linked as
the session links them, with the customer window and the event bridge. Used by the flow tests and the screenshot
script."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QWidget

from posapp.domain.enums import PhotoIdType
from posapp.services.activation import pool
from tests.helpers.accounts import ACCOUNT_PIN, MadeAccount
from tests.helpers.register import Stocked, stock
from ui.bridge import EventBridge
from ui.customer_window import CustomerWindow
from ui.views.activation import links
from ui.views.activation.page import ActivationPage
from ui.views.register.page import RegisterPage
from ui.worker import DbWorker

POOL = ("+12065550142", "+12065550143", "+12065550144")


@dataclass
class Keys:
    """Counts what the rep did: a scanner burst (characters + Enter) or a confirmation (one key or chord)."""

    qtbot: Any
    bursts: int = 0
    confirmations: int = 0
    log: list[str] = field(default_factory=list)

    def burst(self, widget: QWidget, text: str) -> None:
        self.qtbot.keyClicks(widget, text)
        self.qtbot.keyClick(widget, Qt.Key.Key_Return)
        self.bursts += 1
        self.log.append(f"{len(text)} chars + Enter")

    def key(self, widget: QWidget, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(widget, key, mods)
        self.confirmations += 1
        self.log.append(QKeySequence(key.value | mods.value).toString())

    def text(self, widget: QWidget, text: str) -> None:
        """Typed characters (one burst of typing, e.g. a down payment)."""
        self.qtbot.keyClicks(widget, text)
        self.bursts += 1
        self.log.append(f"type {text!r}")

    def summary(self, name: str) -> str:
        return (f"{name}: {self.bursts} keystroke bursts, {self.confirmations} confirmations "
                f"({' · '.join(self.log)})")


class Counter(QStackedWidget):
    """The rep's window: the Register (F3) and the Activation page (F4) in one stack, as the main window has them."""

    def __init__(self, *, services: Any, worker: DbWorker, device_worker: DbWorker, actor: Any, tmp_path: Path,
                 display: CustomerWindow | None) -> None:
        super().__init__()
        self.register = RegisterPage(register=services.register, receipts=services.receipts, auth=services.auth,
                                     worker=worker, device_worker=device_worker, actor=actor,
                                     save_folder=tmp_path / "email", reports_dir=tmp_path / "reports")
        self.activation = ActivationPage(activation=services.activation, cart=services.register.cart,
                                         worker=worker, device_worker=device_worker, actor=actor,
                                         auth=services.auth,
                                         plans=services.activation.plans)
        self.addWidget(self.register)
        self.addWidget(self.activation)
        self.display = display
        self.bridge = EventBridge(parent=self)
        self.bridge.attach(services.core.events)
        links.link_register(self.activation, self.register, self.show_page)
        self.unlink = links.link_events(self.bridge, self.activation, lambda: self.display)
        self.register.set_customer_display(display)
        for keys, key in (("F3", "register"), ("F4", "activation")):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda k=key: self.show_page(k))
        self.shown: list[str] = []
        self.resize(1280, 800)

    def show_page(self, key: str) -> None:
        page = self.register if key == "register" else self.activation
        self.setCurrentWidget(page)
        page.focus_step()
        self.shown.append(key)

    def close_down(self) -> None:
        self.unlink()
        self.bridge.detach()
        self.register.set_customer_display(None)


def verified_visit(services: Any, actor: Any, account: MadeAccount) -> uuid.UUID:
    """A visit verified to step-up: a matching photo ID, the account PIN and a one-time code to a line."""
    v = services.verification
    visit = v.start_visit(actor, account_id=account.account_id, customer_id=account.customer_id)
    v.record_photo_id(actor, visit.id, id_type=PhotoIdType.DRIVERS_LICENSE, matched=True)
    v.check_pin(actor, visit.id, ACCOUNT_PIN)
    sent = v.send_code(actor, visit.id, line_id=account.line_ids[0])
    controls = services.sms.test_controls()
    found = re.search(r"\b(\d{6})\b", controls.message_text(sent.message_id) or "")
    assert found is not None
    assert v.check_code(actor, visit.id, found.group(1)).level.value == "step_up"
    return visit.id


def stock_and_pool(services: Any, employees: Any) -> Stocked:
    stocked = stock(services, employees.rep, devices=3)
    with services.uow.write(employees.admin) as tx:
        pool.add_numbers(tx, POOL)
    return stocked
