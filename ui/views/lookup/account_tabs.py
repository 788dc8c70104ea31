"""The account view's read-mostly tabs: lines (with SIM / port-out protection), devices, bills, members."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from posapp.domain.account_rules import AccountAction, Decision
from posapp.domain.money import format_cents
from posapp.services.account_view import AccountDetails, LineView
from ui.qt import named
from ui.views.lookup.activation_actions import LineActivationActions
from ui.views.lookup.common import format_phone, help_label, message_label, nice, section_title, show_error
from ui.views.lookup.tables import DataTable

if TYPE_CHECKING:
    from posapp.services.accounts import AccountService
    from posapp.services.dto import Actor
    from ui.worker import DbWorker

Actions = dict[AccountAction, Decision]
ROLE_RIGHTS = {"Primary Account Holder": "Everything, incl. PIN, roles and removing protections",
               "Master": "Everything, incl. PIN, roles and removing protections",
               "Authorized User": "Changes and purchases", "Standard": "View the account, change alerts",
               "Restricted": "View only", "View": "View only", "No Access": "Nothing", "Non-view": "Nothing"}


def protection_text(line: LineView) -> str:
    return f"SIM: {'On' if line.sim_protection else 'Off'}\nPort-out: {'On' if line.port_out_protection else 'Off'}"


def _day(value: date | None) -> str:
    return f"{value:%b %d, %Y}" if value else "—"


def _eip(balance: int | None, months: int | None, *, short: bool = False) -> str:
    if balance is None:
        return "No EIP"
    if not balance:
        return "EIP paid off" if short else f"{format_cents(0)}\npaid off"
    left = f"{months} month{'s' * (months != 1)} left"
    return f"EIP {format_cents(balance)} · {left}" if short else f"{format_cents(balance)}\n{left}"


def gate(button: QPushButton, decision: Decision, *, why_on: str = "") -> None:
    """Enable ``button`` as the service would decide; when not allowed the reason is the tooltip."""
    button.setEnabled(decision.allowed)
    button.setToolTip(why_on if decision.allowed else decision.reason)


class LinesTab(QWidget):
    line_changed = Signal(object)  # LineView after a protection change
    plan_change_requested = Signal(object)  # LineView: the rep asked to change its plan (Alt+P)

    def __init__(self, *, accounts: AccountService, worker: DbWorker, actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts, self._worker, self._actor = accounts, worker, actor
        self.visit_id: uuid.UUID | None = None
        self.lines: list[LineView] = []
        self.decisions: Actions = {}
        self.table = DataTable(headers=("Number", "Plan", "Device on the line", "Status", "Protection"), stretch=2,
                               name="LinesTable")
        self.table.verticalHeader().setDefaultSectionSize(58)
        self.devices: dict[str, str] = {}
        self.sim = named(QPushButton("SIM protection"), "SimProtection")
        self.port = named(QPushButton("Port-out protection"), "PortProtection")
        self.change_plan = named(QPushButton("Change &plan…"), "ChangePlan")
        self.plan_changes_available = False  # set by the page when it can open the plan-change dialog
        self.error = message_label()
        row = QHBoxLayout()
        row.addWidget(named(QLabel("Selected line:"), "FieldLabel"))
        row.addWidget(self.sim)
        row.addWidget(self.port)
        row.addStretch(1)
        row.addWidget(self.change_plan)
        col = QVBoxLayout(self)
        col.setContentsMargins(16, 16, 16, 16)
        col.addWidget(self.table, 1)
        col.addWidget(self.error)
        col.addLayout(row)
        self.activation = LineActivationActions()  # Add a line / Upgrade / Change SIM: the Activation page (F4)
        col.addWidget(self.activation)
        col.addWidget(help_label("SIM protection blocks SIM and eSIM changes; port-out protection blocks moving the "
                                 "number to another carrier. Only the primary holder may remove them."))
        self.table.currentCellChanged.connect(lambda *_: self._gate())
        self.sim.clicked.connect(lambda: self._toggle("sim"))
        self.port.clicked.connect(lambda: self._toggle("port_out"))
        self.change_plan.clicked.connect(self._change_plan)

    def show_lines(self, visit_id: uuid.UUID, details: AccountDetails, actions: Actions) -> None:
        self.visit_id, self.lines, self.decisions = visit_id, list(details.lines), actions
        self.devices = {d.line_msisdn: f"{d.model}\n{_eip(d.eip_balance_cents, d.eip_months_left, short=True)}"
                        for d in details.devices if d.line_msisdn and d.status == "in_use"}
        self.error.hide()
        self._fill()

    def clear(self) -> None:
        self.visit_id, self.lines, self.decisions, self.devices = None, [], {}, {}
        self.table.set_rows([])
        self._gate()

    def _fill(self) -> None:
        current = max(self.table.currentRow(), 0)
        self.table.set_rows([(format_phone(ln.msisdn), f"{ln.plan_name}\n{format_cents(ln.monthly_cents)}/mo",
                              self.devices.get(ln.msisdn, "No device on record"), nice(ln.status),
                              protection_text(ln)) for ln in self.lines])
        if self.lines:
            self.table.selectRow(min(current, len(self.lines) - 1))
        self._gate()

    def _selected(self) -> LineView | None:
        row = self.table.currentRow()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def _gate(self) -> None:
        line = self._selected()
        plan = self.decisions.get(AccountAction.CHANGE_PLAN, Decision(False, "Verify the customer first."))
        if not self.plan_changes_available:
            plan = Decision(False, "Plan changes are not available here.")
        elif line is not None and line.status != "active":
            plan = Decision(False, "Only an active line can change plans.")
        gate(self.change_plan, plan if line is not None else Decision(False, "Select a line first."),
             why_on="Pick a new plan and features, preview the proration, apply now or at the next cycle (Alt+P)")
        self.activation.show_line(line, self.decisions)
        for button, which, label in ((self.sim, "sim", "SIM"), (self.port, "port_out", "port-out")):
            if line is None:
                button.setText(f"{label.capitalize()} protection")
                button.setEnabled(False)
                continue
            on = line.sim_protection if which == "sim" else line.port_out_protection
            button.setText(f"Remove {label} protection" if on else f"Turn on {label} protection")
            action = AccountAction.REMOVE_PROTECTION if on else AccountAction.ADD_PROTECTION
            gate(button, self.decisions.get(action, Decision(False, "Verify the customer first.")))

    def _change_plan(self) -> None:
        line = self._selected()
        if line is not None:
            self.plan_change_requested.emit(line)

    def _toggle(self, which: str) -> None:
        line = self._selected()
        if line is None or self.visit_id is None:
            return
        on = not (line.sim_protection if which == "sim" else line.port_out_protection)
        accounts, actor, visit_id = self._accounts, self._actor(), self.visit_id
        self.error.hide()
        self._worker.run(lambda: accounts.set_protection(actor, visit_id, line_id=line.id, which=which, on=on),
                         self._changed, lambda exc: show_error(self.error, exc, self._worker), owner=self)

    def _changed(self, view: LineView) -> None:
        self.lines = [view if ln.id == view.id else ln for ln in self.lines]
        self._fill()
        self.line_changed.emit(view)


class DevicesTab(QWidget):
    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = DataTable(headers=("Device  ·  IMEI  ·  TAC", "Status  ·  line", "Warranty ends",
                                        "EIP balance", "Upgrade"), numeric=(3,), name="DevicesTable")
        self.table.verticalHeader().setDefaultSectionSize(58)
        col = QVBoxLayout(self)
        col.setContentsMargins(16, 16, 16, 16)
        col.addWidget(self.table, 1)
        col.addWidget(help_label("Upgrade: eligible once half of the device is paid off (EIP = equipment "
                                 "installment plan)."))

    def show_devices(self, details: AccountDetails) -> None:
        self.table.set_rows([
            (f"{d.model}\nIMEI {d.imei}  ·  TAC {d.tac}",
             f"{nice(d.status)}\n{format_phone(d.line_msisdn) if d.line_msisdn else 'no line'}",
             _day(d.warranty_end), _eip(d.eip_balance_cents, d.eip_months_left),
             ("Eligible" if d.upgrade_eligible else "Not yet") if d.status == "in_use" else "—")
            for d in sorted(details.devices, key=lambda d: (d.status != "in_use", d.line_msisdn or "", d.model))])

    def clear(self) -> None:
        self.table.set_rows([])


class BillsTab(QWidget):
    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bills = DataTable(headers=("Period", "Due", "Amount", "Status"), numeric=(2,), name="BillsTable")
        self.payments = DataTable(headers=("Paid on", "Amount", "Method"), numeric=(1,), stretch=2,
                                  name="PaymentsTable")
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(section_title("Bills · last 12"))
        left.addWidget(self.bills, 1)
        right.addWidget(section_title("Payments · last 12"))
        right.addWidget(self.payments, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 16, 16, 16)
        row.setSpacing(16)
        row.addLayout(left, 3)
        row.addLayout(right, 2)

    def show_bills(self, details: AccountDetails) -> None:
        self.bills.set_rows([(f"{b.period_start:%b %d} – {b.period_end:%b %d, %Y}", _day(b.due_date),
                              format_cents(b.amount_cents), nice(b.status)) for b in details.bills])
        self.payments.set_rows([(f"{p.paid_at.astimezone():%b %d, %Y}", format_cents(p.amount_cents),
                                 nice(p.method)) for p in details.payments])

    def clear(self) -> None:
        self.bills.set_rows([])
        self.payments.set_rows([])


class MembersTab(QWidget):
    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = DataTable(headers=("Name", "Role on the account", "May"), stretch=2, name="MembersTable")
        col = QVBoxLayout(self)
        col.setContentsMargins(16, 16, 16, 16)
        col.addWidget(self.table, 1)

    def show_members(self, details: AccountDetails) -> None:
        self.table.set_rows([(m.name, m.role, ROLE_RIGHTS.get(m.role, "")) for m in details.members])

    def clear(self) -> None:
        self.table.set_rows([])
