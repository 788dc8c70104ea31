"""The eSIM activation code on the customer window: a QR code that zbar reads back to the exact code, the masked
form as the only text, Next / Done through several codes, and the code in no widget text, name or tooltip."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from tests.receipts.tools import zbar_symbols
from ui.customer_window import CustomerWindow
from ui.widgets.esim_qr import SCAN_HELP

CODE = "LPA:1$smdp.example-carrier.com$K2-3F7QX-9X1ZB7-ABCD"
CODE2 = "LPA:1$smdp.example-carrier.com$Q8-77PLM-0C3MDE-WXYZ"
MASKED = "LPA:1$\u2022\u2022\u2022\u2022$\u2022\u2022ABCD"


def widget_strings(root: QWidget) -> list[str]:
    """Everything a widget tree shows or names as text: texts, tooltips, object and accessible names, titles."""
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        out += [w.objectName(), w.toolTip(), w.accessibleName(), w.accessibleDescription(), w.windowTitle(),
                w.statusTip(), w.whatsThis()]
        text = getattr(w, "text", None)  # QLabel, QPushButton, QLineEdit
        if callable(text):
            value = text()
            if isinstance(value, str):
                out.append(value)
        plain = getattr(w, "toPlainText", None)
        if callable(plain):
            out.append(str(plain()))
    return out


def decode(window: CustomerWindow, tmp_path: Path, name: str) -> list[str]:
    png = tmp_path / name
    assert window.esim.qr.grab().toImage().save(str(png))
    return zbar_symbols(png)


def test_the_code_round_trips_through_the_qr_and_is_no_text_anywhere(qtbot, tmp_path):
    window = CustomerWindow(store_name="Demo Wireless")
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.show_esim(CODE, MASKED)
    QApplication.processEvents()
    assert window.mode == "esim"
    assert decode(window, tmp_path, "qr.png") == [f"QR-Code:{CODE}"]
    strings = widget_strings(window)
    assert SCAN_HELP in strings and f"Activation code {MASKED}" in strings
    assert not [s for s in strings if "K2-3F7QX" in s or CODE in s]
    assert window.esim.next.text() == "Done"


def test_next_shows_the_second_code_then_done_forgets_both(qtbot, tmp_path):
    window = CustomerWindow(store_name="Demo Wireless")
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.show_esim(CODE, MASKED)
    window.show_esim(CODE2, "LPA:1$\u2022\u2022\u2022\u2022$\u2022\u2022WXYZ")
    assert window.esim.next.text() == "Next eSIM (1 more)"
    window.show_sale(None)  # the register moving on does not take the QR away from the customer
    assert window.mode == "esim"
    window.esim.next.click()
    QApplication.processEvents()
    assert decode(window, tmp_path, "qr2.png") == [f"QR-Code:{CODE2}"]
    with qtbot.waitSignal(window.esim_done):
        window.esim.next.click()
    assert window.esim.qr.empty and window.mode == "message"
    assert not [s for s in widget_strings(window) if "Q8-77PLM" in s]


def test_the_screen_lock_idle_forgets_the_code(qtbot, tmp_path):
    window = CustomerWindow(store_name="Demo Wireless")
    qtbot.addWidget(window)
    window.show()
    window.show_esim(CODE, MASKED)
    window.show_idle()
    assert window.mode == "idle" and window.esim.qr.empty
    window.show_esim(CODE, MASKED)
    window.clear_esim()
    assert window.esim.qr.empty and window.mode != "esim"
