"""The register's scan field, cart table and totals panel (widgets only: no service calls here)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.views.lookup.search_box import SCAN_GAP_S, SCAN_MIN_CHARS
from ui.views.register.common import line_ref, money, total_rows

if TYPE_CHECKING:
    from posapp.services.register.dto import LineDTO, SaleDTO

SALE_PLACEHOLDER = "Scan or type a UPC, IMEI or SKU \u2014 or a receipt number to reprint"
REFUND_PLACEHOLDER = "REFUND MODE \u2014 scan the receipt barcode (F8 to leave)"
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CART_KEYS = {Qt.Key.Key_Plus: "plus", Qt.Key.Key_Minus: "minus", Qt.Key.Key_Delete: "delete"}


class ScanField(QLineEdit):
    """The always-focused entry. A scanner burst (>= SCAN_MIN_CHARS keys < SCAN_GAP_S apart) ending in Enter is
    ``submitted(text, True)`` at once; a person's Enter gives ``submitted(text, False)``. While the field is empty,
    + / - / Del act on the selected cart line and Up / Down move the selection, so the caret never has to leave."""

    submitted = Signal(str, bool)  # text, came from a scanner
    cart_key = Signal(str)  # plus | minus | delete
    moved = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScanField")
        self.setPlaceholderText(SALE_PLACEHOLDER)
        self.setAccessibleName("Scan or type an item")
        self.setClearButtonEnabled(True)
        self._last_key = 0.0
        self._burst = 0
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is self and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        now = time.monotonic()
        gap, self._last_key = now - self._last_key, now
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in _ENTER and not mods:
            burst, self._burst = self._burst, 0
            text = self.text().strip()
            self.clear()
            self.submitted.emit(text, burst >= SCAN_MIN_CHARS and gap < SCAN_GAP_S)
            return True
        if not self.text() and not mods:
            if key in _CART_KEYS:
                self.cart_key.emit(_CART_KEYS[key])
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.moved.emit(-1 if key == Qt.Key.Key_Up else 1)
                return True
        if event.text() and event.text().isprintable():
            self._burst = self._burst + 1 if gap < SCAN_GAP_S else 1
        return False

    def set_refund_mode(self, on: bool) -> None:
        self.setPlaceholderText(REFUND_PLACEHOLDER if on else SALE_PLACEHOLDER)
        self.setProperty("refund", on)
        self.style().unpolish(self)
        self.style().polish(self)


COLUMNS = ("Description", "SKU / IMEI", "Qty", "Price", "Discount", "Line total")


class CartTable(QTableWidget):
    """The cart lines; the selection is the line +/-/Del/Ctrl+D act on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("CartTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(44)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keyboard
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.lines: tuple[LineDTO, ...] = ()

    def show_sale(self, sale: SaleDTO | None, *, select_line: int | None = None) -> None:
        keep = select_line if select_line is not None else self.selected_line_no()
        self.lines = sale.lines if sale is not None else ()
        self.setRowCount(len(self.lines))
        for r, line in enumerate(self.lines):
            gross = line.qty * line.unit_price_cents
            price = money(line.unit_price_cents) + (" *" if line.price_overridden else "")
            cells = (line.description, line_ref(line.sku, line.imei), str(line.qty), price,
                     f"\u2212{money(line.discount_cents)}" if line.discount_cents else "", money(line.net_cents))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(_RIGHT)
                if c == 3 and line.price_overridden:
                    item.setToolTip("Price overridden by a manager")
                if c == 4 and line.discount_cents:
                    item.setToolTip(f"{line.discount_cents * 100 / gross:.0f}% of {money(gross)}" if gross else "")
                self.setItem(r, c, item)
        if self.lines:
            row = next((r for r, x in enumerate(self.lines) if x.line_no == keep), len(self.lines) - 1)
            self.selectRow(row)
            self.scrollToItem(self.item(row, 0))

    def selected_line(self) -> LineDTO | None:
        rows = self.selectionModel().selectedRows()
        if not rows or not self.lines:
            return None
        r = rows[0].row()
        return self.lines[r] if r < len(self.lines) else None

    def selected_line_no(self) -> int | None:
        line = self.selected_line()
        return line.line_no if line is not None else None

    def move(self, delta: int) -> None:
        if not self.lines:
            return
        rows = self.selectionModel().selectedRows()
        r = rows[0].row() if rows else 0
        self.selectRow(max(0, min(len(self.lines) - 1, r + delta)))

    def texts(self) -> list[str]:
        return [self.item(r, c).text() for r in range(self.rowCount()) for c in range(self.columnCount())]


class TotalsPanel(QFrame):
    """Subtotal, discounts, each tax / fee / surcharge line, the total, paid and what is left, in large type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TotalsPanel")
        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(12)
        self.rows.setVerticalSpacing(4)
        self.total_label = QLabel("Total", objectName="TotalLabel")
        self.total = QLabel("$0.00", objectName="TotalAmount")
        self.total.setAlignment(_RIGHT)
        self.due_label = QLabel("Due", objectName="DueLabel")
        self.due = QLabel("$0.00", objectName="DueAmount")
        self.due.setAlignment(_RIGHT)
        col = QVBoxLayout(self)
        col.setContentsMargins(20, 16, 20, 16)
        col.setSpacing(8)
        col.addLayout(self.rows)
        rule = QFrame(objectName="TotalsRule")
        rule.setFixedHeight(1)
        col.addWidget(rule)
        big = QGridLayout()
        big.setVerticalSpacing(2)
        big.addWidget(self.total_label, 0, 0)
        big.addWidget(self.total, 0, 1)
        big.addWidget(self.due_label, 1, 0)
        big.addWidget(self.due, 1, 1)
        col.addLayout(big)
        self._labels: list[QLabel] = []
        self.values: dict[str, str] = {}
        self.show_sale(None)

    def show_sale(self, sale: SaleDTO | None) -> None:
        for w in self._labels:
            self.rows.removeWidget(w)
            w.deleteLater()
        self._labels = []
        self.values = {}
        if sale is None:
            self.total.setText(money(0))
            self.due.setText(money(0))
            self.due_label.setText("Due")
            self.setProperty("state", "empty")
            self._repolish()
            return
        n = 0
        for row in total_rows(sale):
            self.values[row.label] = money(row.cents)
            if row.role == "total":
                self.total_label.setText(row.label)
                self.total.setText(money(row.cents))
                continue
            name = QLabel(row.label, objectName="SumLabel")
            value = QLabel(money(row.cents), objectName="SumValue")
            value.setAlignment(_RIGHT)
            for w in (name, value):
                w.setProperty("role", row.role)
            self.rows.addWidget(name, n, 0)
            self.rows.addWidget(value, n, 1)
            self._labels += [name, value]
            n += 1
        refund = sale.kind == "refund"
        left = sale.remaining_cents
        if sale.status == "completed":
            self.due_label.setText("Refunded" if refund else "Paid")
            self.due.setText(money(sale.paid_cents))
            state = "done"
        else:
            self.due_label.setText("To refund" if refund else "Due")
            self.due.setText(money(left))
            state = "paid" if left == 0 and sale.lines and not sale.open_tender_cents else "due"
        self.values["Due"] = self.due.text()
        self.setProperty("state", state)
        self._repolish()

    def _repolish(self) -> None:
        for w in (self, self.due, self.due_label):
            w.style().unpolish(w)
            w.style().polish(w)
