"""Head-office bulk load of a store's rows (posapp.central.seed) on SQLite and PostgreSQL: pull-visible at
consecutive sequence numbers, idempotent, all-or-nothing, claims recorded, early edits completed, cursor hand-over
only when nothing else of the store lies in between."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence

import pytest
from sqlalchemy import select

from posapp.central import CentralStore, id_hash
from posapp.central import models as m
from posapp.central.admin import add_store
from posapp.central.codec import parse_cursor
from posapp.central.seed import SeedRow, load_store_rows, store_row_count
from posapp.errors import ValidationError
from posapp.sync.protocol import Change, ChangeStatus, DigestRequest, ProtocolRefused, PullRequest, PushRequest
from tests.central.conftest import PgDatabases

HLC = "1700000000000.00000.HQ"


def _customer(i: int, **extra: object) -> SeedRow:
    cid = f"00000000-0000-7000-8000-{i:012d}"
    data = {"id": cid, "first_name": f"First{i}", "last_name": "Demo", "store_id": "S001", "updated_hlc": HLC,
            **extra}
    return ("customer", cid, json.dumps(data, sort_keys=True), HLC, "HQ")


def _device(i: int, imei: str) -> SeedRow:
    did = f"00000000-0000-7000-9000-{i:012d}"
    data = {"id": did, "imei": imei, "store_id": "S001", "status": "active"}
    return ("device", did, json.dumps(data, sort_keys=True), HLC, "HQ")


def _pull_all(central: CentralStore, store: str = "S001", cursor: str = "") -> tuple[list[tuple[str, str]], str]:
    seen: list[tuple[str, str]] = []
    while True:
        r = central.pull(PullRequest(store_id=store, terminal_id="T09", cursor=cursor, limit=7))
        seen += [(s.entity, s.entity_id) for s in r.rows if s.store_id == store]
        cursor = r.cursor
        if not r.more:
            return seen, cursor


def test_rows_are_pulled_once_in_order_and_digested(central: CentralStore) -> None:
    rows = [_customer(i) for i in range(25)] + [_device(i, f"35{i:013d}") for i in range(5)]
    res = load_store_rows(central, "S001", [rows[:10], rows[10:]], after_cursor="")
    assert (res.rows, res.inserted, res.existing, res.completed) == (30, 30, 0, 0)
    assert (res.first_seq, res.last_seq) == (1, 30)
    assert res.cursor is not None and parse_cursor(res.cursor) == (30, 0)
    seen, cursor = _pull_all(central)
    assert seen == [(e, i) for e, i, *_ in rows]               # every row once, in load order, across pages
    assert parse_cursor(cursor)[0] == 30
    assert central.rows("S001", "customer")["00000000-0000-7000-8000-000000000003"]["first_name"] == "First3"
    digests = {d.entity: d for d in central.digest(DigestRequest(store_id="S001", terminal_id="T09", cursor=cursor,
                                                                 entities=("customer", "device"))).digests}
    assert digests["customer"].count == 25
    assert digests["customer"].id_hash == id_hash(i for e, i, *_ in rows if e == "customer")
    # the devices' IMEIs are claimed for the store (a later activation elsewhere is flagged)
    assert central.claimants("imei_activated", "350000000000003") == [
        ("S001", "device", "00000000-0000-7000-9000-000000000003", False)]
    # another store sees none of it
    assert _pull_all(central, "S002")[0] == []


def test_loading_again_adds_only_what_is_missing(central: CentralStore) -> None:
    rows = [_customer(i) for i in range(12)]
    load_store_rows(central, "S001", [rows[:5]])
    again = load_store_rows(central, "S001", [rows], after_cursor="")
    assert (again.inserted, again.existing) == (7, 5)
    assert again.cursor is None                    # rows after the cursor already existed: keep pulling them
    assert store_row_count(central, "S001") == 12 and store_row_count(central, "S001", origin="HQ") == 12
    seen, _ = _pull_all(central)
    assert sorted(seen) == sorted((e, i) for e, i, *_ in rows)    # nothing doubled


def test_no_cursor_handover_past_another_terminals_rows(central: CentralStore) -> None:
    pushed = Change(change_id="0190a000-0000-7000-8000-000000000001", seq=1, entity="customer",
                    entity_id="11111111-0000-7000-8000-000000000001", op="insert",
                    payload=json.dumps({"id": "11111111-0000-7000-8000-000000000001", "store_id": "S001"}),
                    hlc="1700000000001.00000.T02")
    resp = central.push(PushRequest(store_id="S001", terminal_id="T02", batch_id="b1", changes=(pushed,)))
    assert resp.results[0].status is ChangeStatus.APPLIED
    res = load_store_rows(central, "S001", [[_customer(1)]], after_cursor="")
    assert res.cursor is None                      # T02's row lies between "" and the load: no jump over it
    past = load_store_rows(central, "S001", [[_customer(2)]], after_cursor=_pull_all(central)[1])
    assert past.cursor is not None and parse_cursor(past.cursor)[0] == past.last_seq


def test_an_early_edit_is_completed_field_by_field(central: CentralStore) -> None:
    cid = "00000000-0000-7000-8000-000000000007"
    later = "1800000000000.00000.T01"
    edit = Change(change_id="0190a000-0000-7000-8000-000000000002", seq=1, entity="customer", entity_id=cid,
                  op="update", payload=json.dumps({"email": "new@example.com", "updated_hlc": later}), hlc=later)
    central.push(PushRequest(store_id="S001", terminal_id="T01", batch_id="b2", changes=(edit,)))
    assert central.rows("S001", "customer") != {} and _pull_all(central)[0] == []   # not pull-visible yet
    res = load_store_rows(central, "S001", [[_customer(7, email="old@example.com")]])
    assert res.completed == 1 and res.inserted == 0
    row = central.rows("S001", "customer")[cid]
    assert row["email"] == "new@example.com" and row["first_name"] == "First7"    # newer edit wins, rest filled
    with central.engine.connect() as conn:
        recv = conn.execute(select(m.row.c.field_recv).where(m.row.c.entity_id == cid)).scalar_one()
    if recv is not None:                # receive stamps only for the edit's fields, none for the loaded ones
        assert set(json.loads(recv)) <= {"email", "updated_hlc"}
    assert _pull_all(central)[0] == [("customer", cid)]


@pytest.mark.parametrize("bad", [
    [("plan", "P1", "{}", HLC, "HQ")],                                  # chain-wide catalog: not a store row
    [("nonsense", "x", "{}", HLC, "HQ")],
    [_customer(1), ("customer", "c2", "not json", HLC, "HQ")],
    [_customer(1), ("customer", "", "{}", HLC, "HQ")],
])
def test_bad_rows_are_refused_and_nothing_is_written(central: CentralStore, bad: Sequence[SeedRow]) -> None:
    with pytest.raises(ValidationError):
        load_store_rows(central, "S001", [[_customer(0)], bad])
    assert store_row_count(central, "S001") == 0 and _pull_all(central)[0] == []


def test_a_failure_midway_rolls_the_whole_load_back(central: CentralStore) -> None:
    def batches() -> Iterator[list[SeedRow]]:
        yield [_customer(i) for i in range(10)]
        raise RuntimeError("the source went away")

    with pytest.raises(RuntimeError):
        load_store_rows(central, "S001", batches())
    assert store_row_count(central, "S001") == 0
    res = load_store_rows(central, "S001", [[_customer(i) for i in range(10)]], after_cursor="")
    assert res.first_seq == 1 and res.inserted == 10 and res.cursor is not None


def test_bad_store_id_is_refused(central: CentralStore) -> None:
    with pytest.raises(ValidationError):
        load_store_rows(central, "S 1; drop", [[_customer(0)]])


def test_a_store_login_loads_only_its_own_rows(pg_databases: PgDatabases) -> None:
    """PostgreSQL row-level security: a store's login may load its store's rows, never another store's."""
    url = pg_databases.create()
    tag = uuid.uuid4().hex[:4]
    a, b = add_store(url, f"A{tag}"), add_store(url, f"B{tag}")
    as_a = CentralStore.open(url, role=a.role, password=a.password)
    head = CentralStore.open(url)
    try:
        mine = [(e, i, d.replace("S001", a.store_id), h, o) for e, i, d, h, o in (_customer(i) for i in range(3))]
        assert load_store_rows(as_a, a.store_id, [mine]).inserted == 3
        theirs = [(e, i, d.replace("S001", b.store_id), h, o) for e, i, d, h, o in (_customer(i) for i in range(3))]
        with pytest.raises(ProtocolRefused):
            load_store_rows(as_a, b.store_id, [theirs])
        assert store_row_count(head, b.store_id) == 0 and store_row_count(head, a.store_id) == 3
    finally:
        as_a.close()
        head.close()
