from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from posapp.domain.query import MAX_QUERY, QueryKind, classify


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("(206) 555-0142", QueryKind.PHONE, "2065550142"),
    ("+1 206 555 0142", QueryKind.PHONE, "2065550142"),
    ("1-206-555-0142", QueryKind.PHONE, "2065550142"),
    ("206", QueryKind.PHONE, "206"),
    ("123456789", QueryKind.ACCOUNT, "123456789"),
    ("490154203237518", QueryKind.IMEI, "490154203237518"),
    ("49-015420-323751-8", QueryKind.IMEI, "490154203237518"),
    ("4901542032375101", QueryKind.IMEI, "490154203237518"),  # IMEISV: SVN dropped, check digit rebuilt
    ("89014103211118510720", QueryKind.ICCID, "89014103211118510720"),
    ("Ana.Lopez@Example.com", QueryKind.EMAIL, "ana.lopez@example.com"),
    ("S001-T01-000042", QueryKind.RECEIPT, "S001-T01-000042"),
    ("  Ana   LÓPEZ ", QueryKind.NAME, "ana lópez"),
    ("p: 123456789", QueryKind.PHONE, "123456789"),
    ("a:2065550142", QueryKind.ACCOUNT, "2065550142"),
    ("n:ana", QueryKind.NAME, "ana"),
    ("", QueryKind.EMPTY, ""),
    ("\x00\x07", QueryKind.EMPTY, ""),
])
def test_classification(text: str, kind: QueryKind, value: str) -> None:
    q = classify(text)
    assert (q.kind, q.value) == (kind, value)


def test_imeisv_note_and_forced_prefix() -> None:
    assert "software version" in classify("4901542032375101").note
    assert classify("i:1234").note.startswith("not a valid")
    assert classify("e:ana").forced


@given(st.text(max_size=20_000))
def test_any_input_classifies_without_error_and_is_bounded(text: str) -> None:
    q = classify(text)
    assert len(q.value) <= MAX_QUERY
    assert all(ord(ch) >= 32 for ch in q.value)
