"""InProcessTransport: every message crosses the JSON wire form; a central store that is down is a TransportError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from posapp.central import CentralStore, InProcessTransport
from posapp.sync.protocol import (
    ChangeStatus,
    DigestRequest,
    ProtocolRefused,
    PullRequest,
    Transport,
    TransportError,
)
from tests.central.builders import Term


def test_push_pull_digest_and_conflicts_through_the_wire_form(central: CentralStore) -> None:
    transport: Transport = InProcessTransport(central)
    t = Term("S1", "01")
    c = t.insert("customer", first_name="Zoë", note="emoji ✓ and \"quotes\"")
    response = transport.push(t.request([c, c]))
    assert [r.status for r in response.results] == [ChangeStatus.APPLIED, ChangeStatus.DUPLICATE]
    assert isinstance(response.results, tuple) and response.server_hlc.endswith(".central")
    page = transport.pull(PullRequest("S1", "02", ""))
    assert json.loads(page.rows[0].data)["first_name"] == "Zoë" and page.more is False
    assert transport.digest(DigestRequest("S1", "02", page.cursor, ("customer",))).digests[0].count == 1
    t2 = Term("S1", "02")
    transport.push(t2.request([t2.update("customer", c.entity_id, first_name="Zoe", ms=10)]))
    transport.push(t.request([t.update("customer", c.entity_id, first_name="Zed", ms=5)]))
    conflicts = transport.conflicts("S1")
    assert [x.kind for x in conflicts] == ["field_lww", "field_lww"]
    assert {json.loads(x.detail)["loser"] for x in conflicts} == {"Zoë", "Zed"}  # overwritten offline, discarded
    with pytest.raises(ProtocolRefused):
        transport.pull(PullRequest("S1", "02", "v9:1:2"))


def test_a_central_store_that_cannot_be_reached_is_a_transport_error(tmp_path: Path) -> None:
    central = CentralStore.open(f"sqlite:///{tmp_path / 'gone' / 'central.sqlite'}")  # no schema: like a bad link
    try:
        with pytest.raises(TransportError):
            InProcessTransport(central).pull(PullRequest("S1", "01", ""))
    finally:
        central.close()


def test_a_postgres_server_that_is_down_is_a_transport_error() -> None:
    central = CentralStore.open("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    try:
        with pytest.raises(TransportError):
            InProcessTransport(central).push(Term("S1", "01").request([Term("S1", "01").insert("customer")]))
    finally:
        central.close()
