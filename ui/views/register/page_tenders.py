"""Tenders on the Register page: cash (the float asked first, change due), card (the terminal, offline
store-and-forward, re-query of an unknown answer), store credit; and the drawer dialog (paid in/out, count & close)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from posapp.errors import PosError
from ui.views.register.common import money
from ui.views.register.drawer import DrawerDialog, FloatDialog
from ui.views.register.page_base import RegisterBase
from ui.views.register.tender import SIM_CARDS

if TYPE_CHECKING:
    import uuid

    from posapp.services.dto import Override
    from posapp.services.register.dto import SaleDTO, TenderDTO


class TenderFlow(RegisterBase):
    # -- tenders ----------------------------------------------------------------------------------------------
    def start_tender(self, kind: str) -> None:
        sale = self.sale
        if sale is None or sale.status != "open" or not sale.lines or self.receipt is not None:
            self._message("Add items first.", error=True)
            return
        if self.tender.card.busy:
            self._message("Settle the card payment on the terminal first.", error=True)
            return
        if sale.remaining_cents <= 0:
            self._message("Nothing is left to pay.", error=False)
            return
        self.error.hide()
        if kind == "cash" and not self.drawer_open:
            self._ensure_drawer(lambda: self.start_tender("cash"))
            return
        self.action_stack.setCurrentWidget(self.tender)
        self.tender.open_form(kind, sale.remaining_cents)
        if kind == "store_credit":
            self._credit_balance()

    def _credit_balance(self) -> None:
        credit = getattr(self._register, "store_credit", None)
        customer = self.customer
        if customer is None or credit is None:
            self.tender.credit.show_balance(None)
            return

        def job(_ov: Override | None) -> int:
            assert customer is not None
            return int(credit.balance(account_id=customer.account_id) if customer.account_id is not None
                       else credit.balance(customer_id=customer.customer_id))

        self._run(job, self.tender.credit.show_balance, action="Store credit",
                  on_error=lambda exc: self.tender.credit.show_error(str(exc)) if isinstance(exc, PosError)
                  else self._worker.report_unexpected(exc))

    def _ensure_drawer(self, then: Callable[[], None]) -> None:
        drawer, actor = self._register.drawer, self._actor

        def found(_dto: object) -> None:
            self.drawer_open = True
            then()

        def missing(exc: BaseException) -> None:
            if not isinstance(exc, PosError):
                self._worker.report_unexpected(exc)
                return
            dialog = FloatDialog(register=self._register, worker=self._worker, actor=actor, parent=self)
            dialog.opened.connect(lambda _d: found(None))
            self._open_dialog(dialog)

        self._run(lambda _ov: drawer.current(actor), found, action="Drawer", on_error=missing)

    def _tender_job(self, fn: Callable[[uuid.UUID], TenderDTO]) -> Callable[[Override | None],
                                                                            tuple[TenderDTO, SaleDTO]]:
        ref, cart = self._ref, self._register.cart

        def job(_ov: Override | None) -> tuple[TenderDTO, SaleDTO]:
            assert ref.id is not None
            tender = fn(ref.id)
            return tender, cart.view(ref.id)

        return job

    def _take_cash(self, amount: int, tendered: int) -> None:
        tenders, actor = self._register.tenders, self._actor
        ref = self._ref

        def done(outcome: tuple[TenderDTO, SaleDTO]) -> None:
            tender, sale = outcome
            if ref is not self._ref:
                return
            self.tender.show_choose()
            self._set_sale(sale)
            change = tender.change_cents or 0
            self.tender.show_change(change)
            self._message(f"Cash {money(tender.tendered_cents or amount)} taken"
                          + (f" \u2014 give {money(change)} change." if change else " \u2014 no change."), error=False)
            self.focus_step()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PosError):
                self.tender.cash.show_error(str(exc))
                if "drawer" in str(exc).lower():
                    self.drawer_open = False
            else:
                self._worker.report_unexpected(exc)

        self._run(self._tender_job(lambda sid: tenders.pay_cash(actor, sid, amount_cents=amount,
                                                                tendered_cents=tendered)),
                  done, action="Cash", on_error=failed)

    def _charge_card(self, amount: int, card: str, offline: bool = False) -> None:
        tenders, actor, terminal = self._register.tenders, self._actor, self._register.terminal
        present = getattr(terminal, "present_card", None)
        simulated = {k for k, _ in SIM_CARDS}
        ref, cart = self._ref, self._register.cart

        def job(ov: Override | None) -> tuple[TenderDTO, SaleDTO]:
            assert ref.id is not None
            if present is not None and card in simulated:
                present(card)  # the simulator's stand-in for the customer inserting that card
            if offline:  # store-and-forward: OFFLINE_CARD (a manager's override), within the caps
                tender = tenders.pay_card(actor, ref.id, amount_cents=amount, link_online=False, override=ov)
            else:
                tender = tenders.pay_card(actor, ref.id, amount_cents=amount)
            return tender, cart.view(ref.id)

        action = f"Offline card payment of {money(amount)}" if offline else "Card"
        self._run(job, self._card_answer, action=action, on_error=self._card_failed)
        self._render()

    def _requery(self, tender_id: uuid.UUID) -> None:
        tenders, actor = self._register.tenders, self._actor
        self._run(self._tender_job(lambda _sid: tenders.requery(actor, tender_id)), self._card_answer,
                  action="Card", on_error=self._card_failed)

    def _card_answer(self, outcome: tuple[TenderDTO, SaleDTO]) -> None:
        tender, sale = outcome
        self.tender.card.show_tender(tender)
        self._set_sale(sale)
        if tender.state == "approved":
            QTimer.singleShot(900, self, self._after_approval)
        self.focus_step()

    def _after_approval(self) -> None:
        if self.tender.form == "card" and not self.tender.card.busy:
            self.tender.show_choose()
            self.focus_step()

    def _card_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PosError):
            self.tender.card.failed(str(exc))
        else:
            self._worker.report_unexpected(exc)

    def _apply_credit(self, amount: int) -> None:
        tenders, actor = self._register.tenders, self._actor

        def done(outcome: tuple[TenderDTO, SaleDTO]) -> None:
            self.tender.show_choose()
            self._set_sale(outcome[1])
            self.focus_step()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PosError):
                self.tender.credit.show_error(str(exc))
            else:
                self._worker.report_unexpected(exc)

        self._run(self._tender_job(lambda sid: tenders.pay_store_credit(actor, sid, amount_cents=amount)), done,
                  action="Store credit", on_error=failed)

    # -- drawer -------------------------------------------------------------------------------------------------
    def open_drawer_dialog(self) -> None:
        if self.dialog is not None:
            return
        dialog = DrawerDialog(register=self._register, auth=self._auth, worker=self._worker, actor=self._actor,
                              timezone=self.store_timezone, reports_dir=self.reports_dir, parent=self)
        dialog.changed.connect(lambda dto: setattr(self, "drawer_open", dto is not None))
        self._open_dialog(dialog)
