"""AutoPay enrol / un-enrol (only the last 4 digits are ever typed) and the account's alert settings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from posapp.domain.account_rules import AccountAction, Decision
from posapp.domain.enums import AlertKind, AutoPayMethod
from posapp.domain.money import format_cents
from posapp.services.account_view import AccountDetails, AlertView, AutoPayView
from ui.qt import named
from ui.views.lookup.account_tabs import gate
from ui.views.lookup.common import buddy_label, card, help_label, message_label, section_title, show_error

if TYPE_CHECKING:
    from posapp.services.accounts import AccountService
    from posapp.services.dto import Actor
    from ui.worker import DbWorker

METHODS = {AutoPayMethod.BANK: "Bank account", AutoPayMethod.DEBIT: "Debit card",
           AutoPayMethod.CREDIT: "Credit card (no discount)"}
ALERTS = {AlertKind.PLAN_USAGE: "Plan usage alerts (data nearly used up)",
          AlertKind.BILL_READY: "Bill is ready", AlertKind.PAYMENT_DUE: "Payment due reminder"}
DISCOUNT_NOTE = ("The AutoPay discount ($5 per line, up to 8 lines) applies only to a bank account or a debit card, "
                 "never a credit card, and starts after one full bill cycle. Type only the last 4 digits.")


def autopay_text(view: AutoPayView) -> str:
    if not view.enrolled:
        return "Not enrolled"
    method = METHODS.get(AutoPayMethod(view.method), view.method or "") if view.method else ""
    discount = f" · discount {format_cents(view.discount_cents)}/mo" if view.discount_cents else " · no discount"
    return f"Enrolled · {method.replace(' (no discount)', '')} ••{view.last4}{discount}"


class AutoPayAlertsTab(QWidget):
    autopay_changed = Signal(object)  # AutoPayView

    def __init__(self, *, accounts: AccountService, worker: DbWorker, actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts, self._worker, self._actor = accounts, worker, actor
        self.visit_id: uuid.UUID | None = None
        self._actions: dict[AccountAction, Decision] = {}

        pay, pc = card()
        pc.addWidget(section_title("AutoPay"))
        self.state = named(QLabel(""), "AutoPayState")
        self.method = named(QComboBox(), "AutoPayMethod")
        for method, label in METHODS.items():
            self.method.addItem(label, method.value)
        self.last4 = named(QLineEdit(), "AutoPayLast4")
        self.last4.setPlaceholderText("Last 4")
        self.last4.setMaxLength(4)
        self.last4.setFixedWidth(110)
        self.last4.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,4}"), self.last4))
        self.enrol = named(QPushButton("&Enrol in AutoPay"), "AutoPayEnrol")
        self.enrol.setProperty("primary", True)
        self.cancel = named(QPushButton("Un-enrol"), "AutoPayCancel")
        self.pay_error = message_label()
        pc.addWidget(self.state)
        row = QHBoxLayout()
        row.addWidget(buddy_label("Pay &with", self.method))
        row.addWidget(self.method, 1)
        row.addWidget(self.last4)
        pc.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enrol)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        pc.addLayout(buttons)
        pc.addWidget(self.pay_error)
        pc.addWidget(help_label(DISCOUNT_NOTE))
        pc.addStretch(1)

        alerts, ac = card()
        ac.addWidget(section_title("Alerts by text"))
        self.alert_boxes: dict[AlertKind, QCheckBox] = {}
        for kind, label in ALERTS.items():
            box = named(QCheckBox(label), f"Alert_{kind.value}")
            box.toggled.connect(lambda on, k=kind: self._set_alert(k, on))
            self.alert_boxes[kind] = box
            ac.addWidget(box)
        self.alert_error = message_label()
        ac.addWidget(self.alert_error)
        ac.addStretch(1)

        row = QHBoxLayout(self)
        row.setContentsMargins(16, 16, 16, 16)
        row.setSpacing(16)
        row.addWidget(pay, 3)
        row.addWidget(alerts, 2)
        self.enrol.clicked.connect(self._enrol)
        self.last4.returnPressed.connect(self._enrol)
        self.cancel.clicked.connect(self._cancel)

    def show_details(self, visit_id: uuid.UUID, details: AccountDetails,
                     actions: dict[AccountAction, Decision]) -> None:
        self.visit_id = visit_id
        self.pay_error.hide()
        self.alert_error.hide()
        self._actions = actions
        self.state.setText(autopay_text(details.autopay))
        gate(self.enrol, actions[AccountAction.AUTOPAY_ENROL])
        self._gate_cancel(details.autopay.enrolled)
        account_level = {a.kind: a.enabled for a in details.alerts if a.line_id is None}
        allowed = actions[AccountAction.CHANGE_ALERTS]
        for kind, box in self.alert_boxes.items():
            box.blockSignals(True)
            box.setChecked(account_level.get(kind, False))
            box.blockSignals(False)
            box.setEnabled(allowed.allowed)
            box.setToolTip("" if allowed.allowed else allowed.reason)

    def clear(self) -> None:
        self.visit_id, self._actions = None, {}
        self.state.setText("")
        self.last4.clear()
        for box in self.alert_boxes.values():
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)

    def _gate_cancel(self, enrolled: bool) -> None:
        gate(self.cancel, self._actions.get(AccountAction.AUTOPAY_CANCEL, Decision(False, "Verify first."))
             if enrolled else Decision(False, "The account is not enrolled in AutoPay."))

    def _enrol(self) -> None:
        if self.visit_id is None or not self.enrol.isEnabled():
            return
        accounts, actor, visit_id = self._accounts, self._actor(), self.visit_id
        method, last4 = self.method.currentData(), self.last4.text()
        self.pay_error.hide()
        self._worker.run(lambda: accounts.enrol_autopay(actor, visit_id, method=method, last4=last4),
                         self._autopay_done, lambda exc: show_error(self.pay_error, exc, self._worker), owner=self)

    def _cancel(self) -> None:
        if self.visit_id is None:
            return
        accounts, actor, visit_id = self._accounts, self._actor(), self.visit_id
        self.pay_error.hide()
        self._worker.run(lambda: accounts.cancel_autopay(actor, visit_id), self._autopay_done,
                         lambda exc: show_error(self.pay_error, exc, self._worker), owner=self)

    def _autopay_done(self, view: AutoPayView) -> None:
        self.last4.clear()
        self.state.setText(autopay_text(view))
        self._gate_cancel(view.enrolled)
        self.autopay_changed.emit(view)

    def _set_alert(self, kind: AlertKind, on: bool) -> None:
        if self.visit_id is None:
            return
        accounts, actor, visit_id = self._accounts, self._actor(), self.visit_id
        self.alert_error.hide()
        self._worker.run(lambda: accounts.set_alert(actor, visit_id, kind=kind, enabled=on), self._alert_done,
                         lambda exc: self._alert_failed(kind, on, exc), owner=self)

    def _alert_done(self, view: AlertView) -> None:
        self.alert_error.hide()

    def _alert_failed(self, kind: AlertKind, on: bool, exc: BaseException) -> None:
        box = self.alert_boxes[kind]
        box.blockSignals(True)
        box.setChecked(not on)
        box.blockSignals(False)
        show_error(self.alert_error, exc, self._worker)
