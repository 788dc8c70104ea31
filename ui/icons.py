"""Hand-written SVG icons from ``resources/icons``, tinted at load time (they draw with ``currentColor``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from posapp.paths import resources_dir

NAV_ICON = "#c9d6e6"
NAV_ICON_ACTIVE = "#ffffff"
INK = "#1c2b3a"


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


def pixmap(name: str, *, size: int, color: str = INK, ratio: float = 2.0) -> QPixmap:
    """Render ``name`` at ``size`` logical pixels (drawn at ``ratio`` for sharp edges on HiDPI)."""
    svg = icon_path(name).read_text(encoding="utf-8").replace("currentColor", color)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    px = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    px.fill(Qt.GlobalColor.transparent)
    painter = QPainter(px)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    px.setDevicePixelRatio(ratio)
    return px


def icon(name: str, *, color: str = INK, active: str | None = None) -> QIcon:
    """An icon; with ``active`` the checked state uses that color."""
    result = QIcon()
    result.addPixmap(pixmap(name, size=24, color=color), QIcon.Mode.Normal, QIcon.State.Off)
    if active is not None:
        result.addPixmap(pixmap(name, size=24, color=active), QIcon.Mode.Normal, QIcon.State.On)
    return result
