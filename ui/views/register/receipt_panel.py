"""After a sale: the receipt panel (Print, Save PDF, New sale) and printing a receipt PDF on a QPrinter.

Printing is split so it can be tested without a dialog: :func:`print_pdf` draws every page of a receipt PDF onto
any ``QPrinter`` (a real printer, or one in PDF output mode in the tests); the panel only opens the
``QPrintDialog`` (non-modal ``open()``) and calls it when the rep confirms.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from posapp.errors import ValidationError
from ui.views.register.common import money

PRINT_DPI = 300


def print_pdf(pdf: Path, printer: QPrinter) -> int:
    """Draw each page of ``pdf`` on ``printer`` (scaled to fit, aspect kept). Returns the number of pages."""
    doc = QPdfDocument()
    try:
        status = doc.load(str(pdf))
        if status != QPdfDocument.Error.None_ or doc.pageCount() == 0:
            raise ValidationError(f"The receipt file {pdf.name} could not be read for printing.")
        painter = QPainter()
        if not painter.begin(printer):
            raise ValidationError("The printer could not be started.")
        try:
            for i in range(doc.pageCount()):
                if i:
                    printer.newPage()
                points = doc.pagePointSize(i)
                size = QSizeF(points.width() * PRINT_DPI / 72, points.height() * PRINT_DPI / 72).toSize()
                image: QImage = doc.render(i, size)
                area = QRectF(painter.viewport())
                scale = min(area.width() / image.width(), area.height() / image.height())
                target = QRectF(QPointF(0, 0), QSizeF(image.width() * scale, image.height() * scale))
                painter.drawImage(target, image)
        finally:
            painter.end()
        return doc.pageCount()
    finally:
        doc.close()


class ReceiptPanel(QWidget):
    """What the rep does with a finished sale's receipt."""

    print_requested = Signal()
    save_requested = Signal()
    new_sale = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReceiptPanel")
        self.pdf: Path | None = None
        self.receipt_no: str | None = None
        self.print_dialog: QPrintDialog | None = None
        self.printer: QPrinter | None = None
        self.heading = QLabel("Sale complete", objectName="ReceiptHeading")
        self.number = QLabel("", objectName="ReceiptNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_label = QLabel("Change due", objectName="ChangeLabel")
        self.change = QLabel("", objectName="ChangeDue")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.details = QLabel("", objectName="ReceiptDetails")
        self.details.setWordWrap(True)
        self.note = QLabel("", objectName="ReceiptNote")
        self.note.setWordWrap(True)
        self.print_button = QPushButton("Print  Ctrl+P", objectName="PrintReceipt")
        self.save_button = QPushButton("Save PDF  Ctrl+S", objectName="SaveReceipt")
        self.new_button = QPushButton("New sale  F12", objectName="NewSale")
        self.new_button.setProperty("primary", True)
        for b in (self.print_button, self.save_button, self.new_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(self.heading)
        col.addWidget(self.number)
        change = QHBoxLayout()
        change.addWidget(self.change_label)
        change.addWidget(self.change, 1)
        col.addLayout(change)
        col.addWidget(self.details)
        col.addWidget(self.note)
        col.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        col.addLayout(row)
        col.addWidget(self.new_button)
        self.print_button.clicked.connect(self.print_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.new_button.clicked.connect(self.new_sale)

    def show_receipt(self, receipt_no: str, pdf: Path, *, heading: str, change_cents: int = 0,
                     details: str = "") -> None:
        self.receipt_no, self.pdf = receipt_no, pdf
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.heading.setText(heading)
        self.number.setText(f"Receipt {receipt_no}")
        self.change.setText(money(change_cents))
        self.change.setVisible(change_cents > 0)
        self.change_label.setVisible(change_cents > 0)
        self.note.setText("")

    def set_note(self, text: str) -> None:
        self.note.setText(text)

    def open_print_dialog(self) -> QPrintDialog | None:
        """Ask which printer (non-modal); prints when the rep confirms."""
        if self.pdf is None:
            return None
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(f"Receipt {self.receipt_no}")
        dialog = QPrintDialog(self.printer, self)
        dialog.accepted.connect(self._print_confirmed)
        self.print_dialog = dialog
        dialog.open()
        return dialog

    def _print_confirmed(self) -> None:
        if self.pdf is None or self.printer is None:
            return
        try:
            pages = print_pdf(self.pdf, self.printer)
        except ValidationError as exc:
            self.set_note(str(exc))
        else:
            where = self.printer.printerName() or "the printer"
            self.set_note(f"Sent {pages} page{'s' if pages != 1 else ''} to {where}.")
