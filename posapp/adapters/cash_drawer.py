"""The cash drawer: the register opens it (kick) for cash tenders, no-sales and counts."""

from __future__ import annotations

import threading
from typing import Protocol

from posapp.adapters.controls import DrawerTestControls


class CashDrawer(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def is_simulator(self) -> bool: ...

    @property
    def configured(self) -> bool: ...

    def open(self, reason: str) -> None:
        """Kick the drawer open. ``reason``: cash_sale, no_sale, paid_in, paid_out, count ..."""
        ...

    def test_controls(self) -> DrawerTestControls | None: ...


def kick(drawer: CashDrawer, reason: str) -> None:
    """Open the drawer if this terminal has one (``cash_drawer none``: a cash box, nothing to kick)."""
    if drawer.configured:
        drawer.open(reason)


class _DrawerControls:
    def __init__(self, drawer: SimulatedCashDrawer) -> None:
        self._drawer = drawer

    def openings(self) -> tuple[str, ...]:
        with self._drawer._lock:
            return tuple(self._drawer.openings)


class SimulatedCashDrawer:
    """Records openings in memory; no hardware is touched."""

    label = "CASH DRAWER SIMULATOR — no drawer is opened"
    is_simulator = True
    configured = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.openings: list[str] = []
        self._controls = _DrawerControls(self)

    def open(self, reason: str) -> None:
        with self._lock:
            self.openings.append(reason)

    def test_controls(self) -> DrawerTestControls:
        return self._controls
