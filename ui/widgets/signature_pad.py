"""A signature pad for the customer: mouse, pen (QTabletEvent) or finger (QTouchEvent).

Strokes are recorded as vectors, never as a picture: each point is ``(x, y, t)`` with x and y normalised to
0..1 of the ink area (so the size of the customer's screen does not matter) and t in milliseconds since the first
point of the signature. :class:`SignaturePad` adds Clear and Accept; Accept stays disabled until there is ink.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from posapp.domain.signature import MAX_POINTS, MAX_STROKES
from ui.qt import named

Point = tuple[float, float, int]
Stroke = tuple[Point, ...]

# A stroke needs at least this many points to count as ink (a bare tap is not a signature).
MIN_POINTS = 2
INK = "#0f2a44"
BASELINE = "#9aa7b6"


class SignatureCanvas(QWidget):
    """The ink area. Emits ``changed`` after every finished stroke and after :meth:`clear`."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignatureCanvas")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setMinimumSize(360, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName("Signature area")
        self._strokes: list[list[Point]] = []
        self._current: list[Point] | None = None
        self._clock = QElapsedTimer()
        self._pen_down = False  # a pen is drawing: ignore the mouse events Qt synthesises from it

    # -- data -------------------------------------------------------------------------------------------------
    @property
    def strokes(self) -> tuple[Stroke, ...]:
        return tuple(tuple(s) for s in self._strokes if len(s) >= MIN_POINTS)

    @property
    def has_ink(self) -> bool:
        return bool(self.strokes)

    @property
    def aspect(self) -> float:
        """Width / height of the ink area (the strokes are normalised to it), kept within 0.2..20."""
        return min(20.0, max(0.2, self.width() / max(1, self.height())))

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self._pen_down = False
        self._clock.invalidate()
        self.update()
        self.changed.emit()

    # -- recording ----------------------------------------------------------------------------------------------
    def _point(self, pos: QPointF) -> Point:
        w, h = max(1, self.width() - 1), max(1, self.height() - 1)
        if not self._clock.isValid():
            self._clock.start()
        x = min(1.0, max(0.0, pos.x() / w))
        y = min(1.0, max(0.0, pos.y() / h))
        return (round(x, 4), round(y, 4), int(self._clock.elapsed()))

    def _room(self) -> bool:
        return sum(len(s) for s in self._strokes) < MAX_POINTS

    def begin_stroke(self, pos: QPointF) -> None:
        if len(self._strokes) >= MAX_STROKES or not self._room():
            self._current = None
            return
        self._current = [self._point(pos)]
        self._strokes.append(self._current)
        self.update()

    def extend_stroke(self, pos: QPointF) -> None:
        if self._current is None or not self._room():
            return
        p = self._point(pos)
        if p[:2] != self._current[-1][:2]:
            self._current.append(p)
            self.update()

    def end_stroke(self, pos: QPointF | None = None) -> None:
        if self._current is None:
            return
        if pos is not None:
            self.extend_stroke(pos)
        self._current = None
        self.changed.emit()

    # -- input: mouse -------------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        if self._pen_down or event.button() != Qt.MouseButton.LeftButton:
            return
        self.begin_stroke(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # Qt override
        if not self._pen_down and event.buttons() & Qt.MouseButton.LeftButton:
            self.extend_stroke(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        if not self._pen_down and event.button() == Qt.MouseButton.LeftButton:
            self.end_stroke(event.position())

    # -- input: pen ---------------------------------------------------------------------------------------------
    def tabletEvent(self, event: QTabletEvent) -> None:  # Qt override
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._pen_down = True
            self.begin_stroke(event.position())
        elif kind == QEvent.Type.TabletMove and self._pen_down:
            self.extend_stroke(event.position())
        elif kind == QEvent.Type.TabletRelease and self._pen_down:
            self.end_stroke(event.position())
            self._pen_down = False
        event.accept()  # no synthesised mouse events for a pen we handled

    # -- input: touch -------------------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:  # Qt override
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd) \
                and isinstance(event, QTouchEvent):
            points = event.points()
            if points:
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self.begin_stroke(pos)
                elif kind == QEvent.Type.TouchUpdate:
                    self.extend_stroke(pos)
                else:
                    self.end_stroke(pos)
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self.end_stroke()
            event.accept()
            return True
        return super().event(event)

    # -- drawing ------------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width() - 1, self.height() - 1
        base_y = h * 0.78
        line = QPen(BASELINE)
        line.setWidthF(1.5)
        line.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(line)
        painter.drawLine(QPointF(w * 0.06, base_y), QPointF(w * 0.94, base_y))
        painter.drawText(QRectF(w * 0.06, base_y - 34, 40, 30), Qt.AlignmentFlag.AlignLeft
                         | Qt.AlignmentFlag.AlignBottom, "\u2715")
        ink = QPen(INK)
        ink.setWidthF(max(2.5, min(w, h) / 90))
        ink.setCapStyle(Qt.PenCapStyle.RoundCap)
        ink.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(ink)
        for stroke in self._strokes:
            if not stroke:
                continue
            path = QPainterPath(QPointF(stroke[0][0] * w, stroke[0][1] * h))
            if len(stroke) == 1:
                painter.drawPoint(QPointF(stroke[0][0] * w, stroke[0][1] * h))
                continue
            for x, y, _t in stroke[1:]:
                path.lineTo(QPointF(x * w, y * h))
            painter.drawPath(path)
        painter.end()


class SignaturePad(QWidget):
    """The ink area with Clear and Accept. ``accepted`` carries the strokes (never empty)."""

    accepted = Signal(object)  # tuple[Stroke, ...]
    cleared = Signal()

    def __init__(self, *, prompt: str = "Sign with your finger, a pen or the mouse",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignaturePad")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.canvas = SignatureCanvas()
        self.prompt = named(QLabel(prompt), "SignaturePrompt")
        self.clear_button = named(QPushButton("Clear"), "SignatureClear")
        self.accept_button = named(QPushButton("Accept signature"), "SignatureAccept")
        self.accept_button.setProperty("primary", True)
        self.accept_button.setEnabled(False)
        self.accept_button.setToolTip("Sign first")
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(self.prompt)
        col.addWidget(self.canvas, 1)
        row = QHBoxLayout()
        row.addWidget(self.clear_button)
        row.addStretch(1)
        row.addWidget(self.accept_button)
        col.addLayout(row)
        self.canvas.changed.connect(self._changed)
        self.clear_button.clicked.connect(self.clear)
        self.accept_button.clicked.connect(self._accept)

    @property
    def strokes(self) -> tuple[Stroke, ...]:
        return self.canvas.strokes

    @property
    def aspect(self) -> float:
        return self.canvas.aspect

    def clear(self) -> None:
        self.canvas.clear()
        self.cleared.emit()

    def _changed(self) -> None:
        ink = self.canvas.has_ink
        self.accept_button.setEnabled(ink)
        self.accept_button.setToolTip("" if ink else "Sign first")

    def _accept(self) -> None:
        strokes = self.canvas.strokes
        if strokes:
            self.accepted.emit(strokes)
