"""The customer-facing window: full screen on a second screen when there is one, else a separate window.

For now it shows an idle welcome; later issues use :meth:`CustomerWindow.show_message` (and will add the cart,
consent text and signature pad).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QScreen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.widgets.brand import BrandMark

IDLE_TITLE = "Welcome"
IDLE_TEXT = "Your rep will be with you shortly."
WINDOWED_SIZE = (1024, 640)


def customer_screen(screens: Sequence[QScreen], primary: QScreen | None) -> QScreen | None:
    """The screen for the customer: the first one that is not the primary, or None with a single screen."""
    if len(screens) < 2:
        return None
    return next((s for s in screens if s is not primary), None)


class CustomerWindow(QWidget):
    def __init__(self, *, store_name: str, store_address: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("CustomerWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(f"{store_name} — customer display")
        self._allow_close = False

        self.store = QLabel(store_name, objectName="CustomerStore")
        self.title = QLabel("", objectName="CustomerTitle")
        self.text = QLabel("", objectName="CustomerText")
        self.text.setWordWrap(True)
        for label in (self.store, self.title, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.footer = QLabel(store_address, objectName="CustomerFooter")
        self.footer.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        mark = QHBoxLayout()
        mark.addStretch(1)
        mark.addWidget(BrandMark(size=88))
        mark.addStretch(1)
        col = QVBoxLayout(self)
        col.setContentsMargins(64, 48, 64, 36)
        col.setSpacing(18)
        col.addStretch(2)
        col.addLayout(mark)
        col.addSpacing(18)
        col.addWidget(self.store)
        col.addWidget(self.title)
        col.addWidget(self.text)
        col.addStretch(3)
        col.addWidget(self.footer)
        self.show_idle()

    @property
    def mode(self) -> str:
        return "idle" if self.title.text() == IDLE_TITLE and self.text.text() == IDLE_TEXT else "message"

    def set_store(self, *, name: str, address: str) -> None:
        self.store.setText(name)
        self.footer.setText(address)
        self.setWindowTitle(f"{name} — customer display")

    def show_idle(self) -> None:
        self.title.setText(IDLE_TITLE)
        self.text.setText(IDLE_TEXT)

    def show_message(self, title: str, text: str) -> None:
        self.title.setText(title)
        self.text.setText(text)

    def present(self) -> None:
        """Show full screen on the customer's screen if there is a second one, else as a normal window."""
        screen = customer_screen(QGuiApplication.screens(), QGuiApplication.primaryScreen())
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            # One screen (a demo or back-office PC): a separate window that does not take the focus; the app
            # raises the rep's window over it right after (App._raise_rep_window).
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
            self.resize(*WINDOWED_SIZE)
            self.show()

    def close_for_good(self) -> None:
        self._allow_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        # The customer must not be able to close the display; the app closes it when it quits.
        if self._allow_close:
            super().closeEvent(event)
        else:
            event.ignore()
