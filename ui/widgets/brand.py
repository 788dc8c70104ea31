"""The product mark: a label the stylesheet fills with ``resources/icons/logo.svg`` (``#BrandMark``).

This module is on the startup path (login window). Drawing the mark with QPainter/QBrush from Python would
create the ``Qt`` enum namespace (~12 ms, see ui/bench_startup.py); a stylesheet image is loaded in C++.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QWidget

PRODUCT_NAME = "posapp"
PRODUCT_TAGLINE = "Store counter"


class BrandMark(QLabel):
    """A rounded teal tile with a white "P" and two signal arcs, ``size`` pixels square."""

    def __init__(self, *, size: int = 56, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BrandMark")
        self.setFixedSize(QSize(size, size))
        self.setAccessibleName(PRODUCT_NAME)
