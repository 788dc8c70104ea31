"""A page for a workflow that has not landed yet: what it will do and which issue brings it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.icons import pixmap
from ui.qt import named
from ui.views.pages import PageSpec


def keyboard_card(keys: Sequence[tuple[str, str]]) -> QFrame:
    card = named(QFrame(), "PageCard")
    card.setMinimumWidth(640)
    card.setMaximumWidth(880)
    col = QVBoxLayout(card)
    col.setContentsMargins(40, 24, 40, 24)
    col.setSpacing(12)
    head = QHBoxLayout()
    head.setSpacing(10)
    glyph = QLabel()
    glyph.setPixmap(pixmap("keyboard", size=22, color="#5b6878"))
    head.addWidget(glyph)
    head.addWidget(named(QLabel("KEYBOARD"), "SectionTitle"))
    head.addStretch(1)
    col.addLayout(head)
    grid = QGridLayout()
    grid.setHorizontalSpacing(16)
    grid.setVerticalSpacing(8)
    for row, (combo, text) in enumerate(keys):
        badge = named(QLabel(combo), "KeyBadge")
        grid.addWidget(badge, row, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(named(QLabel(text), "KeyText"), row, 1)
    grid.setColumnStretch(1, 1)
    col.addLayout(grid)
    return card


class ComingSoonPage(QWidget):
    def __init__(self, *, spec: PageSpec, keys: Sequence[tuple[str, str]] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"Page_{spec.key}")

        card = named(QFrame(), "PageCard")
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
        badge = named(QLabel("Not available yet"), "PlannedBadge")
        badge_row = QHBoxLayout()
        badge_row.addWidget(badge)
        badge_row.addStretch(1)
        titles.addLayout(badge_row)
        self.summary = named(QLabel(spec.summary), "PageSubtitle")
        self.summary.setWordWrap(True)
        titles.addWidget(self.summary)
        head.addLayout(titles, 1)
        c.addLayout(head)
        c.addSpacing(8)

        c.addWidget(named(QLabel("WHAT THIS PAGE WILL DO"), "SectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        self.bullets: list[QLabel] = []
        for row, text in enumerate(spec.bullets):
            dot = named(QLabel("•"), "BulletDot")
            line = named(QLabel(text), "Bullet")
            line.setWordWrap(True)
            grid.addWidget(dot, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(line, row, 1)
            self.bullets.append(line)
        grid.setColumnStretch(1, 1)
        c.addLayout(grid)
        c.addSpacing(10)
        issue = named(QLabel(f"Comes with: {spec.issue}."), "IssueNote")
        issue.setWordWrap(True)
        c.addWidget(issue)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 28, 32, 28)
        outer.setSpacing(20)
        outer.addWidget(card)
        if keys:
            outer.addWidget(keyboard_card(keys))
        outer.addStretch(1)
