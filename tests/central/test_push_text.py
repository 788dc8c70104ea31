"""Push keeps payload text and values exactly (the PostgreSQL path sends rows as one JSON parameter per table and
parses payloads with orjson, falling back to the standard library for what orjson reads differently) — on SQLite
and PostgreSQL."""

from __future__ import annotations

import json

from posapp.central import CentralStore
from posapp.central.codec import json_value
from posapp.sync.protocol import ChangeStatus, PullRequest
from tests.central.builders import Term, statuses

A, R = ChangeStatus.APPLIED, ChangeStatus.REJECTED
AWKWARD = ["back\\slash", "tab\there", "new\nline", "cr\rhere", "\\N", "\\", "é ü 漢字 \U0001f600", "\\t literal",
           "quote \" and \\\" mixed", ""]


def test_values_with_copy_special_characters_round_trip(central: CentralStore) -> None:
    t = Term("S1", "01")
    ins = t.insert("customer", first_name=AWKWARD[0], notes=AWKWARD, big=123456789012345678901234567890,
                   neg=-9223372036854775809, f=0.1, nested={"a\tb": [None, True, False, 1.5e300]})
    # raw whitespace between JSON tokens (tab, newline, CR) is valid JSON and must survive as the stored text
    sale_id = "sale-1"
    raw = '{\n\t"id": "sale-1",\r\n "store_id": "S1", "origin_terminal_id": "01", "note": "a\\\\N\\tb"}'
    sale = t.change("sale", sale_id, "insert", raw)
    upd = t.update("customer", ins.entity_id, last_name="O\\Brien\t\n")
    assert statuses(t.push(central, [ins, sale, upd])) == [A, A, A]
    row = central.rows("S1", "customer")[ins.entity_id]
    assert row["notes"] == AWKWARD and row["first_name"] == AWKWARD[0] and row["last_name"] == "O\\Brien\t\n"
    assert row["big"] == 123456789012345678901234567890 and isinstance(row["big"], int)
    assert row["neg"] == -9223372036854775809 and row["nested"] == {"a\tb": [None, True, False, 1.5e300]}
    assert central.rows("S1", "sale")[sale_id] == json.loads(raw)
    pulled = {r.entity_id: r.data for r in central.pull(PullRequest("S1", "01", "")).rows}
    assert pulled[sale_id] == raw  # a row as inserted is its payload text, byte for byte


def test_payloads_the_standard_library_accepts_are_accepted_the_same() -> None:
    for text in ['{"a": NaN}', '{"a": Infinity}', '["\\ud800"]', "123456789012345678901234567890", "1e400",
                 '{"a": 1, "a": 2}', '{"a": 18446744073709551616, "b": -9223372036854775809}', '"\\u0000"',
                 '{"a": "x", "b": [1, {"c": [true, 18446744073709551616]}]}', '{"a": [[1.5, [-9223372036854775809]]]}',
                 '{"a": {"b": 1e19, "c": 9223372036854775807}}']:
        a, b = json_value(text), json.loads(text)
        assert repr(a) == repr(b) and type(a) is type(b), text


def test_invalid_payload_text_is_still_rejected(central: CentralStore) -> None:
    t = Term("S1", "01")
    bad = [t.change("customer", "c1", "insert", "{not json"), t.change("customer", "c2", "insert", "[1, 2]")]
    r = t.push(central, bad)
    assert statuses(r) == [R, R]
    assert "not valid JSON" in (r.results[0].reason or "") and "not a JSON object" in (r.results[1].reason or "")



def test_rows_merged_from_several_changes_keep_their_values(central: CentralStore) -> None:
    # an insert and an update in one batch: the row is written from the merged values, not from a payload text
    t = Term("S1", "01")
    raw = '{"id": "c9", "store_id": "S1", "origin_terminal_id": "01", "x": NaN, "y": -Infinity, "z": 1e300}'
    ins = t.change("customer", "c9", "insert", raw)
    upd = t.update("customer", "c9", first_name="Zoë 漢字", big=2 ** 70, notes=AWKWARD)
    assert statuses(t.push(central, [ins, upd])) == [A, A]
    row = central.rows("S1", "customer")["c9"]
    assert row["x"] != row["x"] and row["y"] == float("-inf") and row["z"] == 1e300  # NaN stays NaN
    assert row["first_name"] == "Zoë 漢字" and row["big"] == 2 ** 70 and row["notes"] == AWKWARD
    ins2 = t.insert("customer", "c10", first_name="Åsa", n=1.5)
    upd2 = t.update("customer", "c10", last_name="Ørsted")
    assert statuses(t.push(central, [ins2, upd2])) == [A, A]
    assert central.rows("S1", "customer")["c10"] == {**json.loads(ins2.payload), "last_name": "Ørsted",
                                                     "updated_hlc": upd2.hlc}
