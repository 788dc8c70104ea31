"""The register's scan field, cart table and totals panel (widgets only: no service calls here)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.views.lookup.search_box import SCAN_GAP_S, SCAN_MIN_CHARS
from ui.views.register.common import line_ref, money, total_rows
from ui.views.register.forms import named

if TYPE_CHECKING:
    from posapp.services.register.dto import LineDTO, SaleDTO

SALE_PLACEHOLDER = "Scan or type a UPC, IMEI or SKU"
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
            action = next((a for k, a in _CART_KEYS.items() if k == key), None)
            if action is not None:
                self.cart_key.emit(action)
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


COLUMNS = ("Item  \u00b7  SKU / IMEI", "Qty", "Price", "Disc.", "Total")
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1


class ItemDelegate(QStyledItemDelegate):
    """The item cell: the description, and under it the SKU or IMEI in smaller, muted type."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex,
              ) -> None:  # Qt override
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        detail = str(index.data(DETAIL_ROLE) or "")
        title = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect.adjusted(12, 6, -8, -6)
        painter.save()
        font = QFont(opt.font)
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(QColor("#1c2b3a"))
        top = QRect(rect.left(), rect.top(), rect.width(), rect.height() // 2 + 2)
        painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                         QFontMetrics(font).elidedText(title, Qt.TextElideMode.ElideRight, top.width()))
        small = QFont(opt.font)
        small.setPixelSize(13)
        painter.setFont(small)
        painter.setPen(QColor("#5b6878"))
        bottom = QRect(rect.left(), rect.top() + rect.height() // 2 + 3, rect.width(), rect.height() // 2 - 3)
        painter.drawText(bottom, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                         QFontMetrics(small).elidedText(detail, Qt.TextElideMode.ElideRight, bottom.width()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(200, 56)  # Qt override


class CartTable(QTableWidget):
    """The cart lines; the selection is the line +/-/Del/Ctrl+D act on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("CartTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(58)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keyboard
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(False)
        self.setItemDelegateForColumn(0, ItemDelegate(self))
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(56)
        self.lines: tuple[LineDTO, ...] = ()

    def show_sale(self, sale: SaleDTO | None, *, select_line: int | None = None) -> None:
        keep = select_line if select_line is not None else self.selected_line_no()
        self.lines = sale.lines if sale is not None else ()
        self.setRowCount(len(self.lines))
        for r, line in enumerate(self.lines):
            gross = line.qty * line.unit_price_cents
            price = money(line.unit_price_cents) + (" *" if line.price_overridden else "")
            cells = (line.description, str(line.qty), price,
                     f"\u2212{money(line.discount_cents)}" if line.discount_cents else "", money(line.net_cents))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setData(DETAIL_ROLE, line_ref(line.sku, line.imei))
                    item.setToolTip(f"{line.description}\n{line_ref(line.sku, line.imei)}")
                else:
                    item.setTextAlignment(_RIGHT)
                if c == 2 and line.price_overridden:
                    item.setToolTip("Price overridden by a manager")
                if c == 3 and line.discount_cents:
                    item.setToolTip(f"{line.discount_cents * 100 / gross:.0f}% of {money(gross)}" if gross else "")
                self.setItem(r, c, item)
        if self.lines:
            row = next((r for r, x in enumerate(self.lines) if x.line_no == keep), len(self.lines) - 1)
            self.selectRow(row)
            first = self.item(row, 0)
            if first is not None:
                self.scrollToItem(first)

    def selected_line(self) -> LineDTO | None:
        rows = self.selectionModel().selectedRows()
        if not rows or not self.lines:
            return None
        r = rows[0].row()
        return self.lines[r] if r < len(self.lines) else None

    def selected_line_no(self) -> int | None:
        line = self.selected_line()
        return line.line_no if line is not None else None

    def move_selection(self, delta: int) -> None:
        if not self.lines:
            return
        rows = self.selectionModel().selectedRows()
        r = rows[0].row() if rows else 0
        self.selectRow(max(0, min(len(self.lines) - 1, r + delta)))

    def texts(self) -> list[str]:
        """Every cell's text, the SKU / IMEI under each item included."""
        out: list[str] = []
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                item = self.item(r, c)
                if item is None:
                    continue
                out.append(item.text())
                if c == 0:
                    out.append(str(item.data(DETAIL_ROLE) or ""))
        return out


class TotalsPanel(QFrame):
    """Subtotal, discounts, each tax / fee / surcharge line, the total, what was paid and what is due, the totals
    in large type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TotalsPanel")
        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(12)
        self.rows.setVerticalSpacing(1)
        self.paid_rows = QGridLayout()
        self.paid_rows.setHorizontalSpacing(12)
        self.paid_rows.setVerticalSpacing(1)
        self.total_label = named(QLabel("Total"), "TotalLabel")
        self.total = named(QLabel("$0.00"), "TotalAmount")
        self.total.setAlignment(_RIGHT)
        self.due_label = named(QLabel("Due"), "DueLabel")
        self.due = named(QLabel("$0.00"), "DueAmount")
        self.due.setAlignment(_RIGHT)
        col = QVBoxLayout(self)
        col.setContentsMargins(18, 10, 18, 10)
        col.setSpacing(4)
        col.addLayout(self.rows)
        rule = named(QFrame(), "TotalsRule")
        rule.setFixedHeight(1)
        col.addWidget(rule)
        total = QHBoxLayout()
        total.addWidget(self.total_label)
        total.addWidget(self.total, 1)
        col.addLayout(total)
        col.addLayout(self.paid_rows)
        due = QHBoxLayout()
        due.addWidget(self.due_label)
        due.addWidget(self.due, 1)
        col.addLayout(due)
        self._labels: list[QLabel] = []
        self.values: dict[str, str] = {}
        self.show_sale(None)

    def _add(self, grid: QGridLayout, n: int, label: str, cents: int, role: str) -> None:
        name = named(QLabel(label), "SumLabel")
        value = named(QLabel(money(cents)), "SumValue")
        value.setAlignment(_RIGHT)
        for w in (name, value):
            w.setProperty("role", role)
        grid.addWidget(name, n, 0)
        grid.addWidget(value, n, 1)
        self._labels += [name, value]

    def show_sale(self, sale: SaleDTO | None) -> None:
        for w in self._labels:
            w.hide()
            w.setParent(None)
            w.deleteLater()
        self._labels = []
        self.values = {}
        if sale is None:
            self.total_label.setText("Total")
            self.total.setText(money(0))
            self.due.setText(money(0))
            self.due_label.setText("Due")
            self.setProperty("state", "empty")
            self._repolish()
            return
        above = below = 0
        for row in total_rows(sale):
            self.values[row.label] = money(row.cents)
            if row.role == "total":
                self.total_label.setText(row.label)
                self.total.setText(money(row.cents))
            elif row.role in ("paid", "pending"):
                if sale.status == "completed":
                    continue
                self._add(self.paid_rows, below, row.label, row.cents, row.role)
                below += 1
            else:
                self._add(self.rows, above, row.label, row.cents, row.role)
                above += 1
        refund = sale.kind == "refund"
        left = sale.remaining_cents
        if sale.status == "completed":
            self.due_label.setText("Refunded" if refund else "Paid in full")
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
