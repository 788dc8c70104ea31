"""The Register page's core: its state, its layout and the machinery every flow uses.

Every service call runs on the DB worker (one thread, calls in order) through :meth:`RegisterBase._run`. The sale is
opened lazily by the first scan; the job that opens it records its id in a :class:`_SaleRef` that later jobs of the
same sale read — they run after it on the same thread, so a scanner burst of several items never opens two sales.
``sale_changed`` carries every new :class:`SaleDTO` (the customer display shows it); a refused permission asks for a
manager's override (:class:`ui.widgets.override_dialog.OverrideDialog`) and retries with it. The signature rule is
checked here too, since every new sale state may make it due.

The flows build on this class in a chain: ``page_tenders`` (tenders, drawer) → ``page_receipts`` (complete, receipts)
→ ``page_refunds`` → ``page_cart`` (scanning, cart keys, discounts, bill pay, void) → ``page.RegisterPage``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.errors import PermissionDenied, PosError
from posapp.security.permissions import Permission
from ui.views.register.cart import CartTable, ScanField, TotalsPanel
from ui.views.register.common import money
from ui.views.register.dialogs import SignatureDialog
from ui.views.register.receipt_panel import ReceiptPanel
from ui.views.register.tender import TenderPanel

if TYPE_CHECKING:
    import uuid

    from posapp.services.dto import Actor, Override
    from posapp.services.register.dto import SaleDTO
    from posapp.services.register.receipts import ReceiptService
    from posapp.services.registry import Register
    from ui.customer_window import CustomerWindow, SignatureCapture
    from ui.widgets.override_dialog import OverrideAuth, OverrideDialog
    from ui.worker import DbWorker

KEYS = (("+ \u2212", "qty"), ("Del", "remove"), ("\u2191\u2193", "line"), ("Ctrl+D", "discount"),
        ("Ctrl+E", "price"), ("Ctrl+B", "bill pay"),
        ("F9", "cash"), ("F10", "card"), ("F11", "credit"), ("Ctrl+\u21b5", "complete"), ("F8", "refund"),
        ("F12", "new sale"))


@dataclass(frozen=True)
class CustomerRef:
    """The customer the sale is for (from a verified Lookup visit); None = walk-in."""

    account_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    name: str
    masked_account: str = ""
    account_number: str = ""  # only once verified (the account view's details)
    visit_id: uuid.UUID | None = None


class _SaleRef:
    """The open sale's id, written by the worker job that opened it (see the module docstring)."""

    def __init__(self) -> None:
        self.id: uuid.UUID | None = None


class RegisterBase(QWidget):
    sale_changed = Signal(object)  # SaleDTO | None
    completed = Signal(object)  # SaleDTO (sale or refund) with its receipt number
    receipt_ready = Signal(object)  # Path of the receipt PDF

    def __init__(self, *, register: Register, receipts: ReceiptService, auth: OverrideAuth, worker: DbWorker,
                 actor: Actor, discount_limit_percent: int = 20, store_timezone: str = "UTC",
                 save_folder: Path, reports_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page_register")
        self._register, self._receipts, self._auth, self._worker = register, receipts, auth, worker
        self._actor = actor
        self.discount_limit_percent = discount_limit_percent
        self.store_timezone = store_timezone
        self.save_folder = save_folder
        self.reports_dir = reports_dir
        self._ref = _SaleRef()
        self.sale: SaleDTO | None = None
        self.customer: CustomerRef | None = None
        self.refund_mode = False
        self.drawer_open = False
        self.signature_required = False
        self.signature_done = False
        self._signature_asked = False
        self._signature_known = False  # the signature rule was asked for this (fully paid) sale
        self.consent_text = ""
        self.receipt: SaleDTO | None = None  # the finished sale or refund shown in the receipt panel
        self.display: CustomerWindow | None = None
        self.dialog: Any = None  # the open dialog (discount, float, drawer, refund, signature, override)
        self.override_dialog: OverrideDialog | None = None
        self._inflight = 0
        self._completing = False

        # -- top strip ----------------------------------------------------------------------------------------
        self.customer_strip = QFrame(objectName="CustomerStrip")
        self.customer_name = QLabel("Walk-in customer", objectName="StripName")
        self.customer_info = QLabel("Verify them in Lookup (F2)",
                                    objectName="StripInfo")
        self.customer_info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        strip = QHBoxLayout(self.customer_strip)
        strip.setContentsMargins(16, 8, 16, 8)
        strip.setSpacing(12)
        strip.addWidget(self.customer_name)
        strip.addWidget(self.customer_info, 1)
        self.mode_badge = QLabel("REFUND MODE", objectName="RefundBadge")
        self.mode_badge.hide()
        self.refund_button = QPushButton("Refund  F8", objectName="RefundToggle")
        self.refund_button.setCheckable(True)
        self.drawer_button = QPushButton("Drawer\u2026", objectName="DrawerButton")
        self.void_button = QPushButton("Void sale", objectName="VoidSale")
        self.pay_button = QPushButton("Bill pay", objectName="AccountPayment")
        self.pay_button.setToolTip("A payment on an account or a financed device (Ctrl+B)")
        for b in (self.refund_button, self.drawer_button, self.void_button, self.pay_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.customer_strip, 1)
        top.addWidget(self.mode_badge)
        top.addWidget(self.pay_button)
        top.addWidget(self.refund_button)
        top.addWidget(self.drawer_button)
        top.addWidget(self.void_button)

        # -- left: scan, messages, cart -------------------------------------------------------------------------
        self.scan = ScanField()
        self.info = QLabel("", objectName="InlineInfo")
        self.info.setWordWrap(True)
        self.info.hide()
        self.error = QLabel("", objectName="InlineError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.table = CartTable()
        self.empty = QLabel("", objectName="CartEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cart_stack = QStackedWidget(objectName="CartStack")
        self.cart_stack.addWidget(self.empty)
        self.cart_stack.addWidget(self.table)
        self.keys = QLabel(" \u00b7 ".join(f"<b>{k.replace(' ', '&nbsp;')}</b>&nbsp;{t.replace(' ', '&nbsp;')}"
                                           for k, t in KEYS), objectName="RegisterKeys")
        self.keys.setWordWrap(True)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(self.scan)
        left.addWidget(self.info)
        left.addWidget(self.error)
        left.addWidget(self.cart_stack, 1)
        left.addWidget(self.keys)

        # -- right: totals, tenders / receipt, complete ---------------------------------------------------------
        self.totals = TotalsPanel()
        terminal = register.terminal
        self.tender = TenderPanel(simulator=bool(getattr(terminal, "is_simulator", False)),
                                  terminal_label=str(getattr(terminal, "label", "")))
        self.receipt_panel = ReceiptPanel()
        self.action_stack = QStackedWidget(objectName="ActionStack")
        self.action_stack.setContentsMargins(14, 12, 14, 12)
        self.action_stack.addWidget(self.tender)
        self.action_stack.addWidget(self.receipt_panel)
        self.signature_state = QLabel("", objectName="SignatureState")
        self.signature_state.setWordWrap(True)
        self.signature_state.hide()
        self.sign_here = QPushButton("Sign on this screen", objectName="SignHere")
        self.sign_here.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_here.hide()
        self.tender.extra.addWidget(self.signature_state)
        self.tender.extra.addWidget(self.sign_here, 0, Qt.AlignmentFlag.AlignLeft)
        self.complete_button = QPushButton("Complete sale   Ctrl+Enter", objectName="CompleteSale")
        self.complete_button.setProperty("primary", True)
        self.complete_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.complete_reason = QLabel("", objectName="CompleteReason")
        self.complete_reason.setWordWrap(True)
        right_box = QFrame(objectName="RegisterSide")
        right_box.setFixedWidth(392)
        right = QVBoxLayout(right_box)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(10)
        right.addWidget(self.totals)
        right.addWidget(self.action_stack, 1)
        right.addWidget(self.complete_reason)
        right.addWidget(self.complete_button)

        body = QHBoxLayout()
        body.setSpacing(18)
        body.addLayout(left, 1)
        body.addWidget(right_box)
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 16, 24, 14)
        col.setSpacing(12)
        col.addLayout(top)
        col.addLayout(body, 1)

    def focus_step(self) -> None:
        form = self.tender.form if self.action_stack.currentWidget() is self.tender else "receipt"
        if form == "cash":
            self.tender.cash.tendered.setFocus()
        elif form == "card" and self.tender.card.amount.isEnabled():
            self.tender.card.amount.setFocus()
        elif form == "store_credit":
            self.tender.credit.amount.setFocus()
        else:
            self.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- messages ---------------------------------------------------------------------------------------------
    def _message(self, text: str, *, error: bool) -> None:
        (self.error if error else self.info).setText(text)
        (self.error if error else self.info).setVisible(bool(text))
        (self.info if error else self.error).hide()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PosError):
            self._message(str(exc), error=True)
        else:
            self._worker.report_unexpected(exc)
        self.focus_step()

    def _run(self, fn: Callable[[Override | None], Any], on_done: Callable[[Any], None], *, action: str,
             on_error: Callable[[BaseException], None] | None = None, override: Override | None = None) -> None:
        """Run ``fn(override)`` on the worker. A refused permission asks a manager once and runs it again."""
        self._inflight += 1

        def done(result: Any) -> None:
            self._inflight -= 1
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._inflight -= 1
            if isinstance(exc, PermissionDenied) and exc.permission and override is None:
                self._ask_override(Permission(exc.permission), action,
                                   lambda ov: self._run(fn, on_done, action=action, on_error=on_error, override=ov),
                                   cancelled=lambda: (on_error or self._failed)(exc))
                return
            (on_error or self._failed)(exc)

        self._worker.run(lambda: fn(override), done, failed, owner=self)

    def _ask_override(self, permission: Permission, action: str, then: Callable[[Override], None], *,
                      cancelled: Callable[[], None]) -> None:
        """A manager's number + PIN; ``then(override)`` when granted, ``cancelled()`` when the dialog is closed
        without an approval (the caller shows the refusal and unlocks what it had locked)."""
        from ui.widgets.override_dialog import OverrideDialog

        dialog = OverrideDialog(actor=self._actor, permission=permission, action=action, auth=self._auth,
                                worker=self._worker, parent=self)
        dialog.granted.connect(then)

        def closed(_result: int) -> None:
            if dialog.override is None:
                cancelled()
            self._dialog_closed(dialog)

        dialog.finished.connect(closed)
        self.override_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: Any) -> None:
        if self.override_dialog is dialog:
            self.override_dialog = None
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        QTimer.singleShot(0, self, self._refocus)

    def _refocus(self) -> None:
        """After a dialog: the rep's window takes the keyboard back (the scan field or the open tender form)."""
        if self.dialog is None and self.override_dialog is None and self.isVisible():
            self.window().activateWindow()
            self.focus_step()

    def _open_dialog(self, dialog: Any) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()

    # -- state shown ------------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._inflight > 0

    @property
    def has_money(self) -> bool:
        return self.sale is not None and any(t.state != "declined" for t in self.sale.tenders)

    def _set_sale(self, sale: SaleDTO | None, *, select_line: int | None = None) -> None:
        self.sale = sale
        self.table.show_sale(sale, select_line=select_line)
        self._render()
        self.sale_changed.emit(sale)
        if self.display is not None:
            self.display.show_sale(sale)
        self._check_signature()

    def _render(self) -> None:
        sale = self.sale if self.receipt is None else self.receipt
        self.cart_stack.setCurrentWidget(self.table if sale is not None and sale.lines else self.empty)
        self.totals.show_sale(sale)
        open_sale = self.sale is not None and self.sale.status == "open" and self.receipt is None
        can_pay = open_sale and self.sale is not None and bool(self.sale.lines) and self.sale.remaining_cents > 0
        self.tender.show_sale(self.sale if self.receipt is None else None, enabled=can_pay)
        self.void_button.setEnabled(open_sale and not self.has_money)
        reason = self.complete_block_reason()
        self.complete_button.setEnabled(reason is None)
        self.complete_reason.setText(reason or "")
        self.complete_reason.setVisible(bool(reason) and self.receipt is None)
        self.complete_button.setVisible(self.receipt is None)
        waiting = self.signature_required and not self.signature_done and self.receipt is None
        self.signature_state.setVisible(self.signature_required and self.receipt is None)
        self.signature_state.setText("Signature needed \u2014 waiting for the customer to sign" if waiting
                                     else "\u2713 Signed by the customer")
        self.signature_state.setProperty("done", "no" if waiting else "yes")
        self.signature_state.style().unpolish(self.signature_state)
        self.signature_state.style().polish(self.signature_state)
        self.sign_here.setVisible(waiting and self._signature_asked)
        self.empty.setText("Refund mode: scan the receipt barcode, or type its number." if self.refund_mode
                           else "Scan an item to start a sale.\nA receipt number reprints that receipt.")

    def complete_block_reason(self) -> str | None:
        """Why Complete is disabled (None = it can be pressed)."""
        sale = self.sale
        if self.receipt is not None:
            return "The sale is complete."
        if sale is None or not sale.lines:
            return "Add items to the cart."
        if sale.open_tender_cents:
            return "A card payment is not settled yet \u2014 ask the terminal again."
        if sale.remaining_cents > 0:
            return f"Take payment: {money(sale.remaining_cents)} left to pay."
        if self.signature_required and not self.signature_done:
            return "The customer's signature is required before completing."
        if not self._signature_known and getattr(self._register, "signatures", None) is not None:
            return "Checking whether the customer must sign\u2026"
        return None

    # -- signature ----------------------------------------------------------------------------------------------
    def _check_signature(self) -> None:
        sale = self.sale
        signatures = getattr(self._register, "signatures", None)
        if (sale is None or sale.status != "open" or sale.kind != "sale" or not sale.lines
                or sale.remaining_cents != 0 or sale.open_tender_cents or signatures is None
                or self.signature_done or self._signature_asked):
            return
        sale_id = sale.id
        self._signature_asked = True

        def job(_ov: Override | None) -> tuple[bool, str]:
            needed = bool(signatures.required(sale_id))
            return needed, (signatures.consent_text() if needed else "")

        def done(outcome: tuple[bool, str]) -> None:
            if self.sale is None or self.sale.id != sale_id:
                return
            self.signature_required, self.consent_text = outcome
            self._signature_known = True
            if self.signature_required:
                self.ask_signature()
            self._render()

        def failed(exc: BaseException) -> None:
            self._signature_asked = False
            self._failed(exc)

        self._run(job, done, action="Signature", on_error=failed)

    def ask_signature(self) -> None:
        if self.display is not None:
            self.display.ask_signature(self.consent_text)
            self._message("Ask the customer to read the consent and sign on the customer display.", error=False)
        else:
            self._sign_on_rep_screen()

    def _sign_on_rep_screen(self) -> None:
        if self.sale is None or self.dialog is not None:
            return
        dialog = SignatureDialog(consent_text=self.consent_text, total=money(self.sale.due_cents), parent=self)
        dialog.signed.connect(self.accept_signature)
        self._open_dialog(dialog)

    def accept_signature(self, capture: SignatureCapture) -> None:
        """Strokes from the customer's pad: stored with the consent text and time (signatures.capture)."""
        signatures = getattr(self._register, "signatures", None)
        sale = self.sale
        if signatures is None or sale is None or sale.status != "open":
            return
        actor, sale_id = self._actor, sale.id

        def done(_dto: object) -> None:
            if self.sale is not None and self.sale.id == sale_id:
                self.signature_done = True
                self._message("Signed. Press Ctrl+Enter (or Enter in the empty scan field) to complete.",
                              error=False)
                self._render()

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            if self.display is not None:
                self.display.ask_signature(self.consent_text)

        self._run(lambda _ov: signatures.capture(actor, sale_id, strokes=capture.strokes,
                                                 consent_text=capture.consent_text,
                                                 consented_at=capture.consented_at,
                                                 pad_aspect=capture.pad_aspect),
                  done, action="Signature", on_error=failed)

    # -- new sale -----------------------------------------------------------------------------------------------
    def _clear_for_new_sale(self) -> None:
        self._ref = _SaleRef()
        self.receipt = None
        self.signature_required = self.signature_done = self._signature_asked = self._signature_known = False
        self.consent_text = ""
        self.action_stack.setCurrentWidget(self.tender)
        self.tender.show_choose()
        self.info.hide()
        self.error.hide()
        self._set_sale(None)
        self.focus_step()
