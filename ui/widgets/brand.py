"""The product mark, painted in code so the login window needs no SVG plugin before its first paint."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

TEAL = QColor("#0e8a83")
WAVE = QColor("#9fe3da")
PRODUCT_NAME = "posapp"
PRODUCT_TAGLINE = "Store counter"


class BrandMark(QWidget):
    """A rounded teal tile with a white "P" and two signal arcs (same drawing as resources/icons/logo.svg)."""

    def __init__(self, *, size: int = 56, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(QSize(size, size))
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = self.width() / 64
        p.scale(s, s)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(TEAL)
        p.drawRoundedRect(QRectF(2, 2, 60, 60), 16, 16)
        letter = QPainterPath()
        letter.moveTo(20, 44)
        letter.lineTo(20, 20)
        letter.lineTo(33, 20)
        letter.arcTo(QRectF(25, 20, 16, 16), 90, -180)
        letter.lineTo(20, 36)
        pen = QPen(QColor("white"), 5.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(letter)
        p.setPen(QPen(WAVE, 3.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawArc(QRectF(26.5, 25, 20, 20), -20 * 16, -60 * 16)
        wave = QColor(WAVE)
        wave.setAlphaF(0.65)
        p.setPen(QPen(wave, 3.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawArc(QRectF(22, 21, 32, 32), -20 * 16, -60 * 16)
        p.end()
