"""Small dialogs of the register: a line discount, and the signature pad on the rep's screen when there is no
customer display. They only collect input; the Register page makes the service calls."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.customer_window import SignatureCapture
from ui.views.register.common import money, parse_money
from ui.views.register.forms import error_label, named, ok_cancel
from ui.widgets.signature_pad import SignaturePad, Stroke

if TYPE_CHECKING:
    from posapp.services.register.dto import LineDTO


def discount_cents(text: str, gross_cents: int) -> int | None:
    """``"10%"`` of the line, or an amount (``"5"``, ``"$5.00"``); None if it is neither."""
    t = text.strip()
    if t.endswith("%"):
        pct = parse_money(t[:-1])
        if pct is None:
            return None
        return (gross_cents * pct + 5_000) // 10_000  # pct is in hundredths of a percent
    return parse_money(t)


class DiscountDialog(QDialog):
    chosen = Signal(int, int)  # line number, discount cents

    def __init__(self, *, line: LineDTO, limit_percent: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DiscountDialog")
        self.setWindowTitle("Line discount")
        self.setModal(True)
        self.setMinimumWidth(440)
        self.line = line
        self.gross = line.qty * line.unit_price_cents
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(10)
        col.addWidget(named(QLabel("Line discount"), "DialogTitle"))
        what = named(QLabel(f"{line.description} \u2014 {line.qty} \u00d7 {money(line.unit_price_cents)} = "
                            f"{money(self.gross)}\nUp to {limit_percent}% without a manager; more asks for "
                            "approval."), "Muted")
        what.setWordWrap(True)
        col.addWidget(what)
        self.field = named(QLineEdit(), "DiscountField")
        self.field.setPlaceholderText("Amount (5.00) or percent (10%)")
        if line.discount_cents:
            self.field.setText(f"{line.discount_cents / 100:.2f}")
        col.addWidget(self.field)
        self.error = error_label(col)
        ok_cancel(self, col, "Apply")
        self.field.setFocus()

    def submit(self) -> None:
        cents = discount_cents(self.field.text(), self.gross)
        if cents is None or not 0 <= cents <= self.gross:
            self.error.setText(f"Enter an amount up to {money(self.gross)} or a percent such as 10%.")
            self.error.show()
            return
        self.chosen.emit(self.line.line_no, cents)
        self.accept()


class PriceDialog(QDialog):
    """A new unit price for a line, with the reason (a manager's override: PRICE_OVERRIDE)."""

    chosen = Signal(int, int, str)  # line number, price cents, reason

    def __init__(self, *, line: LineDTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PriceDialog")
        self.setWindowTitle("Price override")
        self.setModal(True)
        self.setMinimumWidth(440)
        self.line = line
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(10)
        col.addWidget(named(QLabel("Price override"), "DialogTitle"))
        what = named(QLabel(f"{line.description} \u2014 now {money(line.unit_price_cents)} each.\nA manager approves "
                      "every price override."), "Muted")
        what.setWordWrap(True)
        col.addWidget(what)
        self.price = named(QLineEdit(), "PriceField")
        self.price.setPlaceholderText("New unit price, e.g. 19.99")
        self.reason = named(QLineEdit(), "PriceReason")
        self.reason.setPlaceholderText("Reason (price match, damaged box \u2026)")
        self.reason.setMaxLength(200)
        col.addWidget(self.price)
        col.addWidget(self.reason)
        self.error = error_label(col)
        ok_cancel(self, col, "Set price")
        self.price.setFocus()

    def submit(self) -> None:
        cents = parse_money(self.price.text())
        reason = self.reason.text().strip()
        if cents is None:
            self.error.setText("Enter the new unit price, e.g. 19.99.")
        elif not reason:
            self.error.setText("Give the reason for the new price.")
        else:
            self.chosen.emit(self.line.line_no, cents, reason)
            self.accept()
            return
        self.error.show()


class AccountPaymentDialog(QDialog):
    """A bill payment on an account, or an extra payment on a financed device (EIP). Anyone may pay; the amount
    due is shown only when the page has a verified customer for that account (the service decides)."""

    bill = Signal(str, int)  # account number, cents
    eip = Signal(str, int)  # IMEI, cents
    account_changed = Signal(str)  # ask the page for the amount due

    def __init__(self, *, account_number: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AccountPaymentDialog")
        self.setWindowTitle("Account payment")
        self.setModal(True)
        self.setMinimumWidth(480)
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(10)
        col.addWidget(named(QLabel("Payment on an account"), "DialogTitle"))
        self.account = named(QLineEdit(account_number), "PayAccount")
        self.account.setPlaceholderText("Account number (9 digits) \u2014 bill payment")
        self.imei = named(QLineEdit(), "PayImei")
        self.imei.setPlaceholderText("\u2026 or a financed device's IMEI \u2014 extra EIP payment")
        self.due = named(QLabel(""), "Muted")
        self.due.setWordWrap(True)
        self.amount = named(QLineEdit(), "PayAmount")
        self.amount.setPlaceholderText("Amount, e.g. 85.00")
        for w in (self.account, self.imei, self.due, self.amount):
            col.addWidget(w)
        self.error = error_label(col)
        ok_cancel(self, col, "Add to the sale")
        self.account.editingFinished.connect(lambda: self.account_changed.emit(self.account.text().strip()))
        (self.amount if account_number else self.account).setFocus()

    def show_due(self, text: str, amount_cents: int | None) -> None:
        self.due.setText(text)
        if amount_cents and not self.amount.text():
            self.amount.setText(f"{amount_cents / 100:.2f}")

    def submit(self) -> None:
        cents = parse_money(self.amount.text())
        account, imei = self.account.text().strip(), self.imei.text().strip()
        if cents is None or cents <= 0:
            self.show_error("Enter the amount to pay.")
        elif bool(account) == bool(imei):
            self.show_error("Enter either an account number (bill) or a device's IMEI (EIP), not both.")
        elif account:
            self.bill.emit(account, cents)
            return
        else:
            self.eip.emit(imei, cents)
            return

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class SignatureDialog(QDialog):
    """Consent and the signature pad on the rep's own screen (no customer display is switched on)."""

    signed = Signal(object)  # SignatureCapture

    def __init__(self, *, consent_text: str, total: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignatureDialog")
        self.setWindowTitle("Customer signature")
        self.setModal(True)
        self.resize(720, 560)
        self.consent_text = consent_text
        self.consented_at: datetime | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(12)
        col.addWidget(named(QLabel(f"Customer signature \u2014 total {total}"), "DialogTitle"))
        note = named(QLabel("No customer display is on: turn the screen to the customer."), "Muted")
        col.addWidget(note)
        self.consent = named(QLabel(consent_text), "ConsentTextRep")
        self.consent.setWordWrap(True)
        col.addWidget(self.consent)
        self.accept_consent = named(QPushButton("Customer accepts \u2014 sign"), "ConsentAccept")
        self.accept_consent.setProperty("primary", True)
        col.addWidget(self.accept_consent)
        self.pad = SignaturePad()
        self.pad.hide()
        col.addWidget(self.pad, 1)
        cancel = named(QPushButton("Cancel"), "SignatureCancel")
        cancel.clicked.connect(self.reject)
        col.addWidget(cancel)
        self.accept_consent.clicked.connect(self._consented)
        self.pad.accepted.connect(self._signed)

    def _consented(self) -> None:
        self.consented_at = datetime.now(UTC)
        self.accept_consent.hide()
        self.pad.show()

    def _signed(self, strokes: tuple[Stroke, ...]) -> None:
        assert self.consented_at is not None
        self.signed.emit(SignatureCapture(strokes, self.consent_text, self.consented_at, self.pad.aspect))
        self.accept()
