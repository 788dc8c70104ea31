"""The search results: a table of masked hits (arrow keys + Enter, or a double click, pick one) and an empty
state that shows the lookup service's own message ("No customer matches …", "Type at least 3 digits …")."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QStackedWidget, QTableView, QVBoxLayout, QWidget

from posapp.services.lookup import LookupHit, LookupResult
from ui.models.lookup_results import LookupResultsModel
from ui.qt import named

ROW_HEIGHT = 44


class ResultsTable(QTableView):
    """Enter on the table picks the current row."""

    picked = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.picked.emit()
            return
        super().keyPressEvent(event)


class ResultsView(QWidget):
    customer_selected = Signal(object)  # LookupHit

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LookupResults")
        self.model = LookupResultsModel(parent=self)
        self.table = named(ResultsTable(), "ResultsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.pick_current())
        self.table.picked.connect(self.pick_current)

        self.empty = named(QLabel(""), "ResultsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.stack)

    @property
    def showing_table(self) -> bool:
        return self.stack.currentWidget() is self.table

    def show_result(self, result: LookupResult) -> None:
        self.model.set_hits(result.hits)
        if result.hits:
            self.stack.setCurrentWidget(self.table)
            self.table.selectRow(0)
        else:
            self.empty.setText(result.message)
            self.stack.setCurrentWidget(self.empty)

    def show_message(self, text: str) -> None:
        self.model.clear()
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)

    def move_selection(self, rows: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        current = self.table.currentIndex().row()
        target = max(0, min(count - 1, (current if current >= 0 else -1) + rows))
        self.table.selectRow(target)
        self.table.scrollTo(self.model.index(target, 0))

    def current_hit(self) -> LookupHit | None:
        index: QModelIndex = self.table.currentIndex()
        return self.model.hit(index.row()) if index.isValid() else None

    def pick_current(self) -> None:
        hit = self.current_hit()
        if hit is not None:
            self.customer_selected.emit(hit)
