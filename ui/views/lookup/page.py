"""The Lookup page (F2): search → pick → start the visit → verify → the account → finish → an empty search box.

Every service call runs on the DB worker. The page holds one visit at a time; finishing it (or backing out of
an unverified one) clears every view so nothing of that customer stays on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from posapp.domain.enums import Disposition
from posapp.errors import PosError
from ui.qt import named
from ui.runner import ServiceRunner
from ui.views.lookup.account_view import AccountView
from ui.views.lookup.common import message_label
from ui.views.lookup.new_customer import NewCustomerDialog
from ui.views.lookup.plan_change_dialog import PlanChangeLauncher
from ui.views.lookup.results import ResultsView
from ui.views.lookup.search_box import SearchBox
from ui.views.lookup.verify_panel import VerifyPanel

if TYPE_CHECKING:
    from posapp.adapters.sms import SmsGateway
    from posapp.services.account_view import AccountScreen, LineView
    from posapp.services.accounts import AccountService
    from posapp.services.customers import CreatedCustomer, CustomerService
    from posapp.services.dto import Actor
    from posapp.services.interactions import InteractionService
    from posapp.services.lookup import LookupHit, LookupResult, LookupService
    from posapp.services.plan_change import PlanChangeService
    from posapp.services.verification import VerificationService, VisitDTO
    from ui.widgets.override_dialog import OverrideAuth
    from ui.worker import DbWorker

BACKED_OUT = "Ended before verification (rep backed out)."
NEW_CUSTOMER_KEYS = "Ctrl+N"


class LookupPage(QWidget):
    customer_selected = Signal(object)  # LookupHit
    visit_started = Signal(object)  # VisitDTO
    verified = Signal(object)  # VisitDTO at Verified or Step-up, the account view is showing
    visit_finished = Signal()  # case closed, visit ended, back at an empty search box

    def __init__(self, *, lookup: LookupService, verification: VerificationService, accounts: AccountService,
                 customers: CustomerService, interactions: InteractionService, sms: SmsGateway, worker: DbWorker,
                 actor: Actor | Callable[[], Actor], device_worker: DbWorker | None = None,
                 auth: OverrideAuth | None = None, plan_changes: PlanChangeService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page_lookup")
        self._lookup, self._verification, self._accounts = lookup, verification, accounts
        self._customers, self._interactions, self._worker = customers, interactions, worker
        self._actor: Callable[[], Actor] = actor if callable(actor) else (lambda: actor)
        # the page's own service calls (visit, account, abandon, new customer's listing) go through the runner
        self.runner = ServiceRunner(worker=worker, device_worker=device_worker, auth=auth, actor=self._actor,
                                    owner=self, show_error=self._error)
        self._busy = False
        self._listing_created = False
        self.visit: VisitDTO | None = None
        self.new_customer_dialog: NewCustomerDialog | None = None

        self.search = SearchBox(search=lambda text: lookup.search(self._actor(), text), worker=worker)
        self.results = ResultsView()
        self.new_customer = named(QPushButton("+  New customer"), "NewCustomerButton")
        self.new_customer.setToolTip(f"Open an account for someone new ({NEW_CUSTOMER_KEYS})")
        self.banner = message_label("InlineInfo")
        self.error = message_label("InlineError")
        search_step = named(QWidget(), "SearchStep")
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_customer, 0, Qt.AlignmentFlag.AlignTop)
        sc = QVBoxLayout(search_step)
        sc.setContentsMargins(0, 0, 0, 0)
        sc.setSpacing(12)
        sc.addLayout(top)
        sc.addWidget(self.banner)
        sc.addWidget(self.error)
        sc.addWidget(self.results, 1)
        self.search_step = search_step

        self.verify = VerifyPanel(verification=verification, sms=sms, worker=worker, actor=self._actor,
                                  device_worker=device_worker)
        self.account = AccountView(accounts=accounts, interactions=interactions, verification=verification,
                                   worker=worker, actor=self._actor)
        self.plan_change = None if plan_changes is None else PlanChangeLauncher(
            plan_changes=plan_changes, runner=self.runner, actor=self._actor, owner=self)
        self.account.lines.plan_changes_available = self.plan_change is not None
        self.steps = named(QStackedWidget(), "LookupSteps")
        for step in (search_step, self.verify, self.account):
            self.steps.addWidget(step)
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 22, 28, 18)
        col.addWidget(self.steps)

        self.search.results_ready.connect(self._results)
        self.search.search_failed.connect(self._search_failed)
        self.search.moved.connect(self.results.move_selection)
        self.search.submitted.connect(self.results.pick_current)
        self.results.customer_selected.connect(self.pick)
        self.new_customer.clicked.connect(self.open_new_customer)
        self.verify.verified.connect(self._verified)
        self.verify.visit_changed.connect(self._visit_changed)
        self.verify.back_requested.connect(self._verify_back)
        self.account.step_up_requested.connect(self._step_up)
        self.account.visit_finished.connect(self._finished)
        if self.plan_change is not None:
            self.account.plan_change_requested.connect(self._open_plan_change)
            self.plan_change.applied.connect(self._reload_account)
        shortcut = QShortcut(QKeySequence(NEW_CUSTOMER_KEYS), search_step)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.open_new_customer)
        back = QShortcut(QKeySequence("Esc"), self.results.table)
        back.setContext(Qt.ShortcutContext.WidgetShortcut)
        back.activated.connect(self.search.focus)

    # -- focus ------------------------------------------------------------------------------------------
    @property
    def step(self) -> str:
        return {0: "search", 1: "verify", 2: "account"}[self.steps.currentIndex()]

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self, self.focus_step)  # after the main window has focused its nav button
        if self.step == "search" and not self.search.is_current:
            self.search.search_now()  # a search cancelled when the page was hidden

    def hideEvent(self, event: QHideEvent) -> None:  # Qt override
        self.search.cancel()  # nothing runs for a hidden page (or after its window closed)
        super().hideEvent(event)

    def focus_step(self) -> None:
        if self.step == "search":
            self.search.focus()
        elif self.step == "verify":
            self.verify.focus_first()
        else:
            self.account.focus_first()

    # -- search -----------------------------------------------------------------------------------------
    def _results(self, result: LookupResult) -> None:
        self.error.hide()
        self.results.show_result(result)

    def _search_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PosError):
            self.results.show_message(str(exc))
        else:
            self._worker.report_unexpected(exc)

    # -- visit ------------------------------------------------------------------------------------------
    def pick(self, hit: LookupHit) -> None:
        """Start a visit for the customer the rep picked and show the verification step."""
        if self._busy or self.visit is not None:
            return
        if hit.account_id is None:
            self._error(f"{hit.display_name} is not on any account yet.")
            return
        self._busy = True
        self.error.hide()
        self.customer_selected.emit(hit)
        verification, accounts, actor = self._verification, self._accounts, self._actor()
        account_id, customer_id = hit.account_id, hit.customer_id

        def start() -> tuple[VisitDTO, AccountScreen]:
            visit = verification.start_visit(actor, account_id=account_id, customer_id=customer_id)
            return visit, accounts.screen(actor, visit.id)

        self.runner.call(lambda _ov: start(), self._visit_started, action="Start the visit", on_error=self._failed)

    def _visit_started(self, outcome: tuple[VisitDTO, AccountScreen]) -> None:
        self._busy = False
        self.visit, screen = outcome
        self.banner.hide()
        self.verify.start(self.visit, screen.masked)
        self.steps.setCurrentWidget(self.verify)
        self.verify.focus_first()
        self.visit_started.emit(self.visit)

    def _visit_changed(self, visit: VisitDTO) -> None:
        self.visit = visit

    def _verified(self, visit: VisitDTO) -> None:
        self.visit = visit
        accounts, actor = self._accounts, self._actor()
        self.runner.call(lambda _ov: accounts.screen(actor, visit.id), self._show_account, action="Account",
                         on_error=self._failed)

    def _show_account(self, screen: AccountScreen) -> None:
        if self.visit is None:
            return
        self.account.show_screen(self.visit, screen)
        self.steps.setCurrentWidget(self.account)
        self.verify.clear()
        self.account.focus_first()
        self.verified.emit(self.visit)

    def _open_plan_change(self, line: LineView) -> None:
        if self.visit is not None and self.plan_change is not None:
            self.plan_change.open(self.visit.id, line.id)

    def _reload_account(self, _result: object) -> None:
        if self.visit is not None:
            self._verified(self.visit)

    def _step_up(self) -> None:
        if self.visit is None or self.account.screen is None:
            return
        self.verify.start(self.visit, self.account.screen.masked)
        self.steps.setCurrentWidget(self.verify)
        self.verify.focus_first()

    def _verify_back(self) -> None:
        visit = self.visit
        if visit is None:
            self._back_to_search(clear_text=False)
        elif visit.level.value != "none" and self.account.screen is not None:
            self.verify.clear()
            self.steps.setCurrentWidget(self.account)
            self.account.focus_first()
        elif not self._busy:
            self._busy = True
            interactions, verification, actor = self._interactions, self._verification, self._actor()

            def abandon() -> None:
                if visit.case_id is not None:
                    interactions.close(actor, visit.case_id, disposition=Disposition.RESOLVED, reason=BACKED_OUT)
                verification.end_visit(actor, visit.id)

            self.runner.call(lambda _ov: abandon(), lambda _r: self._back_to_search(clear_text=False),
                             action="End the visit", on_error=self._failed)

    def _finished(self) -> None:
        self._back_to_search(clear_text=True)
        self.visit_finished.emit()

    def _back_to_search(self, *, clear_text: bool) -> None:
        self._busy = False
        self.visit = None
        self.verify.clear()
        self.account.clear()
        self.steps.setCurrentWidget(self.search_step)
        if clear_text:
            self.banner.hide()
            self.results.show_message("")
            self.search.reset()
        else:
            self.search.focus()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        if not isinstance(exc, PosError):
            self._worker.report_unexpected(exc)
            return
        if self.step == "verify":
            self.verify.error.setText(str(exc))
            self.verify.error.show()
        else:
            self._error(str(exc))

    def _error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # -- new customer -----------------------------------------------------------------------------------
    def open_new_customer(self) -> None:
        if self.new_customer_dialog is not None or self.visit is not None:
            return
        dialog = NewCustomerDialog(customers=self._customers, worker=self._worker, actor=self._actor, parent=self)
        dialog.customer_created.connect(self._customer_created)
        dialog.match_chosen.connect(self.pick)
        dialog.finished.connect(self._dialog_closed)
        self.new_customer_dialog = dialog
        dialog.open()

    def _dialog_closed(self) -> None:
        if self.new_customer_dialog is not None:
            self.new_customer_dialog.deleteLater()
            self.new_customer_dialog = None
        if self.visit is None and not self._listing_created:
            self.search.focus()

    def _customer_created(self, created: CreatedCustomer) -> None:
        lookup, actor = self._lookup, self._actor()
        self._listing_created = True
        self.search.cancel()
        self.banner.setText("New customer created with a new account (primary holder). Press Enter to start "
                            "their visit; their first line comes with an activation.")
        self.banner.show()
        self.runner.call(lambda _ov: lookup.search(actor, f"a:{created.account_number}"), self._show_created,
                         action="Search", on_error=self._failed)

    def _show_created(self, result: LookupResult) -> None:
        self._listing_created = False
        self.results.show_result(result)
        self.results.table.setFocus()
