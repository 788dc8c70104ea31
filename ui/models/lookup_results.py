"""The search results as a Qt table model. It only ever holds masked :class:`LookupHit` rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from posapp.services.lookup import LookupHit

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[str, ...] = ("Name", "Phone", "City", "Type", "Account", "Role", "Match")
MATCHED_BY = {"phone": "Phone", "name": "Name", "account": "Account no.", "imei": "IMEI", "iccid": "ICCID",
              "email": "E-mail", "receipt": "Receipt"}
HIT_ROLE = Qt.ItemDataRole.UserRole + 1


SHORT_ROLES = {"primary": "Primary", "authorized": "Authorized", "standard": "Standard", "restricted": "Restricted",
               "no_access": "No access", "master": "Master", "view": "View", "non_view": "Non-view"}


def role_label(value: str) -> str:
    return SHORT_ROLES.get(value, value)


def cells(hit: LookupHit) -> tuple[str, ...]:
    return (hit.display_name, hit.masked_phone, hit.city, hit.account_kind.capitalize(), hit.masked_account,
            role_label(hit.role), MATCHED_BY.get(hit.matched_by, hit.matched_by.capitalize()))


class LookupResultsModel(QAbstractTableModel):
    def __init__(self, *, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: tuple[LookupHit, ...] = ()
        self._cells: list[tuple[str, ...]] = []

    def set_hits(self, hits: Sequence[LookupHit]) -> None:
        self.beginResetModel()
        self._hits = tuple(hits)
        self._cells = [cells(h) for h in self._hits]
        self.endResetModel()

    def clear(self) -> None:
        self.set_hits(())

    def hit(self, row: int) -> LookupHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    @property
    def hits(self) -> tuple[LookupHit, ...]:
        return self._hits

    # -- Qt overrides -----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cells):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == HIT_ROLE:
            return self._hits[index.row()]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[index.column()]}: {self._cells[index.row()][index.column()]}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None
