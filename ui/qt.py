"""Small typed helpers for building Qt widgets.

PySide6's stubs do not accept Qt properties as constructor keywords (``QLabel("x", objectName="Title")`` works at
run time but does not type-check), so widgets are named with :func:`named` instead.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

QObjectT = TypeVar("QObjectT", bound=QObject)


def named(obj: QObjectT, name: str) -> QObjectT:
    """``obj`` with its objectName set (the stylesheet and the tests find widgets by it); returns ``obj``."""
    obj.setObjectName(name)
    return obj
