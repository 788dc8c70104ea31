"""Taking money on the Register page: cash (the float asked first, the drawer kicked afterwards), card (the terminal
on the device worker, offline store-and-forward, re-query of an unknown answer), store credit.

A card payment is three calls so the DB worker never waits for the terminal: ``tenders.begin_card`` commits the
pending tender (DB worker) → ``tenders.ask_terminal`` waits for the customer's card (device worker) →
``tenders.settle`` records the answer (DB worker). A terminal that fails to answer is recorded as a timeout: the
tender is *unknown* and asked again by its key, never charged twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from posapp.adapters.controls import CardTestControls, TestCard
from posapp.adapters.payment_terminal import PaymentTerminal, TerminalResult, TerminalStatus
from posapp.errors import PosError
from posapp.workflows.sale import NOTHING_LEFT, Refused
from ui.views.register.common import money
from ui.views.register.drawer import FloatDialog, kick_drawer

if TYPE_CHECKING:
    import uuid

    from posapp.services.dto import Actor, Override
    from posapp.services.register.dto import CardAttempt, SaleDTO, TenderDTO
    from posapp.services.registry import Register
    from ui.views.register.host import PageHost, SaleRef
    from ui.views.register.tender import TenderPanel


@dataclass(frozen=True)
class TerminalInfo:
    """What the UI shows of the card terminal (``posapp.adapters.controls``): never the adapter itself."""

    label: str
    is_simulator: bool
    configured: bool
    controls: CardTestControls | None

    @property
    def cards(self) -> tuple[TestCard, ...]:
        return self.controls.cards() if self.controls is not None else ()


def terminal_info(terminal: PaymentTerminal) -> TerminalInfo:
    """What the adapter says of itself (``PaymentTerminal``'s AdapterInfo part) and its test controls, if any."""
    return TerminalInfo(terminal.label, terminal.is_simulator, terminal.configured, terminal.test_controls())


Pair = tuple["TenderDTO", "SaleDTO"]


class TenderController(QObject):
    def __init__(self, *, host: PageHost, register: Register, actor: Actor, panel: TenderPanel,
                 terminal: TerminalInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host, self._register, self._actor, self._panel = host, register, actor, panel
        self._terminal = terminal
        panel.chosen.connect(self.start)
        panel.cash.take.connect(self.take_cash)
        panel.card.charge.connect(self.charge_card)
        panel.card.requery.connect(self.requery)
        panel.credit.apply.connect(self.apply_credit)
        for form in (panel.cash, panel.card, panel.credit):
            form.back.connect(host.focus_step)

    # -- choosing ---------------------------------------------------------------------------------------------
    def start(self, kind: str) -> None:
        host, flow = self._host, self._host.flow
        reason = flow.why_not_pay(kind)
        sale = flow.open_sale
        if reason is not None or sale is None:
            host.message(reason or "Add items first.", error=reason != NOTHING_LEFT)
            return
        host.message("", error=True)
        if kind == "cash" and not flow.drawer_open:
            self._ensure_drawer(lambda: self.start("cash"))
            return
        self._panel.open_form(kind, sale.remaining_cents)
        host.refresh()
        if kind == "store_credit":
            self._credit_balance()

    def _ensure_drawer(self, then: Callable[[], None]) -> None:
        host, drawer, actor = self._host, self._register.drawer, self._actor

        def found(_dto: object) -> None:
            host.flow.drawer_known(True)
            then()

        def opened(_dto: object) -> None:
            kick_drawer(host.runner, self._register, "float", lambda text: host.message(text, error=True))
            found(None)

        def missing(exc: BaseException) -> None:
            if not isinstance(exc, PosError):
                host.runner.report_unexpected(exc)
                return
            dialog = FloatDialog(register=self._register, runner=host.runner, actor=actor, parent=host.widget())
            dialog.opened.connect(opened)
            host.open_dialog(dialog)

        host.runner.call(lambda _ov: drawer.current(actor), found, action="Drawer", on_error=missing)

    def _view(self, ref: SaleRef, tender: TenderDTO) -> Pair:
        """The tender and the sale after it (on the DB worker; ``ref`` was taken on the UI thread)."""
        assert ref.id is not None
        return tender, self._register.cart.view(ref.id)

    # -- cash -------------------------------------------------------------------------------------------------
    def take_cash(self, amount: int, tendered: int) -> None:
        host, tenders, actor, ref = self._host, self._register.tenders, self._actor, self._host.ref

        def job(_ov: Override | None) -> Pair:
            assert ref.id is not None
            return self._view(ref, tenders.pay_cash(actor, ref.id, amount_cents=amount, tendered_cents=tendered,
                                               kick=False))

        def done(outcome: Pair) -> None:
            tender, sale = outcome
            if ref is not host.ref:
                return
            self._panel.show_choose()
            host.set_sale(sale)
            change = tender.change_cents or 0
            self._panel.show_change(change)
            host.message(f"Cash {money(tender.tendered_cents or amount)} taken"
                         + (f" \u2014 give {money(change)} change." if change else " \u2014 no change."), error=False)
            host.focus_step()
            kick_drawer(host.runner, self._register, "cash_sale", lambda text: host.message(text, error=True))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PosError):
                self._panel.cash.show_error(str(exc))
                if "drawer" in str(exc).lower():
                    host.flow.drawer_known(False)
            else:
                host.runner.report_unexpected(exc)

        host.runner.call(job, done, action="Cash", on_error=failed)

    # -- card -------------------------------------------------------------------------------------------------
    def charge_card(self, amount: int, card: str, offline: bool = False) -> None:
        host, tenders, actor, ref = self._host, self._register.tenders, self._actor, self._host.ref
        try:
            host.flow.card_started()
        except Refused as refused:
            self._panel.card.failed(str(refused))
            return
        controls = self._terminal.controls

        def begin(ov: Override | None) -> CardAttempt:
            assert ref.id is not None
            return tenders.begin_card(actor, ref.id, amount_cents=amount, link_online=not offline, override=ov)

        def ask(attempt: CardAttempt) -> TerminalResult:
            if controls is not None and card:
                controls.present_card(card)  # the simulator's stand-in for the customer inserting that card
            return tenders.ask_terminal(attempt)

        def asked(attempt: CardAttempt) -> None:
            host.runner.device(lambda: ask(attempt), lambda result: self._settle(ref, attempt, result),
                               on_error=lambda exc: self._no_answer(ref, attempt, exc))

        def failed(exc: BaseException) -> None:
            host.flow.card_failed(attempt_open=False)
            self._card_failed(exc)

        action = f"Offline card payment of {money(amount)}" if offline else "Card"
        host.runner.call(begin, asked, action=action, on_error=failed)
        host.refresh()

    def _no_answer(self, ref: SaleRef, attempt: CardAttempt, exc: BaseException) -> None:
        """The terminal call itself failed: no answer is a timeout — the tender is unknown, asked again later."""
        self._settle(ref, attempt, TerminalResult(TerminalStatus.TIMEOUT, reason=f"no answer from the terminal: {exc}"))

    def _settle(self, ref: SaleRef, attempt: CardAttempt, result: TerminalResult) -> None:
        tenders, actor = self._register.tenders, self._actor

        def failed(exc: BaseException) -> None:
            self._host.flow.card_failed(attempt_open=True)
            self._card_failed(exc)

        self._host.runner.call(lambda _ov: self._view(ref, tenders.settle(actor, attempt.tender_id, result)),
                               self._card_answer, action="Card", on_error=failed)

    def requery(self, tender_id: uuid.UUID) -> None:
        host, tenders, ref = self._host, self._register.tenders, self._host.ref

        def asked(attempt: CardAttempt | None) -> None:
            if attempt is None:  # settled meanwhile: show it as it is
                host.runner.call(lambda _ov: self._view(ref, tenders.tender(tender_id)), self._card_answer,
                                 action="Card", on_error=self._requery_failed)
                return
            host.runner.device(lambda: tenders.query_terminal(attempt), lambda r: self._settle(ref, attempt, r),
                               on_error=self._requery_failed)

        host.runner.call(lambda _ov: tenders.requery_attempt(tender_id), asked, action="Card",
                         on_error=self._requery_failed)

    def _requery_failed(self, exc: BaseException) -> None:
        self._host.flow.card_failed(attempt_open=True)
        self._card_failed(exc)

    def _card_answer(self, outcome: Pair) -> None:
        tender, sale = outcome
        self._host.flow.card_answered(tender.state)
        self._panel.card.show_tender(tender)
        self._host.set_sale(sale)
        if tender.state == "approved":
            QTimer.singleShot(900, self, self._after_approval)
        self._host.focus_step()

    def _after_approval(self) -> None:
        if self._panel.form == "card" and not self._panel.card.busy:
            self._panel.show_choose()
            self._host.focus_step()

    def _card_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PosError):
            self._panel.card.failed(str(exc))
        else:
            self._host.runner.report_unexpected(exc)
        self._host.refresh()

    # -- store credit -----------------------------------------------------------------------------------------
    def _credit_balance(self) -> None:
        credit, customer = self._register.store_credit, self._host.customer
        if customer is None:
            self._panel.credit.show_balance(None)
            return

        def job(_ov: Override | None) -> int:
            if customer.account_id is not None:
                return credit.balance(account_id=customer.account_id)
            return credit.balance(customer_id=customer.customer_id)

        self._host.runner.call(job, self._panel.credit.show_balance, action="Store credit",
                               on_error=self._credit_failed)

    def _credit_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PosError):
            self._panel.credit.show_error(str(exc))
        else:
            self._host.runner.report_unexpected(exc)

    def apply_credit(self, amount: int) -> None:
        host, tenders, actor, ref = self._host, self._register.tenders, self._actor, self._host.ref

        def job(_ov: Override | None) -> Pair:
            assert ref.id is not None
            return self._view(ref, tenders.pay_store_credit(actor, ref.id, amount_cents=amount))

        def done(outcome: Pair) -> None:
            self._panel.show_choose()
            host.set_sale(outcome[1])
            host.focus_step()

        host.runner.call(job, done, action="Store credit", on_error=self._credit_failed)
