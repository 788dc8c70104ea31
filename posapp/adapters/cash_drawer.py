"""The cash drawer: the register opens it (kick) for cash tenders, no-sales and counts."""

from __future__ import annotations

import threading
from typing import Protocol


class CashDrawer(Protocol):
    @property
    def label(self) -> str: ...

    def open(self, reason: str) -> None:
        """Kick the drawer open. ``reason``: cash_sale, no_sale, paid_in, paid_out, count ..."""
        ...


class SimulatedCashDrawer:
    """Records openings in memory; no hardware is touched."""

    label = "CASH DRAWER SIMULATOR"
    is_simulator = True
    configured = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.openings: list[str] = []

    def test_controls(self) -> _SimulatedDrawerControls:
        """The trainer's view (:class:`posapp.adapters.controls.DrawerTestControls`): the openings recorded."""
        return _SimulatedDrawerControls(self)

    def open(self, reason: str) -> None:
        with self._lock:
            self.openings.append(reason)


class _SimulatedDrawerControls:
    def __init__(self, drawer: SimulatedCashDrawer) -> None:
        self._drawer = drawer

    def openings(self) -> tuple[str, ...]:
        with self._drawer._lock:
            return tuple(self._drawer.openings)
