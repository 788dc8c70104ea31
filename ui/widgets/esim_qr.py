"""The eSIM activation code as a QR code, drawn for the customer window only.

:class:`QrCode` paints a ``segno`` matrix module by module (crisp at any size, no image file). The code it shows
is held in a private attribute only: never in a widget text, an object name, a tooltip, an accessible name or a
log line. :class:`EsimPage` is the customer window's eSIM step: the QR, how to scan it, the masked form, and a
Next / Done button.
"""

from __future__ import annotations

import segno
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.qt import named

SCAN_HELP = "Scan with your phone\u2019s camera: Settings \u2192 Cellular \u2192 Add eSIM"
QUIET_MODULES = 4  # the quiet zone the QR specification asks for


class QrCode(QWidget):
    """A square QR code of ``text`` (set with :meth:`set_text`; :meth:`clear` forgets it)."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EsimQr")
        self.setAccessibleName("eSIM QR code")
        self.setMinimumSize(240, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._matrix: tuple[tuple[bool, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not self._matrix

    def set_text(self, text: str) -> None:
        qr = segno.make_qr(text, error="m")
        self._matrix = tuple(tuple(bool(v) for v in row) for row in qr.matrix)
        self.update()

    def clear(self) -> None:
        self._matrix = ()
        self.update()

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(360, 360)

    def paintEvent(self, _event: QPaintEvent) -> None:  # Qt override
        if not self._matrix:
            return
        n = len(self._matrix) + 2 * QUIET_MODULES
        side = min(self.width(), self.height())
        module = max(side // n, 1)
        size = module * n
        x0, y0 = (self.width() - size) // 2, (self.height() - size) // 2
        painter = QPainter(self)
        painter.fillRect(QRect(x0, y0, size, size), QColor("white"))
        black = QColor("black")
        for r, row in enumerate(self._matrix):
            y = y0 + (r + QUIET_MODULES) * module
            for c, dark in enumerate(row):
                if dark:
                    painter.fillRect(x0 + (c + QUIET_MODULES) * module, y, module, module, black)
        painter.end()


class EsimPage(QWidget):
    """The customer window's eSIM step: one code at a time; Next shows the next line's, Done goes back."""

    finished = Signal()  # the customer pressed Done on the last code

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerEsimPage")
        self._queue: list[tuple[str, str]] = []
        self.heading = named(QLabel("Your eSIM is ready"), "CustomerHeading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.qr = QrCode()
        self.help = named(QLabel(SCAN_HELP), "EsimHelp")
        self.help.setWordWrap(True)
        self.help.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.masked = named(QLabel(""), "EsimMasked")
        self.masked.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.next = named(QPushButton("Done"), "EsimNext")
        self.next.setProperty("primary", True)
        self.next.setMinimumWidth(220)
        button = QHBoxLayout()
        button.addStretch(1)
        button.addWidget(self.next)
        button.addStretch(1)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(14)
        col.addWidget(self.heading)
        col.addWidget(self.qr, 1)
        col.addWidget(self.help)
        col.addWidget(self.masked)
        col.addLayout(button)
        self.next.clicked.connect(self.show_next)

    @property
    def waiting(self) -> int:
        """Codes queued behind the one shown."""
        return len(self._queue)

    def add(self, code: str, masked: str) -> None:
        """Show ``code`` now, or after the one on screen when one is shown."""
        if self.qr.empty:
            self._show(code, masked)
        else:
            self._queue.append((code, masked))
        self._label_button()

    def _show(self, code: str, masked: str) -> None:
        self.qr.set_text(code)
        self.masked.setText(f"Activation code {masked}")

    def _label_button(self) -> None:
        self.next.setText(f"Next eSIM ({self.waiting} more)" if self._queue else "Done")

    def show_next(self) -> None:
        if self._queue:
            self._show(*self._queue.pop(0))
            self._label_button()
            return
        self.clear()
        self.finished.emit()

    def clear(self) -> None:
        self._queue.clear()
        self.qr.clear()
        self.masked.setText("")
        self._label_button()
