"""A page for a workflow that has not landed yet: what it will do and which issue brings it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.icons import pixmap
from ui.views.pages import PageSpec


class ComingSoonPage(QWidget):
    def __init__(self, *, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"Page_{spec.key}")

        card = QFrame(objectName="PageCard")
        card.setMinimumWidth(640)
        card.setMaximumWidth(880)
        c = QVBoxLayout(card)
        c.setContentsMargins(40, 36, 40, 36)
        c.setSpacing(14)

        head = QHBoxLayout()
        head.setSpacing(16)
        glyph = QLabel()
        glyph.setPixmap(pixmap(spec.icon, size=40, color="#0e8a83"))
        head.addWidget(glyph, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(4)
        badge = QLabel("Not available yet", objectName="PlannedBadge")
        badge_row = QHBoxLayout()
        badge_row.addWidget(badge)
        badge_row.addStretch(1)
        titles.addLayout(badge_row)
        self.summary = QLabel(spec.summary, objectName="PageSubtitle")
        self.summary.setWordWrap(True)
        titles.addWidget(self.summary)
        head.addLayout(titles, 1)
        c.addLayout(head)
        c.addSpacing(8)

        c.addWidget(QLabel("WHAT THIS PAGE WILL DO", objectName="SectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        self.bullets: list[QLabel] = []
        for row, text in enumerate(spec.bullets):
            dot = QLabel("•", objectName="BulletDot")
            line = QLabel(text, objectName="Bullet")
            line.setWordWrap(True)
            grid.addWidget(dot, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(line, row, 1)
            self.bullets.append(line)
        grid.setColumnStretch(1, 1)
        c.addLayout(grid)
        c.addSpacing(10)
        issue = QLabel(f"Comes with: {spec.issue}.", objectName="IssueNote")
        issue.setWordWrap(True)
        c.addWidget(issue)

        row = QHBoxLayout()
        row.addWidget(card, 1)
        row.addStretch(0)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 28, 32, 28)
        outer.addLayout(row)
        outer.addStretch(1)
