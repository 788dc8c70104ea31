"""After a sale: the receipt panel (Print, Save PDF, New sale; "Receipt not saved: … Retry" when the PDF could not
be written) and printing a receipt PDF on a QPrinter.

Printing is split so it can be tested without a dialog and so the UI thread never rasterises: :func:`rasterise_pdf`
renders every page to a ``QImage`` (thread-safe; the panel runs it on the device worker through its
:class:`ui.runner.ServiceRunner`) and :func:`paint_pages` draws the prepared images on any ``QPrinter`` on the UI
thread (fast). :func:`print_pdf` is the two in a row. The panel only opens the ``QPrintDialog`` (non-modal) and
prints when the rep confirms.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from posapp.errors import PosError, ValidationError
from ui.views.register.common import money
from ui.views.register.forms import named

if TYPE_CHECKING:
    from ui.runner import ServiceRunner

PRINT_DPI = 300


def rasterise_pdf(pdf: Path, dpi: int = PRINT_DPI) -> list[QImage]:
    """Every page of ``pdf`` as an image at ``dpi`` (no widget, no printer: safe off the UI thread)."""
    doc = QPdfDocument()
    try:
        status = doc.load(str(pdf))
        if status != QPdfDocument.Error.None_ or doc.pageCount() == 0:
            raise ValidationError(f"The receipt file {pdf.name} could not be read for printing.")
        pages: list[QImage] = []
        for i in range(doc.pageCount()):
            points = doc.pagePointSize(i)
            pages.append(doc.render(i, QSizeF(points.width() * dpi / 72, points.height() * dpi / 72).toSize()))
        return pages
    finally:
        doc.close()


def paint_pages(pages: Sequence[QImage], printer: QPrinter) -> int:
    """Draw prepared page images on ``printer``, each scaled to fit (aspect kept). Returns the number of pages."""
    painter = QPainter()
    if not painter.begin(printer):
        raise ValidationError("The printer could not be started.")
    try:
        for i, image in enumerate(pages):
            if i:
                printer.newPage()
            area = QRectF(painter.viewport())
            scale = min(area.width() / image.width(), area.height() / image.height())
            painter.drawImage(QRectF(QPointF(0, 0), QSizeF(image.width() * scale, image.height() * scale)), image)
    finally:
        painter.end()
    return len(pages)


def print_pdf(pdf: Path, printer: QPrinter) -> int:
    """Draw each page of ``pdf`` on ``printer`` (scaled to fit, aspect kept). Returns the number of pages."""
    return paint_pages(rasterise_pdf(pdf), printer)


class ReceiptPanel(QWidget):
    """What the rep does with a finished sale's receipt."""

    print_requested = Signal()
    save_requested = Signal()
    new_sale = Signal()
    retry = Signal()  # render the receipt that could not be saved again
    printed = Signal(int)  # pages sent to the printer

    def __init__(self, *, runner: ServiceRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReceiptPanel")
        self._runner = runner
        self.pdf: Path | None = None
        self.receipt_no: str | None = None
        self.print_dialog: QPrintDialog | None = None
        self.printer: QPrinter | None = None
        self.heading = named(QLabel("Sale complete"), "ReceiptHeading")
        self.number = named(QLabel(""), "ReceiptNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_label = named(QLabel("Change due"), "ChangeLabel")
        self.change = named(QLabel(""), "ChangeDue")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.details = named(QLabel(""), "ReceiptDetails")
        self.details.setWordWrap(True)
        self.note = named(QLabel(""), "ReceiptNote")
        self.note.setWordWrap(True)
        self.failure = named(QLabel(""), "ReceiptFailed")
        self.failure.setWordWrap(True)
        self.retry_button = named(QPushButton("Retry  Ctrl+R"), "RetryReceipt")
        self.retry_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.failed_box = QWidget()
        failed_row = QHBoxLayout(self.failed_box)
        failed_row.setContentsMargins(0, 0, 0, 0)
        failed_row.addWidget(self.failure, 1)
        failed_row.addWidget(self.retry_button)
        self.failed_box.hide()
        self.print_button = named(QPushButton("Print  Ctrl+P"), "PrintReceipt")
        self.save_button = named(QPushButton("Save PDF  Ctrl+S"), "SaveReceipt")
        self.new_button = named(QPushButton("New sale  F12"), "NewSale")
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
        col.addWidget(self.failed_box)
        col.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        col.addLayout(row)
        col.addWidget(self.new_button)
        self.print_button.clicked.connect(self.print_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.new_button.clicked.connect(self.new_sale)
        self.retry_button.clicked.connect(self.retry)

    def show_receipt(self, receipt_no: str, pdf: Path | None, *, heading: str, change_cents: int = 0,
                     details: str = "", failure: str = "") -> None:
        """A finished sale's (or a reprint's) receipt; ``pdf`` None while it is rendered or when it failed
        (``failure``: why, with Retry)."""
        self.receipt_no, self.pdf = receipt_no, pdf
        self.print_button.setEnabled(pdf is not None)
        self.save_button.setEnabled(pdf is not None)
        self.failure.setText(f"Receipt not saved: {failure}" if failure else "")
        self.failed_box.setVisible(bool(failure))
        self.retry_button.setEnabled(bool(failure))
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
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        return dialog

    def _print_confirmed(self) -> None:
        if self.pdf is not None and self.printer is not None:
            self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the receipt on ``printer``: the pages are rasterised off the UI thread (the runner's device
        worker), then painted here."""
        pdf = self.pdf
        if pdf is None:
            return
        self.set_note("Preparing the pages for the printer\u2026")
        if self._runner is None:
            self._paint(printer, rasterise_pdf(pdf))
            return
        self._runner.device(lambda: rasterise_pdf(pdf), lambda pages: self._paint(printer, pages),
                            on_error=self._print_failed)

    def _paint(self, printer: QPrinter, pages: list[QImage]) -> None:
        try:
            n = paint_pages(pages, printer)
        except PosError as exc:
            self._print_failed(exc)
            return
        where = printer.printerName() or "the printer"
        self.set_note(f"Sent {n} page{'s' if n != 1 else ''} to {where}.")
        self.printed.emit(n)

    def _print_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PosError):
            self.set_note(str(exc))
        elif self._runner is not None:
            self._runner.report_unexpected(exc)
