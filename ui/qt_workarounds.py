"""Work-arounds for bugs in the Qt binding, each with the way to tell when it can go.

**SignalInstance.emit() and ``True`` (PySide6 6.12.0 on Python < 3.12).** ``emit()`` returns ``True`` without a
new reference, so every emit of a Python-declared signal takes one reference from ``True``. After enough emits
(a few thousand: a day at the counter, or one test run) ``True`` is deallocated and the interpreter aborts with
"Fatal Python error: bool_dealloc". PySide6 6.11.3 does not have the bug, and on Python ≥ 3.12 ``True`` is
immortal so the lost references do no harm. When the bug is detected, :func:`pin_true` gives ``True`` a reference
count no run can exhaust, which is what Python 3.12 does for it. Remove this once PySide6 is pinned to a fixed
version or Python ≥ 3.12 is required.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

PIN = 1 << 40
_PROBES = 16


class _Probe(QObject):
    fired = Signal()


def emit_loses_true() -> bool:
    """Whether emitting a Python-declared signal takes a reference from ``True`` (measured, not guessed)."""
    if sys.version_info >= (3, 12):
        return False
    probe = _Probe()
    probe.fired.emit()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    lost = before - sys.getrefcount(True)
    _give_back(lost)  # undo what the probe itself took
    return lost >= _PROBES


def _give_back(count: int) -> None:
    if count > 0:
        ctypes.c_ssize_t.from_address(id(True)).value += count


def pin_true() -> bool:
    """Apply the work-around if this binding needs it; return whether it was applied. Idempotent."""
    if sys.getrefcount(True) >= PIN // 2:
        return True
    if not emit_loses_true():
        return False
    _give_back(PIN)
    return True
