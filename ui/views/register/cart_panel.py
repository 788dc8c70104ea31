"""The cart panel: the scan field, the page's message lines, the cart table (or the empty text) and the key help.

It renders the :class:`posapp.workflows.sale.SaleFlow` and turns what is typed or scanned into intents: an item
code (``add_code``), a receipt number to reprint (``reprint``) or, in refund mode, to refund from (``refund_from``),
Enter in the empty field (``complete``) and the cart keys on the selected line (``line_key``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from ui.views.register.cart import CartTable, ScanField
from ui.views.register.common import looks_like_receipt

if TYPE_CHECKING:
    from posapp.services.register.dto import LineDTO, SaleDTO
    from posapp.workflows.sale import SaleFlow

KEYS = (("+ \u2212", "qty"), ("Del", "remove"), ("\u2191\u2193", "line"), ("Ctrl+D", "discount"),
        ("Ctrl+E", "price"), ("Ctrl+B", "bill pay"),
        ("F9", "cash"), ("F10", "card"), ("F11", "credit"), ("Ctrl+\u21b5", "complete"), ("F8", "refund"),
        ("F12", "new sale"))
SALE_EMPTY = "Scan an item to start a sale.\nA receipt number reprints that receipt."
REFUND_EMPTY = "Refund mode: scan the receipt barcode, or type its number."


def _label(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class CartPanel(QWidget):
    add_code = Signal(str)
    reprint = Signal(str)
    refund_from = Signal(str)
    complete = Signal()
    line_key = Signal(str, object)  # plus | minus | delete, the selected LineDTO

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refund_mode = False
        self.scan = ScanField()
        self.info = _label("InlineInfo")
        self.info.hide()
        self.error = _label("InlineError")
        self.error.hide()
        self.table = CartTable()
        self.empty = QLabel("")
        self.empty.setObjectName("CartEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.setObjectName("CartStack")
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.keys = _label("RegisterKeys")
        self.keys.setText(" \u00b7 ".join(f"<b>{k.replace(' ', '&nbsp;')}</b>&nbsp;{t.replace(' ', '&nbsp;')}"
                                          for k, t in KEYS))
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        for w in (self.scan, self.info, self.error):
            col.addWidget(w)
        col.addWidget(self.stack, 1)
        col.addWidget(self.keys)
        self.scan.submitted.connect(self._submitted)
        self.scan.cart_key.connect(self._cart_key)
        self.scan.moved.connect(self.table.move_selection)

    def message(self, text: str, *, error: bool) -> None:
        """The line under the scan field: an error (red) or information; the other one is hidden."""
        shown, other = (self.error, self.info) if error else (self.info, self.error)
        shown.setText(text)
        shown.setVisible(bool(text))
        other.hide()

    def show_lines(self, sale: SaleDTO | None, *, select_line: int | None = None) -> None:
        """The cart's lines (the new line, or ``select_line``, selected)."""
        self.table.show_sale(sale, select_line=select_line)

    def show_flow(self, flow: SaleFlow) -> None:
        sale = flow.shown
        self.stack.setCurrentWidget(self.table if sale is not None and sale.lines else self.empty)
        if self.refund_mode != flow.refund_mode:
            self.refund_mode = flow.refund_mode
            self.scan.set_refund_mode(flow.refund_mode)
        self.empty.setText(REFUND_EMPTY if flow.refund_mode else SALE_EMPTY)

    def selected_line(self) -> LineDTO | None:
        return self.table.selected_line()

    def _submitted(self, text: str, _scanned: bool) -> None:
        self.error.hide()
        if not text:
            self.complete.emit()
        elif self.refund_mode:
            self.refund_from.emit(text)
        elif looks_like_receipt(text):
            self.reprint.emit(text.upper())
        else:
            self.add_code.emit(text)

    def _cart_key(self, key: str) -> None:
        line = self.table.selected_line()
        if line is not None:
            self.line_key.emit(key, line)
