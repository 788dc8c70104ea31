"""The signature pad: strokes from the mouse, a pen (QTabletEvent) and a finger (QTouchEvent), normalised to
0..1 with times in ms; Accept only with ink; Clear."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.views.register.conftest import draw_signature
from ui.widgets.signature_pad import SignaturePad


def make_pad(qtbot):
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(600, 260)
    pad.show()
    qtbot.waitExposed(pad)
    return pad


def test_accept_needs_ink_and_clear_wipes_it(qtbot):
    pad = make_pad(qtbot)
    assert not pad.accept_button.isEnabled()
    c = pad.canvas
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))  # a tap is a dot, not a signature
    assert pad.strokes == () and not pad.accept_button.isEnabled()
    draw_signature(qtbot, c)
    assert len(pad.strokes) == 2 and pad.accept_button.isEnabled()
    for stroke in pad.strokes:
        assert len(stroke) >= 2
        assert all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y, _t in stroke)
    times = [t for s in pad.strokes for _x, _y, t in s]
    assert times == sorted(times) and times[0] >= 0
    x0, y0, _ = pad.strokes[0][0]
    assert abs(x0 - 0.15) < 0.01 and abs(y0 - 0.45) < 0.01  # normalised to the ink area
    with qtbot.waitSignal(pad.accepted) as got:
        pad.accept_button.click()
    assert got.args[0] == pad.strokes
    pad.clear_button.click()
    assert pad.strokes == () and not pad.accept_button.isEnabled()


def test_a_drag_outside_the_pad_is_clamped_to_its_edges(qtbot):
    pad = make_pad(qtbot)
    c = pad.canvas
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.mouseMove(c, QPoint(c.width() + 80, -40))
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, pos=QPoint(c.width() + 90, -50))
    (stroke,) = pad.strokes
    assert stroke[-1][:2] == (1.0, 0.0)


def test_a_finger_draws_through_touch_events(qtbot):
    pad = make_pad(qtbot)
    device = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    c = pad.canvas
    QTest.touchEvent(c, device).press(0, QPoint(30, 40))
    for i in range(1, 6):
        QTest.touchEvent(c, device).move(0, QPoint(30 + 40 * i, 40 + 10 * i))
    QTest.touchEvent(c, device).release(0, QPoint(260, 100))
    assert len(pad.strokes) == 1 and len(pad.strokes[0]) >= 5
    assert pad.accept_button.isEnabled()


def test_a_pen_draws_through_tablet_events(qtbot):
    pad = make_pad(qtbot)
    c = pad.canvas
    pen = QPointingDevice("test pen", 1, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 3)

    def send(kind, x, y, buttons):
        pos = QPointF(x, y)
        event = QTabletEvent(kind, pen, pos, QPointF(c.mapToGlobal(pos)), 0.5, 0.0, 0.0, 0.0, 0.0, 0.0,
                             Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, buttons)
        QApplication.sendEvent(c, event)

    from PySide6.QtCore import QEvent

    send(QEvent.Type.TabletPress, 20, 30, Qt.MouseButton.LeftButton)
    for i in range(1, 8):
        send(QEvent.Type.TabletMove, 20 + 30 * i, 30 + 5 * i, Qt.MouseButton.LeftButton)
    send(QEvent.Type.TabletRelease, 260, 70, Qt.MouseButton.NoButton)
    assert len(pad.strokes) == 1 and len(pad.strokes[0]) >= 8
