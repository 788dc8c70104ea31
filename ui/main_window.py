"""The main window: workflow navigation (F-keys), a top bar with the signed-in employee, the status bar, and the
idle lock screen. Page widgets are built by the composition root and handed in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.icons import NAV_ICON, NAV_ICON_ACTIVE, icon, pixmap
from ui.views.pages import LOCK_KEYS, SETTINGS_KEYS, SIGN_OUT_KEYS
from ui.widgets.brand import PRODUCT_NAME, BrandMark
from ui.widgets.lock_overlay import LockOverlay, Unlock
from ui.widgets.status_bar import StatusBarWidget, role_label

if TYPE_CHECKING:
    from posapp.services.dto import Actor, TerminalInfo
    from posapp.services.sync import SyncStatus
    from ui.views.pages import PageSpec
    from ui.worker import DbWorker



_W = TypeVar("_W", bound=QObject)


def _named(widget: _W, name: str) -> _W:
    """``widget`` with its object name set (PySide6's stubs reject ``objectName=`` in constructors)."""
    widget.setObjectName(name)
    return widget


@runtime_checkable
class WorkflowPage(Protocol):
    """A workflow page (Lookup, Register, ...): it puts the cursor where the work starts when it is shown."""

    def focus_step(self) -> None: ...


class NavButton(QPushButton):
    """A sidebar entry: icon, label and its F-key."""

    def __init__(self, *, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NavButton")
        self.setCheckable(True)
        self.setMinimumHeight(48)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{spec.title} ({spec.shortcut})")
        self.setAccessibleName(f"{spec.title}, {spec.shortcut}")
        self._icon_name = spec.icon
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 0, 12, 0)
        row.setSpacing(12)
        self.glyph = QLabel()
        self.title = QLabel(spec.title)
        self.key = _named(QLabel(spec.shortcut), "NavKey")
        for w in (self.glyph, self.title, self.key):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row.addWidget(self.glyph)
        row.addWidget(self.title, 1)
        row.addWidget(self.key, 0, Qt.AlignmentFlag.AlignVCenter)
        self.toggled.connect(self._restyle)
        self._restyle(False)

    def _restyle(self, checked: bool) -> None:
        self.glyph.setPixmap(pixmap(self._icon_name, size=22, color=NAV_ICON_ACTIVE if checked else NAV_ICON))
        for w in (self.title, self.key):  # the ":checked" selector on the parent needs a re-polish
            w.style().unpolish(w)
            w.style().polish(w)


def initials(name: str) -> str:
    parts = [p for p in name.split() if p[:1].isalpha()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    settings_requested = Signal()
    page_changed = Signal(str)
    locked = Signal()
    unlocked = Signal()
    closed = Signal()

    def __init__(self, *, actor: Actor, pages: Sequence[tuple[PageSpec, QWidget]], store_name: str,
                 terminal_info: Callable[[], TerminalInfo], unlock: Unlock, worker: DbWorker,
                 can_edit_settings: bool, sync_status: Callable[[], SyncStatus] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setObjectName("MainWindow")
        self.setWindowTitle(f"{PRODUCT_NAME} — {store_name}")
        self._specs = [spec for spec, _ in pages]
        self._shortcuts: list[QShortcut] = []

        self.stack = _named(QStackedWidget(), "PageStack")
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        self.nav_buttons: dict[str, NavButton] = {}
        for spec, widget in pages:
            button = NavButton(spec=spec)
            self.nav.addButton(button)
            self.nav_buttons[spec.key] = button
            self.stack.addWidget(widget)
            button.clicked.connect(lambda _c=False, k=spec.key: self.show_page(k))
            self._shortcut(spec.shortcut, partial(self.show_page, spec.key))
        sidebar = self._build_sidebar(store_name, can_edit_settings)

        content = _named(QWidget(), "Content")
        col = QVBoxLayout(content)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self._build_top_bar())
        col.addWidget(self.stack, 1)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(sidebar)
        row.addWidget(content, 1)
        self.setCentralWidget(central)
        self._central = central

        self.status = StatusBarWidget(actor=actor, terminal_info=terminal_info, worker=worker,
                                      sync_status=sync_status)
        self.statusBar().setSizeGripEnabled(False)
        self.statusBar().addWidget(self.status, 1)

        self.lock_overlay = LockOverlay(actor=actor, unlock=unlock, worker=worker, parent=self)
        self.lock_overlay.unlocked.connect(self._unlocked)
        self.lock_overlay.sign_out_requested.connect(self.sign_out_requested)

        self._shortcut(SIGN_OUT_KEYS, self.sign_out_requested.emit)
        self._shortcut(LOCK_KEYS, self.lock)
        if can_edit_settings:
            self._shortcut(SETTINGS_KEYS, self.settings_requested.emit)
        if self._specs:
            self.show_page(self._specs[0].key)

    # -- building -------------------------------------------------------------------------------------------
    def _build_sidebar(self, store_name: str, can_edit_settings: bool) -> QFrame:
        sidebar = _named(QFrame(), "Sidebar")
        sidebar.setFixedWidth(248)
        col = QVBoxLayout(sidebar)
        col.setContentsMargins(14, 20, 14, 16)
        col.setSpacing(6)
        brand = QHBoxLayout()
        brand.setSpacing(12)
        brand.addWidget(BrandMark(size=40))
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(_named(QLabel(PRODUCT_NAME), "SidebarProduct"))
        self.store_label = _named(QLabel(store_name), "SidebarStore")
        self.store_label.setWordWrap(True)
        names.addWidget(self.store_label)
        brand.addLayout(names, 1)
        col.addLayout(brand)
        col.addSpacing(22)
        col.addWidget(_named(QLabel("WORKFLOWS"), "NavSection"))
        col.addSpacing(2)
        for button in self.nav_buttons.values():
            col.addWidget(button)
        col.addStretch(1)
        self.settings_button: QPushButton | None = None
        if can_edit_settings:
            self.settings_button = self._side_action("Settings", "settings", SETTINGS_KEYS)
            self.settings_button.clicked.connect(self.settings_requested)
            col.addWidget(self.settings_button)
        self.lock_button = self._side_action("Lock screen", "lock", LOCK_KEYS)
        self.lock_button.clicked.connect(self.lock)
        col.addWidget(self.lock_button)
        self.sign_out_button = self._side_action("Sign out", "signout", SIGN_OUT_KEYS)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        col.addWidget(self.sign_out_button)
        return sidebar

    @staticmethod
    def _side_action(text: str, icon_name: str, keys: str) -> QPushButton:
        shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        button = _named(QPushButton(f"  {text}"), "SidebarAction")
        button.setIcon(icon(icon_name, color=NAV_ICON))
        button.setIconSize(QSize(20, 20))
        button.setToolTip(f"{text} ({shown})")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    def _build_top_bar(self) -> QFrame:
        bar = _named(QFrame(), "TopBar")
        bar.setFixedHeight(76)
        row = QHBoxLayout(bar)
        row.setContentsMargins(32, 0, 24, 0)
        self.page_title = _named(QLabel(""), "PageTitle")
        row.addWidget(self.page_title)
        row.addStretch(1)
        chip = _named(QFrame(), "UserChip")
        c = QHBoxLayout(chip)
        c.setContentsMargins(5, 5, 16, 5)
        c.setSpacing(10)
        avatar = _named(QLabel(initials(self.actor.name)), "Avatar")
        avatar.setFixedSize(34, 34)
        avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        c.addWidget(avatar)
        who = QVBoxLayout()
        who.setSpacing(0)
        who.addWidget(_named(QLabel(self.actor.name), "UserName"))
        who.addWidget(_named(QLabel(f"#{self.actor.number} · {role_label(self.actor)}"), "UserRole"))
        c.addLayout(who)
        row.addWidget(chip, 0, Qt.AlignmentFlag.AlignVCenter)
        return bar

    def _shortcut(self, keys: str, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.activated.connect(slot)
        self._shortcuts.append(shortcut)

    # -- behaviour ------------------------------------------------------------------------------------------
    @property
    def page_keys(self) -> list[str]:
        return [s.key for s in self._specs]

    @property
    def current_page_key(self) -> str:
        return self._specs[self.stack.currentIndex()].key

    def show_page(self, key: str) -> None:
        index = self.page_keys.index(key)
        spec = self._specs[index]
        self.stack.setCurrentIndex(index)
        self.nav_buttons[key].setChecked(True)
        page = self.stack.currentWidget()
        if isinstance(page, WorkflowPage):  # a workflow page puts the cursor where work starts (also on F2 there)
            page.focus_step()
        else:
            self.nav_buttons[key].setFocus()
        self.page_title.setText(spec.title)
        self.page_changed.emit(key)

    def set_store_name(self, name: str) -> None:
        self.store_label.setText(name)
        self.setWindowTitle(f"{PRODUCT_NAME} — {name}")

    @property
    def is_locked(self) -> bool:
        return self.lock_overlay.isVisible()

    def lock(self) -> None:
        """Cover the window with the lock screen; F-keys and actions stay off until unlocked."""
        if self.is_locked:
            return
        for s in self._shortcuts:
            s.setEnabled(False)
        self._central.setEnabled(False)
        self.lock_overlay.activate()
        self.locked.emit()

    def _unlocked(self, _actor: Actor) -> None:
        for s in self._shortcuts:
            s.setEnabled(True)
        self._central.setEnabled(True)
        self.unlocked.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.status.stop()
        super().closeEvent(event)
        self.closed.emit()
