"""Large pushes: merged and written in parts (PostgreSQL pipeline), replays and existing rows inside them (the
careful retry), rows kept by reference to their insert's ledger payload, refused payloads inside a large batch —
on SQLite and PostgreSQL (the ``central`` fixture is parametrised over both)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from posapp.central import CentralStore
from posapp.central import models as m
from posapp.central import store as store_module
from posapp.sync.protocol import Change, ChangeStatus
from tests.central.builders import Term, statuses

A, D, R = ChangeStatus.APPLIED, ChangeStatus.DUPLICATE, ChangeStatus.REJECTED


def _sales(t: Term, n: int, *, complete_first: bool = False) -> tuple[list[Change], list[str]]:
    """n sales of 4 changes each: sale, line, tax line, then the sale completed (updated)."""
    out: list[Change] = []
    sales: list[str] = []
    for i in range(n):
        sale = t.insert("sale", kind="sale", status="open", total_cents=0)
        line = t.insert("sale_line", sale_id=sale.entity_id, sku=f"ACC-{i}", qty=1, unit_price_cents=1000 + i)
        tax = t.insert("sale_tax_line", sale_id=sale.entity_id, code="WA", amount_cents=100)
        done = t.update("sale", sale.entity_id, status="completed", total_cents=1000 + i)
        out += [done, sale, line, tax] if complete_first else [sale, line, tax, done]
        sales.append(sale.entity_id)
    return out, sales


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The ``careful`` flag of every PostgreSQL attempt at a batch (False first; True = the careful retry)."""
    seen: list[bool] = []
    original = store_module.CentralStore._pg_apply_batch

    def spy(self: CentralStore, *args: Any, careful: bool) -> Any:
        seen.append(careful)
        return original(self, *args, careful=careful)

    monkeypatch.setattr(store_module.CentralStore, "_pg_apply_batch", spy)
    return seen


def _raw_rows(central: CentralStore, store_id: str) -> dict[str, Any]:
    with central.engine.connect() as conn:
        return {r.entity_id: r for r in conn.execute(select(m.row).where(m.row.c.store_id == store_id))}


def test_a_batch_in_several_parts_merges_updates_across_parts(central: CentralStore, attempts: list[bool]) -> None:
    t = Term("S1", "01")
    changes, sales = _sales(t, 150)  # 600 changes: three parts on PostgreSQL
    # move every completion to the end, so each lands in a later part than its sale
    ordered = [c for c in changes if c.op == "insert"] + [c for c in changes if c.op == "update"]
    assert len(ordered) >= 3 * store_module._PART
    assert statuses(t.push(central, ordered)) == [A] * len(ordered)
    rows = central.rows("S1", "sale")
    assert len(rows) == 150 and all(rows[s]["status"] == "completed" for s in sales)
    pulled, _ = t.pull_all(central)
    assert len(pulled) == 450 and len({(r.entity, r.entity_id) for r in pulled}) == 450
    by_id = {r.entity_id: json.loads(r.data) for r in pulled}
    assert all(by_id[s]["status"] == "completed" and by_id[s]["total_cents"] >= 1000 for s in sales)
    assert central.change_count("S1") == 600
    assert attempts == ([False] if central.dialect == "postgresql" else [])  # no retry


def test_a_replay_inside_a_large_batch_is_answered_duplicate_and_applied_once(central: CentralStore,
                                                                           attempts: list[bool]) -> None:
    t = Term("S1", "01")
    first, _ = _sales(t, 100)
    assert statuses(t.push(central, first)) == [A] * 400
    more, sales = _sales(t, 100)
    attempts.clear()
    # a lost response: the terminal sends the last 150 changes again, followed by new ones
    response = t.push(central, first[-150:] + more)
    assert statuses(response) == [D] * 150 + [A] * 400
    assert attempts == ([False, True] if central.dialect == "postgresql" else [])  # the ledger refused: careful
    assert central.change_count("S1") == 800
    rows = central.rows("S1", "sale")
    assert len(rows) == 200 and all(rows[s]["status"] == "completed" for s in sales)


def test_rows_that_already_exist_inside_a_large_batch(central: CentralStore, attempts: list[bool]) -> None:
    """Completions delivered before their sales (an earlier batch): the sales' inserts find rows that exist."""
    t = Term("S1", "01")
    changes, sales = _sales(t, 120, complete_first=True)
    early = [c for c in changes if c.op == "update"]
    assert statuses(t.push(central, early)) == [A] * 120
    assert t.pull_all(central)[0] == []  # not pulled before the insert
    rest = [c for c in changes if c.op == "insert"]
    attempts.clear()
    assert statuses(t.push(central, rest)) == [A] * 360
    assert attempts == ([False, True] if central.dialect == "postgresql" else [])  # a row insert failed: careful
    rows = central.rows("S1", "sale")
    assert len(rows) == 120 and all(rows[s]["status"] == "completed" and rows[s]["kind"] == "sale" for s in sales)
    again = t.insert("sale", sales[0], kind="sale", status="open")  # an event inserted twice, among new changes
    new, _ = _sales(t, 60)
    response = t.push(central, [again, *new])
    assert statuses(response) == [R] + [A] * 240 and "inserted once" in response.results[0].reason
    assert central.change_count("S1") == 120 + 360 + 240


def test_refused_payloads_inside_a_large_batch_leave_no_trace(central: CentralStore) -> None:
    t = Term("S1", "01")
    good, _ = _sales(t, 100)
    bad = [t.change("customer", "c-bad-json", "insert", "{not json"),
           t.change("customer", "c-other", "insert", {"id": "c-other", "store_id": "S2"}),
           t.change("stock_movement", "m1", "update", {"qty": 1})]
    changes = good[:200] + bad + good[200:]
    response = t.push(central, changes)
    assert statuses(response) == [A] * 200 + [R] * 3 + [A] * 200
    assert central.change_count("S1") == 400
    assert "c-bad-json" not in central.rows("S1", "customer") and "c-other" not in central.rows("S1", "customer")
    # the refused ids are not in the ledger: corrected, they are new
    fixed = Change(bad[0].change_id, bad[0].seq, "customer", "c-bad-json", "insert",
                   json.dumps({"id": "c-bad-json", "store_id": "S1", "first_name": "Ann"}), bad[0].hlc)
    assert statuses(t.push(central, [fixed])) == [A]


def test_a_row_that_is_its_insert_is_kept_once_and_read_whole(central: CentralStore) -> None:
    t = Term("S1", "01")
    line_ids: list[str] = []
    changes: list[Change] = []
    for i in range(3):
        sale = t.insert("sale", kind="sale", status="open")
        line = t.insert("sale_line", sale_id=sale.entity_id, sku=f"ACC-{i}", qty=1, unit_price_cents=500)
        changes += [sale, line]
        line_ids.append(line.entity_id)
    assert statuses(t.push(central, changes)) == [A] * 6
    raw = _raw_rows(central, "S1")
    payload = {c.entity_id: c.payload for c in changes}
    if central.dialect == "postgresql":  # the payload lives in the ledger only
        assert all(raw[i].data is None and raw[i].data_change for i in line_ids)
    else:  # the embedded store keeps it inline
        assert all(raw[i].data == payload[i] and raw[i].data_change is None for i in line_ids)
    pulled, cursor = t.pull_all(central)
    assert {r.entity_id: r.data for r in pulled} == payload  # byte for byte what the terminal sent
    assert central.rows("S1", "sale_line")[line_ids[0]]["sku"] == "ACC-0"
    # a later change writes the merged row inline
    t.push(central, [t.update("sale_line", line_ids[0], qty=2)])
    raw = _raw_rows(central, "S1")
    assert raw[line_ids[0]].data_change is None and json.loads(raw[line_ids[0]].data)["qty"] == 2
    later, _ = t.pull_all(central, cursor)
    assert [json.loads(r.data)["qty"] for r in later] == [2]
