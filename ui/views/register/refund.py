"""Refund mode: the original receipt's lines, how many of each to take back, and the reason. The page makes the
refund (back to the original tenders) on the DB worker, with a manager's override when the service asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.views.register.common import line_ref, money, tender_text
from ui.views.register.forms import error_label, named, ok_cancel

if TYPE_CHECKING:
    from posapp.services.register.dto import SaleDTO


class RefundDialog(QDialog):
    chosen = Signal(str, object, str)  # receipt no, {line_no: qty}, reason

    def __init__(self, *, original: SaleDTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RefundDialog")
        self.setWindowTitle("Refund")
        self.setModal(True)
        self.resize(820, 520)
        self.original = original
        col = QVBoxLayout(self)
        col.setContentsMargins(28, 24, 28, 20)
        col.setSpacing(10)
        col.addWidget(named(QLabel(f"Refund from receipt {original.receipt_no}"), "DialogTitle"))
        paid = ", ".join(tender_text(t) for t in original.tenders if t.state == "approved")
        when = original.completed_at.strftime("%Y-%m-%d %H:%M UTC") if original.completed_at else ""
        info = named(QLabel(f"Sold {when} \u00b7 total {money(original.due_cents)} \u00b7 paid by {paid}\n"
                      "Money goes back to the original tenders (card first, then store credit, then cash)."), "Muted")
        info.setWordWrap(True)
        col.addWidget(info)
        self.table = named(QTableWidget(len(original.lines), 4), "RefundLines")
        self.table.setHorizontalHeaderLabels(["Item", "SKU / IMEI", "Sold", "Refund qty"])
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(44)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.spins: dict[int, QSpinBox] = {}
        for r, line in enumerate(original.lines):
            self.table.setItem(r, 0, QTableWidgetItem(line.description))
            self.table.setItem(r, 1, QTableWidgetItem(line_ref(line.sku, line.imei)))
            sold = QTableWidgetItem(f"{line.qty} \u00d7 {money(line.unit_price_cents)}")
            sold.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, 2, sold)
            spin = named(QSpinBox(), "RefundQty")
            spin.setRange(0, line.qty)
            self.table.setCellWidget(r, 3, spin)
            self.spins[line.line_no] = spin
        col.addWidget(self.table, 1)
        self.reason = named(QLineEdit(), "RefundReason")
        self.reason.setPlaceholderText("Reason for the refund (required)")
        self.reason.setMaxLength(200)
        col.addWidget(self.reason)
        self.error = error_label(col)
        self.ok = ok_cancel(self, col, "Refund")
        if self.spins:
            next(iter(self.spins.values())).setFocus()

    def picks(self) -> dict[int, int]:
        return {n: s.value() for n, s in self.spins.items() if s.value() > 0}

    def submit(self) -> None:
        picks, reason = self.picks(), self.reason.text().strip()
        if not picks:
            self.show_error("Choose how many of at least one line to refund.")
            return
        if not reason:
            self.show_error("Give the reason for the refund.")
            self.reason.setFocus()
            return
        self.chosen.emit(self.original.receipt_no or "", picks, reason)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
