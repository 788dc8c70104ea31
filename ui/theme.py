"""The look: the application font and the stylesheet from ``resources/style.qss``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from posapp.paths import resources_dir

BASE_FONT_PX = 15
FONT_FAMILIES = ["Segoe UI", "Inter", "Noto Sans", "Cantarell", "DejaVu Sans", "Arial"]


def stylesheet(resources: Path | None = None) -> str:
    """The stylesheet text with ``@ICONS@`` replaced by the icon folder (QSS needs absolute URLs)."""
    root = resources or resources_dir()
    text = (root / "style.qss").read_text(encoding="utf-8")
    return text.replace("@ICONS@", (root / "icons").as_posix())


def apply_theme(app: QApplication, *, resources: Path | None = None) -> None:
    app.setStyle("Fusion")
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(BASE_FONT_PX)
    app.setFont(font)
    app.setStyleSheet(stylesheet(resources))
