"""CentralStore protocol: exactly once, per-change answers, merge by policy, pull sequence, digest — on SQLite and
PostgreSQL (the ``central`` fixture is parametrised over both)."""

from __future__ import annotations

import json

import pytest

from posapp.central import CentralStore, id_hash
from posapp.sync.protocol import ChangeStatus, DigestRequest, ProtocolRefused, PullRequest, PushRequest
from tests.central.builders import Term, statuses

A, D, R = ChangeStatus.APPLIED, ChangeStatus.DUPLICATE, ChangeStatus.REJECTED


def test_a_change_is_applied_once_and_every_replay_is_a_duplicate(central: CentralStore) -> None:
    t = Term("S1", "01")
    sale = t.insert("sale", kind="sale", status="open", total_cents=0)
    line = t.insert("sale_line", sale_id=sale.entity_id, sku="ACC-1", qty=1, unit_price_cents=1999)
    assert statuses(t.push(central, [sale, line])) == [A, A]
    for _ in range(3):  # lost responses: the terminal sends the same batch again
        assert statuses(t.push(central, [sale, line])) == [D, D]
    assert central.change_count("S1") == 2
    assert central.rows("S1", "sale")[sale.entity_id]["status"] == "open"
    # a replay of one change mixed with new ones: only the new one is applied
    done = t.update("sale", sale.entity_id, status="completed", total_cents=1999)
    assert statuses(t.push(central, [line, done])) == [D, A]
    assert central.rows("S1", "sale")[sale.entity_id]["status"] == "completed"
    assert central.change_count() == 3


def test_the_same_change_twice_in_one_batch(central: CentralStore) -> None:
    t = Term("S1", "01")
    c = t.insert("customer", first_name="Ann")
    bad = t.change("nope", "x", "insert", {})
    assert statuses(t.push(central, [c, c, bad, bad, c])) == [A, D, R, R, D]
    assert central.change_count() == 1


def test_invalid_changes_are_rejected_with_a_reason_without_failing_the_batch(central: CentralStore) -> None:
    t = Term("S1", "01")
    good = t.insert("customer", first_name="Ann")
    cases = {
        "unknown entity": t.change("no_such_table", "x1", "insert", {"id": "x1"}),
        "catalog": t.change("plan", "P1", "insert", {"code": "P1", "name": "Cheap"}),
        "other store": t.change("customer", "c2", "insert", {"id": "c2", "store_id": "S2"}),
        "bad json": t.change("customer", "c3", "insert", "{not json"),
        "not an object": t.change("customer", "c4", "insert", "[1, 2]"),
        "bad op": t.change("customer", "c5", "upsert", {"id": "c5"}),
        "id mismatch": t.change("customer", "c6", "insert", {"id": "c7"}),
    }
    bad_hlc = t.insert("customer", first_name="Bob")
    bad_hlc = bad_hlc.__class__(**{**bad_hlc.__dict__, "hlc": "yesterday"})
    response = t.push(central, [*cases.values(), good, bad_hlc])
    assert statuses(response) == [R] * len(cases) + [A, R]
    reasons = [r.reason for r in response.results]
    assert "unknown entity" in reasons[0] and "head office" in reasons[1] and "'S2'" in reasons[2]
    assert "JSON" in reasons[3] and "JSON object" in reasons[4] and "upsert" in reasons[5]
    assert "differs" in reasons[6] and "clock" in reasons[-1]
    assert all(r.reason == "" for r in response.results if r.status is A)
    assert central.change_count() == 1 and list(central.rows("S1", "customer")) == [good.entity_id]
    # a rejected change is not in the ledger: the same (still bad) change is rejected again, not "duplicate"
    assert statuses(t.push(central, [cases["catalog"]])) == [R]


def test_events_change_only_at_their_origin_terminal_and_are_inserted_once(central: CentralStore) -> None:
    t1, t2 = Term("S1", "01"), Term("S1", "02")
    sale = t1.insert("sale", kind="sale", status="open")
    t1.push(central, [sale])
    other = t2.update("sale", sale.entity_id, status="voided")
    again = t2.change("sale", sale.entity_id, "insert", json.loads(sale.payload))
    r = t2.push(central, [other, again])
    assert statuses(r) == [R, R]
    assert "origin terminal" in r.results[0].reason
    twice = t1.change("sale", sale.entity_id, "insert", json.loads(sale.payload))
    r = t1.push(central, [twice, t1.update("sale", sale.entity_id, status="completed")])
    assert statuses(r) == [R, A] and "inserted once" in r.results[0].reason
    assert central.rows("S1", "sale")[sale.entity_id]["status"] == "completed"
    assert central.change_count() == 2


def test_an_update_that_arrives_before_its_insert(central: CentralStore) -> None:
    """Batches out of order: the row is not pulled until its insert arrives, then holds the later values."""
    t = Term("S1", "01")
    ins = t.insert("tender", kind="card", state="pending", amount_cents=500)
    upd = t.update("tender", ins.entity_id, state="approved", auth_code="A1")
    assert statuses(t.push(central, [upd])) == [A]
    rows, cursor = t.pull_all(central)
    assert rows == []
    assert statuses(t.push(central, [ins])) == [A]
    rows, _ = t.pull_all(central, cursor)
    assert [json.loads(r.data)["state"] for r in rows] == ["approved"]
    data = json.loads(rows[0].data)
    assert data["amount_cents"] == 500 and data["auth_code"] == "A1" and data["kind"] == "card"


def test_profiles_merge_per_field_last_writer_wins_with_a_conflict_log(central: CentralStore) -> None:
    t1, t2 = Term("S1", "01"), Term("S1", "02")
    c = t1.insert("customer", first_name="Ann", email="a@x.example", phone="5550001", ms=1_000)
    t1.push(central, [c])
    # both terminals edit offline; t2's edit of email is later, t1's edit of phone is later
    e1 = t1.update("customer", c.entity_id, email="ann@t1.example", ms=2_000)
    p2 = t2.update("customer", c.entity_id, phone="5550002", ms=1_500)
    e2 = t2.update("customer", c.entity_id, email="ann@t2.example", ms=3_000)
    p1 = t1.update("customer", c.entity_id, phone="5550003", ms=4_000)
    t2.push(central, [p2, e2])
    t1.push(central, [e1, p1])  # e1 arrives after e2 and loses; p1 wins over p2
    row = central.rows("S1", "customer")[c.entity_id]
    assert row["email"] == "ann@t2.example" and row["phone"] == "5550003" and row["first_name"] == "Ann"
    lww = [json.loads(x.detail) for x in central.conflicts("S1") if x.kind == "field_lww"]
    # these clocks never saw the centre's, so every edit was concurrent with what it replaced: e1 is discarded on
    # arrival, and each overwritten value (t1's insert, p2) is a loser too
    assert sorted((d["field"], d["loser"]) for d in lww) == [
        ("email", "a@x.example"), ("email", "ann@t1.example"), ("phone", "5550001"), ("phone", "5550002")]
    assert all(d["loser_hlc"] < d["winner_hlc"] for d in lww)


def test_an_edit_made_after_pulling_the_value_it_replaces_is_not_a_conflict(central: CentralStore) -> None:
    """Terminals observe the centre's HLC on every answer (as the engine does): an edit made after a pull has seen
    what it replaces, one made offline before the other value reached the centre has not."""
    t1, t2 = Term("S1", "01"), Term("S1", "02")

    def observe(t: Term, server_hlc: str) -> None:
        ms = int(server_hlc.split(".")[0])
        if ms > t.ms:
            t.ms, t.counter = ms, 0

    c = t1.insert("customer", first_name="Ann", phone="5550001")
    observe(t1, t1.push(central, [c]).server_hlc)
    _, cursor = t2.pull_all(central)
    observe(t2, central.pull(PullRequest("S1", "02", cursor)).server_hlc)
    seen = t2.update("customer", c.entity_id, phone="5550002")  # after the pull: a plain sequential edit
    observe(t2, t2.push(central, [seen]).server_hlc)
    assert central.conflicts("S1") == ()
    offline = t1.update("customer", c.entity_id, first_name="Anna")  # t1 never pulled t2's phone: other field
    observe(t1, t1.push(central, [offline]).server_hlc)
    assert central.conflicts("S1") == ()
    # t1 edits the phone without having pulled t2's: its clock is past the centre's (it pushed since), so the
    # centre cannot prove the edit concurrent and the later edit simply wins
    late = t1.update("customer", c.entity_id, phone="5550003")
    t1.push(central, [late])
    assert central.rows("S1", "customer")[c.entity_id]["phone"] == "5550003"
    assert central.conflicts("S1") == ()
    # an edit made on a clock behind the moment the centre received the current value: concurrent, logged
    behind = Term("S1", "03")
    old = behind.update("customer", c.entity_id, ms=1, phone="5550009")
    r = behind.push(central, [old])
    assert r.results[0].status is A
    lww = [json.loads(x.detail) for x in central.conflicts("S1")]
    assert [(d["field"], d["loser"]) for d in lww] == [("phone", "5550009")]  # discarded on arrival (older)


def test_lww_ties_are_broken_by_the_node_then_deterministically(central: CentralStore) -> None:
    t1, t2 = Term("S1", "01"), Term("S1", "02")
    c = t1.insert("customer", first_name="Ann", ms=1_000)
    t1.push(central, [c])
    same_ms_1 = t1.update("customer", c.entity_id, last_name="One", ms=5_000)
    same_ms_2 = t2.update("customer", c.entity_id, last_name="Two", ms=5_000)
    assert same_ms_1.hlc[:19] == same_ms_2.hlc[:19]  # same ms and counter: only the node differs
    t2.push(central, [same_ms_2])
    t1.push(central, [same_ms_1])
    assert central.rows("S1", "customer")[c.entity_id]["last_name"] == "Two"  # node "S1-02" > "S1-01"


def test_pull_pages_by_sequence_with_shared_rows_first_and_push_only_rows_left_out(central: CentralStore) -> None:
    central.load_catalog({"plan": [{"code": "P1", "name": "Basic", "monthly_cents": 3000}],
                          "accessory": [{"upc": "0001", "sku": "ACC-1", "name": "Case", "price_cents": 1999}]})
    t, other = Term("S1", "01"), Term("S2", "01")
    mine = [t.insert("customer", first_name=f"C{i}") for i in range(5)]
    t.push(central, [*mine, t.insert("audit_event", action="sale.completed"), t.change(
        "one_time_code", "o1", "insert", {"id": "o1"})])
    other.push(central, [other.insert("customer", first_name="Not yours")])
    page = central.pull(PullRequest("S1", "02", "", limit=3))
    assert [r.entity for r in page.rows] == ["plan", "accessory", "customer"]
    assert page.rows[0].store_id == "" and page.more and page.remaining == 4
    rows, cursor = Term("S1", "02").pull_all(central, page.cursor, limit=3)
    assert [json.loads(r.data)["first_name"] for r in [*page.rows[2:], *rows]] == [f"C{i}" for i in range(5)]
    # nothing new: an empty page at the same cursor
    again = central.pull(PullRequest("S1", "02", cursor))
    assert again.rows == () and not again.more and again.cursor == cursor
    # an update (even from another terminal) moves the row after the cursor; a catalog change too
    t.push(central, [t.update("customer", mine[2].entity_id, first_name="Changed")])
    central.load_catalog({"plan": [{"code": "P1", "name": "Basic+", "monthly_cents": 3500}]})
    central.load_catalog({"plan": [{"code": "P1", "name": "Basic+", "monthly_cents": 3500}]})  # no change
    rows, _ = Term("S1", "02").pull_all(central, cursor)
    assert [(r.entity, json.loads(r.data).get("name") or json.loads(r.data).get("first_name")) for r in rows] == [
        ("plan", "Basic+"), ("customer", "Changed")]


def test_a_bad_cursor_or_protocol_is_refused(central: CentralStore) -> None:
    with pytest.raises(ProtocolRefused):
        central.pull(PullRequest("S1", "01", "garbage"))
    with pytest.raises(ProtocolRefused):
        central.pull(PullRequest("S1", "01", "", protocol=99))
    with pytest.raises(ProtocolRefused):
        central.push(PushRequest("S1; drop", "01", "b", ()))


def test_digest_counts_and_hashes_the_ids_a_terminal_has_seen(central: CentralStore) -> None:
    central.load_catalog({"plan": [{"code": c, "name": c} for c in ("P2", "P1")]})
    t = Term("S1", "01")
    customers = [t.insert("customer", first_name=f"C{i}") for i in range(3)]
    t.push(central, customers)
    _, cursor = t.pull_all(central)
    later = t.insert("customer", first_name="later")
    t.push(central, [later, t.insert("audit_event", action="x")])
    digests = {d.entity: d for d in central.digest(DigestRequest("S1", "01", cursor)).digests}
    assert "audit_event" not in digests
    assert digests["customer"].count == 3
    assert digests["customer"].id_hash == id_hash(c.entity_id for c in customers)
    assert digests["plan"].count == 2 and digests["plan"].id_hash == id_hash(["P1", "P2"])
    assert digests["sale"].count == 0
    _, cursor = t.pull_all(central, cursor)
    only = central.digest(DigestRequest("S1", "01", cursor, entities=("customer",))).digests
    assert [(d.entity, d.count) for d in only] == [("customer", 4)]
    assert central.digest(DigestRequest("S2", "01", cursor, entities=("customer",))).digests[0].count == 0


def _sale(t: Term, imei: str, *, kind: str = "sale", original_line: str | None = None) -> tuple[list, str]:
    sale = t.insert("sale", kind=kind, status="open")
    line = t.insert("sale_line", sale_id=sale.entity_id, sku="DEV", imei=imei, qty=1, removed=False,
                    original_line_id=original_line)
    done = t.update("sale", sale.entity_id, status="completed")
    return [sale, line, done], line.entity_id


def test_one_imei_sold_in_two_stores_keeps_both_and_flags_a_conflict(central: CentralStore) -> None:
    a, b = Term("S1", "01"), Term("S2", "01")
    sold_a, line_a = _sale(a, "356938035643809")
    sold_b, line_b = _sale(b, "356938035643809")
    assert statuses(a.push(central, sold_a)) == [A, A, A]
    assert statuses(b.push(central, sold_b[:2])) == [A, A]
    assert central.conflicts("S2") == ()  # an open cart claims nothing
    assert statuses(b.push(central, sold_b[2:])) == [A]
    assert line_a in central.rows("S1", "sale_line") and line_b in central.rows("S2", "sale_line")
    flagged = [c for c in central.conflicts("S2") if c.kind == "uniqueness"]
    assert len(flagged) == 1 and flagged[0].entity_id == line_b
    assert json.loads(flagged[0].detail)["others"] == [{"store_id": "S1", "entity": "sale_line",
                                                        "entity_id": line_a}]
    assert [c[0] for c in central.claimants("imei_sold", "356938035643809")] == ["S1", "S2"]
    # replays flag nothing more
    b.push(central, sold_b)
    assert len([c for c in central.conflicts("S2") if c.kind == "uniqueness"]) == 1


def test_a_refund_releases_the_imei_so_it_can_be_sold_again(central: CentralStore) -> None:
    t = Term("S1", "01")
    first, line = _sale(t, "490154203237518")
    refund, _ = _sale(t, "490154203237518", kind="refund", original_line=line)
    resold, _ = _sale(t, "490154203237518")
    for batch in (first, refund, resold):
        t.push(central, batch)
    assert not [c for c in central.conflicts("S1") if c.kind == "uniqueness"]
    released = {entity_id: rel for _, _, entity_id, rel in central.claimants("imei_sold", "490154203237518")}
    assert len(released) == 2 and released[line] is True and sum(released.values()) == 1


def test_an_imei_activated_twice_is_flagged(central: CentralStore) -> None:
    a, b = Term("S1", "01"), Term("S1", "02")
    a.push(central, [a.insert("device", imei="353918052512938", status="active")])
    b.push(central, [b.insert("device", imei="353918052512938", status="active")])
    assert [c.kind for c in central.conflicts("S1")] == ["uniqueness"]


def test_stock_movements_are_summed_and_an_oversell_is_flagged(central: CentralStore) -> None:
    t1, t2 = Term("S1", "01"), Term("S1", "02")
    t1.push(central, [t1.insert("stock_movement", sku="ACC-1", qty=2)])
    t1.push(central, [t1.insert("stock_movement", sku="ACC-1", qty=-1)])
    assert central.stock_on_hand("S1", "ACC-1") == 1 and central.conflicts("S1") == ()
    r = t2.push(central, [t2.insert("stock_movement", sku="ACC-1", qty=-2),
                          t2.update("stock_movement", "x", qty=5)])
    assert statuses(r) == [A, R] and "append-only" in r.results[1].reason
    assert central.stock_on_hand("S1", "ACC-1") == -1
    assert [json.loads(c.detail) for c in central.conflicts("S1")] == [{"sku": "ACC-1", "on_hand": -1}]


def test_a_delete_is_a_tombstone_pulled_once_and_left_out_of_the_digest(central: CentralStore) -> None:
    t = Term("S1", "01")
    keep, gone = t.insert("alert_setting", kind="sms"), t.insert("alert_setting", kind="email")
    t.push(central, [keep, gone])
    _, cursor = t.pull_all(central)
    t.push(central, [t.change("alert_setting", gone.entity_id, "delete", {})])
    rows, cursor = Term("S1", "02").pull_all(central, cursor)
    assert [(r.entity_id, r.deleted) for r in rows] == [(gone.entity_id, True)]
    d = central.digest(DigestRequest("S1", "01", cursor, ("alert_setting",))).digests[0]
    assert d.count == 1 and d.id_hash == id_hash([keep.entity_id])
    # an edit arriving after the delete (made offline before seeing it) does not bring the row back
    stale = t.update("alert_setting", gone.entity_id, kind="push")
    assert statuses(t.push(central, [stale])) == [A]
    assert gone.entity_id not in central.rows("S1", "alert_setting")
