"""Thin adapter from the core's plain-Python events to Qt signals (Electrum's gui/common_qt pattern).

Core listeners run on the writer's thread (the DB worker); emitting a signal from there is queued by Qt to the
receivers' thread, so views always handle ``data_changed`` / ``settings_changed`` on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from posapp.events import DataChanged, EsimCodeReady, LineStatusChanged, SettingsChanged


class _Bus(Protocol):
    def subscribe(self, listener: Callable[[object], None]) -> Callable[[], None]: ...


class EventBridge(QObject):
    data_changed = Signal(object)  # posapp.events.DataChanged
    settings_changed = Signal(object)  # posapp.events.SettingsChanged
    line_status_changed = Signal(object)  # posapp.events.LineStatusChanged (the provisioning queue, sync)
    esim_code_ready = Signal(object)  # posapp.events.EsimCodeReady: for the customer window's QR only

    def __init__(self, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = None

    def attach(self, bus: _Bus) -> None:
        """Start forwarding ``bus`` events; an earlier bus is detached first."""
        self.detach()
        self._unsubscribe = bus.subscribe(self._forward)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _forward(self, event: object) -> None:
        if isinstance(event, DataChanged):
            self.data_changed.emit(event)
        elif isinstance(event, SettingsChanged):
            self.settings_changed.emit(event)
        elif isinstance(event, LineStatusChanged):
            self.line_status_changed.emit(event)
        elif isinstance(event, EsimCodeReady):
            self.esim_code_ready.emit(event)
