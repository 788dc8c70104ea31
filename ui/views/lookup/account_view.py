"""The verified account: a header (name, type, status, balance, AutoPay) and tabs for lines, activations (each
line's status, live), devices, bills and payments, AutoPay and alerts, members and roles, and the visit's case.

It shows only what :meth:`AccountService.screen` returned for the visit; every action button follows the
service's ``actions`` decisions (disabled, with the reason as tooltip) while the service stays the real guard.
It holds no data before a verified screen arrives and forgets everything on :meth:`clear`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from posapp.domain.account_rules import AccountAction
from posapp.domain.money import format_cents
from posapp.services.account_view import AccountScreen, AutoPayView
from ui.qt import named
from ui.views.lookup.account_tabs import BillsTab, DevicesTab, LinesTab, MembersTab
from ui.views.lookup.activations_tab import ActivationsTab
from ui.views.lookup.autopay_alerts import AutoPayAlertsTab, autopay_text
from ui.views.lookup.case_panel import CasePanel
from ui.views.lookup.common import LevelBadge, card, nice, set_prop

if TYPE_CHECKING:
    from posapp.services.accounts import AccountService
    from posapp.services.dto import Actor
    from posapp.services.interactions import InteractionService
    from posapp.services.verification import VerificationService, VisitDTO
    from ui.worker import DbWorker

STEP_UP_KEYS = "Ctrl+U"
NO_VIEW = "Verified — but this customer's role on the account ({role}) may not see account details. Notes and " \
          "the case can still be recorded."


class AccountView(QWidget):
    step_up_requested = Signal()
    visit_finished = Signal()
    plan_change_requested = Signal(object)  # LineView

    def __init__(self, *, accounts: AccountService, interactions: InteractionService,
                 verification: VerificationService, worker: DbWorker, actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AccountView")
        # Shadows QWidget.screen(); kept because the register page (being rewritten on another branch) reads
        # lookup.account.screen. Rename both together (e.g. account_screen) once that rewrite has landed.
        self.screen: AccountScreen | None = None  # type: ignore[assignment]
        self.visit: VisitDTO | None = None

        head, hc = card("AccountHeader")
        self.name = named(QLabel(""), "CustomerName")
        self.facts = named(QLabel(""), "CustomerFacts")
        self.status = named(QLabel(""), "AccountStatus")
        self.balance = named(QLabel(""), "Balance")
        self.balance.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.autopay = named(QLabel(""), "HeaderAutoPay")
        self.autopay.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.badge = LevelBadge()
        self.case = named(QLabel(""), "CaseChip")
        self.step_up = named(QPushButton("Step up…"), "StepUp")
        self.step_up.setToolTip("Add the missing verification methods for step-up actions (Ctrl+U)")
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        title = QHBoxLayout()
        title.setSpacing(12)
        title.addWidget(self.name)
        title.addWidget(self.status)
        title.addStretch(1)
        grid.addLayout(title, 0, 0)
        grid.addWidget(self.facts, 1, 0)
        grid.addWidget(named(QLabel("BALANCE"), "SectionTitle"), 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.balance, 1, 1)
        grid.addWidget(self.autopay, 2, 1)
        chips = QHBoxLayout()
        chips.setSpacing(10)
        chips.addWidget(self.badge)
        chips.addWidget(self.case)
        chips.addStretch(1)
        grid.addLayout(chips, 2, 0)
        grid.setColumnStretch(0, 1)
        row = QHBoxLayout()
        row.addLayout(grid, 1)
        row.addSpacing(16)
        row.addWidget(self.step_up, 0, Qt.AlignmentFlag.AlignVCenter)
        hc.addLayout(row)

        self.notice = named(QLabel(""), "InlineInfo")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.lines = LinesTab(accounts=accounts, worker=worker, actor=actor)
        self.activations = ActivationsTab(worker=worker)  # its source is linked with the Activation page
        self.devices = DevicesTab()
        self.bills = BillsTab()
        self.payments = AutoPayAlertsTab(accounts=accounts, worker=worker, actor=actor)
        self.members = MembersTab()
        self.case_panel = CasePanel(interactions=interactions, verification=verification, worker=worker,
                                    actor=actor)
        self.tabs = named(QTabWidget(), "AccountTabs")
        self.tabs.setDocumentMode(True)
        for widget, label in ((self.lines, "&Lines"), (self.activations, "Ac&tivations"), (self.devices, "De&vices"),
                              (self.bills, "&Bills && payments"),
                              (self.payments, "&AutoPay && alerts"), (self.members, "&Members && roles"),
                              (self.case_panel, "Case && &notes")):
            self.tabs.addTab(widget, label)

        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(12)
        col.addWidget(head)
        col.addWidget(self.notice)
        col.addWidget(self.tabs, 1)

        self.step_up.clicked.connect(self.step_up_requested)
        self.case_panel.visit_finished.connect(self.visit_finished)
        self.lines.plan_change_requested.connect(self.plan_change_requested)
        self.payments.autopay_changed.connect(self._autopay_changed)
        for keys, slot in ((STEP_UP_KEYS, self.step_up.click), ("Esc", self.go_to_finish)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.clear()

    # -- showing ----------------------------------------------------------------------------------------
    def show_screen(self, visit: VisitDTO, screen: AccountScreen) -> None:
        self.visit, self.screen = visit, screen
        details, masked = screen.details, screen.masked
        self.badge.set_level(screen.level)
        self.case.setText(f"Case {visit.case_number}")
        self.step_up.setVisible(screen.level != "step_up")
        for index in range(self.tabs.count() - 1):
            self.tabs.setTabVisible(index, details is not None)
        self.tabs.setTabVisible(self.tabs.indexOf(self.activations),
                                details is not None and self.activations.available)
        if details is None:
            self.activations.clear()
            self.name.setText(masked.customer_name)
            self.facts.setText(f"{masked.account_kind.capitalize()} account {masked.masked_account_number}  ·  "
                               f"{masked.member_role}")
            self.notice.setText(NO_VIEW.format(role=masked.member_role))
            self.notice.show()
            self.case_panel.show_case(visit, ())
            self.tabs.setCurrentWidget(self.case_panel)
            return
        self.notice.hide()
        business = f"  ·  {details.business_name}" if details.business_name else ""
        self.name.setText(details.customer_name + business)
        self.facts.setText(f"{details.account_kind.capitalize()} account {details.account_number}  ·  "
                           f"{details.member_role}  ·  {len(details.lines)} line{'s' * (len(details.lines) != 1)}")
        self.status.setText(nice(details.status))
        set_prop(self.status, "state", details.status)
        self.status.show()
        self.balance.setText(format_cents(details.balance_cents))
        set_prop(self.balance, "due", "yes" if details.balance_cents > 0 else "no")
        self.autopay.setText(f"AutoPay: {autopay_text(details.autopay)}")
        self.lines.show_lines(visit.id, details, screen.actions)
        self.activations.show_account(details.account_id)
        self.devices.show_devices(details)
        self.bills.show_bills(details)
        self.payments.show_details(visit.id, details, screen.actions)
        self.members.show_members(details)
        self.case_panel.show_case(visit, details.cases)
        note = screen.actions[AccountAction.ADD_NOTE]
        self.case_panel.add.setEnabled(note.allowed)
        self.case_panel.add.setToolTip("" if note.allowed else note.reason)

    def clear(self) -> None:
        """Forget the customer: nothing of the last account stays in the widget tree."""
        self.visit = self.screen = None
        for label in (self.name, self.facts, self.balance, self.autopay, self.case, self.notice):
            label.setText("")
        self.status.hide()
        self.notice.hide()
        self.badge.set_level("none")
        for tab in (self.lines, self.activations, self.devices, self.bills, self.payments, self.members,
                    self.case_panel):
            tab.clear()
        self.tabs.setCurrentIndex(0)

    def focus_first(self) -> None:
        has_details = bool(self.screen and self.screen.details)
        self.tabs.setCurrentWidget(self.lines if has_details else self.case_panel)
        self.tabs.currentWidget().setFocus()
        if has_details:
            self.lines.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.case_panel.focus_finish()

    def go_to_finish(self) -> None:
        """Esc: a verified visit is left by finishing it, so go to the case and its disposition."""
        self.tabs.setCurrentWidget(self.case_panel)
        self.case_panel.focus_finish()

    def _autopay_changed(self, view: AutoPayView) -> None:
        self.autopay.setText(f"AutoPay: {autopay_text(view)}")
