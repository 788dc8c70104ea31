"""The results model shows masked hits only, with readable labels."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt

from posapp.services.lookup import LookupHit
from ui.models.lookup_results import COLUMNS, HIT_ROLE, LookupResultsModel


def hit(**over):
    values = dict(customer_key=uuid.uuid4().hex, account_key=uuid.uuid4().hex, display_name="Ana Lopez",
                  masked_phone="•••-•••-0142", city="Seattle, WA", account_kind="consumer",
                  masked_account="•••••1234", role="authorized", matched_by="phone")
    values.update(over)
    return LookupHit(**values)


def test_rows_columns_and_labels(qtbot):
    model = LookupResultsModel()
    assert model.rowCount() == 0 and model.columnCount() == len(COLUMNS) == 7
    first, second = hit(), hit(display_name="Bo Li", role="no_access", matched_by="imei", account_kind="business")
    model.set_hits([first, second])
    assert model.rowCount() == 2
    row = [model.data(model.index(0, c)) for c in range(7)]
    assert row == ["Ana Lopez", "•••-•••-0142", "Seattle, WA", "Consumer", "•••••1234", "Authorized", "Phone"]
    assert [model.data(model.index(1, c)) for c in (3, 5, 6)] == ["Business", "No access", "IMEI"]
    assert model.data(model.index(1, 0), HIT_ROLE) is second and model.hit(1) is second and model.hit(2) is None
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert model.data(model.index(5, 0)) is None
    model.clear()
    assert model.rowCount() == 0
