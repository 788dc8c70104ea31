"""Per-field HLC maps in their compact form: what is written expands back to the same stamps."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from posapp.central.codec import compact_hlc, expand_hlc

_FIELDS = st.lists(st.sampled_from(["id", "status", "total_cents", "receipt_no", "kind", "note"]), unique=True)
_STAMPS = st.sampled_from(["0000000000001.00000.S1-01", "0000000000002.00003.S1-02", "0000000000009.00000.S1-01"])


@given(fields=_FIELDS, stamps=st.data(), deleted=st.booleans())
def test_compact_stamps_expand_back_to_the_same_map(fields: list[str], stamps: st.DataObject, deleted: bool) -> None:
    data = {f: i for i, f in enumerate(fields)}
    field_hlc = {f: stamps.draw(_STAMPS) for f in fields}
    if deleted:
        field_hlc["__deleted__"] = stamps.draw(_STAMPS)
    text = compact_hlc(field_hlc, data)
    assert expand_hlc(json.loads(text), data) == field_hlc


def test_a_row_as_inserted_and_a_completed_sale() -> None:
    data = {"id": "s1", "status": "completed", "total_cents": 500, "kind": "sale"}
    ins, done = "0000000000001.00000.S1-01", "0000000000002.00000.S1-01"
    assert json.loads(compact_hlc(dict.fromkeys(data, ins), data)) == {"*": ins}
    stamps = {"id": ins, "kind": ins, "status": done, "total_cents": done, "updated_hlc": done}
    data["updated_hlc"] = done
    compact = json.loads(compact_hlc(stamps, data))
    assert compact["*"] == done and compact == {"*": done, "id": ins, "kind": ins}
    assert expand_hlc({"*": ins}, {"a": 1, "b": 2}) == {"a": ins, "b": ins}  # rows written before this form


def test_a_field_without_a_stamp_keeps_the_plain_map() -> None:
    stamps = {"status": "0000000000002.00000.S1-01"}
    text = compact_hlc(stamps, {"status": "open", "note": "x"})
    assert json.loads(text) == stamps and expand_hlc(json.loads(text), {"status": "open", "note": "x"}) == stamps
