"""The customer-facing window: full screen on a second screen when there is one, else a separate window.

What it shows follows the rep's register (it never touches the database; the Register page pushes sale DTOs to
it):

* ``idle`` / ``message`` — a welcome, or a short message;
* ``cart`` — the live cart and totals while the rep scans (:meth:`show_sale`);
* ``consent`` — the consent text with an Accept button (:meth:`ask_signature`);
* ``signature`` — the signature pad; Accept hands the strokes back (``signature_accepted``);
* ``esim`` — an eSIM activation code as a QR code (:meth:`show_esim`); the code lives only in that QR widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.views.register.common import money, total_rows
from ui.widgets.brand import BrandMark
from ui.widgets.esim_qr import EsimPage
from ui.widgets.signature_pad import SignaturePad, Stroke

if TYPE_CHECKING:
    from posapp.services.register.dto import SaleDTO

IDLE_TITLE = "Welcome"
IDLE_TEXT = "Your rep will be with you shortly."
WINDOWED_SIZE = (1024, 640)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class SignatureCapture:
    """What the customer gave: the strokes, the consent text they accepted and when they accepted it."""

    strokes: tuple[Stroke, ...]
    consent_text: str
    consented_at: datetime
    pad_aspect: float = 3.0  # width / height of the pad the strokes are normalised to


_W = TypeVar("_W", bound=QObject)


def _named(widget: _W, name: str) -> _W:
    """``widget`` with its object name set (PySide6's stubs reject ``objectName=`` in constructors)."""
    widget.setObjectName(name)
    return widget


def customer_screen(screens: Sequence[QScreen], primary: QScreen | None) -> QScreen | None:
    """The screen for the customer: the first one that is not the primary, or None with a single screen."""
    if len(screens) < 2:
        return None
    return next((s for s in screens if s is not primary), None)


class CustomerCart(QWidget):
    """The cart lines and the totals, large enough to read from across the counter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerCart")
        self.table = _named(QTableWidget(0, 3), "CustomerLines")
        self.table.setHorizontalHeaderLabels(["Item", "Qty", "Amount"])
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.totals = _named(QFrame(), "CustomerTotals")
        self.rows = QGridLayout()
        self.rows.setVerticalSpacing(2)
        self.rows.setColumnStretch(0, 1)
        self.paid_rows = QGridLayout()
        self.paid_rows.setVerticalSpacing(2)
        self.paid_rows.setColumnStretch(0, 1)
        self.total_label = _named(QLabel("Total"), "CustomerTotalLabel")
        self.total = _named(QLabel("$0.00"), "CustomerTotal")
        self.total.setAlignment(_RIGHT)
        self.due_label = _named(QLabel(""), "CustomerDueLabel")
        self.due = _named(QLabel(""), "CustomerDue")
        self.due.setAlignment(_RIGHT)
        inner = QVBoxLayout(self.totals)
        inner.setContentsMargins(22, 14, 22, 14)
        inner.setSpacing(6)
        inner.addLayout(self.rows)
        total_row = QHBoxLayout()
        total_row.addWidget(self.total_label)
        total_row.addWidget(self.total, 1)
        inner.addLayout(total_row)
        inner.addLayout(self.paid_rows)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_label)
        due_row.addWidget(self.due, 1)
        inner.addLayout(due_row)
        self.totals.setFixedWidth(420)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(24)
        row.addWidget(self.table, 1)
        side = QVBoxLayout()
        side.setSpacing(12)
        side.addWidget(self.totals)
        side.addStretch(1)
        row.addLayout(side)
        self._small: list[QWidget] = []

    def show_sale(self, sale: SaleDTO) -> None:
        self.table.setRowCount(len(sale.lines))
        for r, line in enumerate(sale.lines):
            text = line.description
            if line.discount_cents:
                text += f"  (\u2212{money(line.discount_cents)})"
            cells = (QTableWidgetItem(text), QTableWidgetItem(str(line.qty)),
                     QTableWidgetItem(money(line.net_cents)))
            cells[0].setToolTip(text)
            cells[1].setTextAlignment(_RIGHT)
            cells[2].setTextAlignment(_RIGHT)
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        if sale.lines:
            self.table.scrollToBottom()
        for w in self._small:
            w.hide()
            w.setParent(None)
            w.deleteLater()
        self._small = []
        refund = sale.kind == "refund"
        above = below = 0
        for row in total_rows(sale):
            if row.role == "total":
                self.total_label.setText("Refund" if refund else "Total")
                self.total.setText(money(row.cents))
            elif row.role in ("paid", "pending"):
                self._small_row(self.paid_rows, below, row.label, money(row.cents))
                below += 1
            else:
                self._small_row(self.rows, above, row.label, money(row.cents))
                above += 1
        left = sale.remaining_cents
        show_left = bool(left and sale.paid_cents and not refund)
        self.due_label.setText("Left to pay" if show_left else "")
        self.due.setText(money(left) if show_left else "")
        self.due_label.setVisible(show_left)
        self.due.setVisible(show_left)

    def _small_row(self, grid: QGridLayout, n: int, label: str, amount: str) -> None:
        name, value = _named(QLabel(label), "CustomerSum"), _named(QLabel(amount), "CustomerSum")
        value.setAlignment(_RIGHT)
        grid.addWidget(name, n, 0)
        grid.addWidget(value, n, 1)
        self._small += [name, value]


class ConsentStep(QWidget):
    accepted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConsentStep")
        self.heading = _named(QLabel("Please read and accept"), "CustomerHeading")
        self.text = _named(QLabel(""), "ConsentText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        card = _named(QFrame(), "ConsentCard")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(22, 14, 22, 14)
        inner.addWidget(self.text)
        self.accept_button = _named(QPushButton("I accept \u2014 continue to sign"), "ConsentAccept")
        self.accept_button.setProperty("primary", True)
        self.done = _named(QLabel(""), "ConsentDone")
        self.done.hide()
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(12)
        col.addWidget(self.heading)
        col.addWidget(card)
        row = QHBoxLayout()
        row.addWidget(self.done)
        row.addStretch(1)
        row.addWidget(self.accept_button)
        col.addLayout(row)
        self.accept_button.clicked.connect(self.accepted)

    def reset(self, text: str) -> None:
        self.text.setText(text)
        self.heading.setText("Please read and accept")
        self.accept_button.show()
        self.done.hide()

    def mark_accepted(self, at: datetime) -> None:
        self.heading.setText("Consent to sign electronically")
        self.accept_button.hide()
        self.done.setText(f"\u2713 Accepted at {at.astimezone().strftime('%H:%M')} \u2014 now sign below")
        self.done.show()


class CustomerWindow(QWidget):
    signature_accepted = Signal(object)  # SignatureCapture
    esim_done = Signal()  # the customer pressed Done after the last eSIM code

    def __init__(self, *, store_name: str, store_address: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("CustomerWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(f"{store_name} — customer display")
        self._allow_close = False
        self._consent_text = ""
        self._consented_at: datetime | None = None
        self.sale: SaleDTO | None = None

        self.store = _named(QLabel(store_name), "CustomerStore")
        self.title = _named(QLabel(""), "CustomerTitle")
        self.text = _named(QLabel(""), "CustomerText")
        self.text.setWordWrap(True)
        for label in (self.store, self.title, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.footer = _named(QLabel(store_address), "CustomerFooter")
        self.footer.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.training = QLabel("Training")  # discreet: training mode is on, no real payment is taken
        self.training.setObjectName("CustomerTraining")
        self.training.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.training.hide()

        welcome = _named(QWidget(), "CustomerWelcome")
        mark = QHBoxLayout()
        mark.addStretch(1)
        mark.addWidget(BrandMark(size=88))
        mark.addStretch(1)
        wcol = QVBoxLayout(welcome)
        wcol.setContentsMargins(0, 0, 0, 0)
        wcol.setSpacing(18)
        wcol.addStretch(2)
        wcol.addLayout(mark)
        wcol.addSpacing(18)
        wcol.addWidget(self.store)
        wcol.addWidget(self.title)
        wcol.addWidget(self.text)
        wcol.addStretch(3)

        self.cart = CustomerCart()
        self.consent = ConsentStep()
        self.pad = SignaturePad(prompt="Sign in the box below")
        self.sign_total = _named(QLabel(""), "CustomerSignTotal")
        self.sign_total.setAlignment(_RIGHT)
        sign_page = _named(QWidget(), "CustomerSignPage")
        scol = QVBoxLayout(sign_page)
        scol.setContentsMargins(0, 0, 0, 0)
        scol.setSpacing(12)
        scol.addWidget(self.consent)
        scol.addWidget(self.pad, 1)

        self.header = _named(QLabel(""), "CustomerHeader")
        head = QHBoxLayout()
        head.addWidget(self.header)
        head.addStretch(1)
        head.addWidget(self.sign_total)
        self.esim = EsimPage()
        self.pages = _named(QStackedWidget(), "CustomerPages")
        for w in (welcome, self.cart, sign_page, self.esim):
            self.pages.addWidget(w)
        self._welcome, self._sign_page = welcome, sign_page

        col = QVBoxLayout(self)
        col.setContentsMargins(48, 32, 48, 28)
        col.setSpacing(18)
        col.addLayout(head)
        col.addWidget(self.pages, 1)
        col.addWidget(self.footer)
        col.addWidget(self.training)
        self.consent.accepted.connect(self._consented)
        self.pad.accepted.connect(self._signed)
        self.esim.finished.connect(self._esim_finished)
        self.show_idle()

    @property
    def mode(self) -> str:
        page = self.pages.currentWidget()
        if page is self.cart:
            return "cart"
        if page is self.esim:
            return "esim"
        if page is self._sign_page:
            return "signature" if self.pad.isVisibleTo(self) else "consent"
        return "idle" if self.title.text() == IDLE_TITLE and self.text.text() == IDLE_TEXT else "message"

    def set_store(self, *, name: str, address: str) -> None:
        self.store.setText(name)
        self.footer.setText(address)
        self.setWindowTitle(f"{name} — customer display")

    def set_training(self, on: bool) -> None:
        """A discreet "Training" under the footer while training mode is on."""
        self.training.setVisible(on)

    def _welcome_page(self) -> None:
        self.header.setText("")
        self.header.hide()
        self.sign_total.hide()
        self.pages.setCurrentWidget(self._welcome)

    def show_idle(self) -> None:
        """The welcome screen (also when the rep's screen locks: an eSIM code on screen is forgotten)."""
        self.sale = None
        self.esim.clear()
        self.title.setText(IDLE_TITLE)
        self.text.setText(IDLE_TEXT)
        self._welcome_page()

    def show_message(self, title: str, text: str) -> None:
        self.title.setText(title)
        self.text.setText(text)
        self._welcome_page()

    # -- the sale -----------------------------------------------------------------------------------------------
    def show_sale(self, sale: SaleDTO | None) -> None:
        """The live cart; None (no sale) goes back to the welcome screen. While the customer signs, the cart is
        only remembered (the rep cannot change it then anyway)."""
        if self.pages.currentWidget() is self.esim:  # the QR stays until the customer presses Done
            self.sale = sale
            return
        if sale is None or not sale.lines:
            if self.pages.currentWidget() is not self._sign_page:
                self.show_idle()
            self.sale = sale
            return
        self.sale = sale
        if sale.status == "completed":
            self.show_message("Thank you!", f"Receipt {sale.receipt_no}")
            return
        self.cart.show_sale(sale)
        self.sign_total.setText(f"Total {money(sale.due_cents)}")
        if self.pages.currentWidget() is not self._sign_page:
            self.header.setText("Your refund" if sale.kind == "refund" else "Your purchase")
            self.header.show()
            self.sign_total.hide()
            self.pages.setCurrentWidget(self.cart)

    def ask_signature(self, consent_text: str) -> None:
        """Show the consent text with Accept; the signature pad follows."""
        self._consent_text = consent_text
        self._consented_at = None
        self.consent.reset(consent_text)
        self.pad.hide()
        self.pad.clear()
        self.header.setText("Please sign for your purchase")
        self.header.show()
        if self.sale is not None:
            self.sign_total.setText(f"Total {money(self.sale.due_cents)}")
            self.sign_total.show()
        self.pages.setCurrentWidget(self._sign_page)

    def cancel_signature(self) -> None:
        self.pad.clear()
        self.show_sale(self.sale)
        if self.sale is not None and self.sale.lines:
            self.pages.setCurrentWidget(self.cart)

    def _consented(self) -> None:
        self._consented_at = datetime.now(UTC)
        self.consent.mark_accepted(self._consented_at)
        self.pad.show()
        self.pad.canvas.setFocus()

    def _signed(self, strokes: tuple[Stroke, ...]) -> None:
        if self._consented_at is None:
            return
        capture = SignatureCapture(strokes=strokes, consent_text=self._consent_text,
                                   consented_at=self._consented_at, pad_aspect=self.pad.aspect)
        self.show_message("Thank you", "Your signature has been recorded.")
        self.pad.clear()
        self.signature_accepted.emit(capture)

    # -- eSIM -------------------------------------------------------------------------------------------------
    def show_esim(self, code: str, masked: str) -> None:
        """The eSIM activation ``code`` as a QR code for the customer's phone (a second code waits behind the
        first: Next). ``code`` goes into the QR widget only; ``masked`` is the form safe to show as text."""
        self.esim.add(code, masked)
        self.header.setText("Set up your eSIM")
        self.header.show()
        self.sign_total.hide()
        self.pages.setCurrentWidget(self.esim)

    def clear_esim(self) -> None:
        """Forget every eSIM code (the rep cancelled, the session ended) and go back to the sale or idle."""
        self.esim.clear()
        if self.pages.currentWidget() is self.esim:
            self._after_esim()

    def _esim_finished(self) -> None:
        self._after_esim()
        self.esim_done.emit()

    def _after_esim(self) -> None:
        if self.sale is not None and self.sale.lines and self.sale.status != "completed":
            self.show_sale(self.sale)
        else:
            self.show_message("You're all set", "Your eSIM is being activated.")

    # -- placement ----------------------------------------------------------------------------------------------
    def present(self) -> None:
        """Show full screen on the customer's screen if there is a second one, else as a normal window."""
        screen = customer_screen(QGuiApplication.screens(), QGuiApplication.primaryScreen())
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            # One screen (a demo or back-office PC): a separate window that does not take the focus; the app
            # raises the rep's window over it right after (App._raise_rep_window).
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
            self.resize(*WINDOWED_SIZE)
            self.show()

    def close_for_good(self) -> None:
        self._allow_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        # The customer must not be able to close the display; the app closes it when it quits.
        if self._allow_close:
            super().closeEvent(event)
        else:
            event.ignore()
