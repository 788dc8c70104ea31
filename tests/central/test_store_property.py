"""Property: the same set of changes, applied in any order, in any batches and with any duplication, gives the same
central state (merged rows, ledger, claims, stock) — on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from posapp.central import CentralStore
from posapp.central import models as m
from posapp.central.codec import expand_hlc
from posapp.sync.protocol import Change
from tests.central.builders import Term
from tests.central.conftest import Factory
from tests.helpers.scale import scaled

TERMINALS = (Term("S1", "01"), Term("S1", "02"), Term("S2", "01"))


def _script(draw: st.DrawFn) -> list[tuple[Term, list[Change]]]:
    """Each terminal's changes: customers (profiles edited anywhere in the store), sales and tenders (events edited
    at their origin), stock movements; IMEIs drawn from a tiny pool so claims collide."""
    terms = [Term(t.store_id, t.terminal_id) for t in TERMINALS]
    out: dict[str, list[Change]] = {t.node: [] for t in terms}
    customers: dict[str, list[str]] = {"S1": [], "S2": []}
    for _ in range(draw(st.integers(3, 14))):
        t = draw(st.sampled_from(terms))
        ms = draw(st.integers(1, 50))  # clocks overlap across terminals (same ms on purpose)
        what = draw(st.sampled_from(["customer", "edit", "sale", "stock", "device"]))
        if what == "customer" or (what == "edit" and not customers[t.store_id]):
            c = t.insert("customer", first_name=draw(st.sampled_from("ABC")), ms=ms)
            customers[t.store_id].append(c.entity_id)
            out[t.node].append(c)
        elif what == "edit":
            cid = draw(st.sampled_from(customers[t.store_id]))
            field = draw(st.sampled_from(["first_name", "email", "phone"]))
            out[t.node].append(t.update("customer", cid, ms=ms, **{field: draw(st.sampled_from("xyz"))}))
        elif what == "sale":
            sale = t.insert("sale", kind="sale", status="open", ms=ms)
            line = t.insert("sale_line", sale_id=sale.entity_id, sku="D", imei=draw(st.sampled_from(["I1", "I2"])),
                            qty=1, removed=False, original_line_id=None)
            changes = [sale, line]
            if draw(st.booleans()):
                changes.append(t.update("sale", sale.entity_id, status="completed"))
            out[t.node] += changes
        elif what == "stock":
            out[t.node].append(t.insert("stock_movement", sku="ACC", qty=draw(st.integers(-2, 2)), ms=ms))
        else:
            out[t.node].append(t.insert("device", imei=draw(st.sampled_from(["I1", "I3"])), status="active", ms=ms))
    return [(t, out[t.node]) for t in terms if out[t.node]]


def _canon(text: str | dict[str, Any]) -> str:
    return json.dumps(json.loads(text) if isinstance(text, str) else text, sort_keys=True)


def _hlcs(data: str, field_hlc: str) -> dict[str, Any]:
    """Per-field HLCs with the compact form ({"*": h, ...}: every other field of the row at h) expanded."""
    return dict(expand_hlc(json.loads(field_hlc), json.loads(data)))


def _state(central: CentralStore) -> dict[str, Any]:
    with central.engine.connect() as conn:
        rows = sorted((r.store_id, r.entity, r.entity_id, _canon(r.data), _canon(_hlcs(r.data, r.field_hlc)), r.hlc,
                       r.origin_terminal_id, r.created_seq is not None, r.deleted)
                      for r in conn.execute(m.row_select()))
        ledger = sorted(conn.execute(select(m.change.c.change_id, m.change.c.store_id, m.change.c.payload)).all())
        claims = sorted(tuple(r) for r in conn.execute(select(m.claim.c.kind, m.claim.c.claim_key, m.claim.c.store_id,
                                                              m.claim.c.entity_id, m.claim.c.released)))
        stock = sorted(tuple(r) for r in conn.execute(select(m.stock)))
        flagged = sorted({(r.kind, r.entity_id) for r in conn.execute(select(m.conflict))
                          if r.kind == "uniqueness"})
    return {"rows": rows, "ledger": ledger, "claims": claims, "stock": stock, "uniq": len(flagged) > 0}


def _deliver(central: CentralStore, script: list[tuple[Term, list[Change]]], rnd: random.Random | None) -> None:
    """In order (rnd None), or shuffled into random batches with random duplicates and replays."""
    batches: list[tuple[Term, list[Change]]] = []
    for t, changes in script:
        if rnd is None:
            batches.append((t, changes))
            continue
        pool = list(changes) + [rnd.choice(changes) for _ in range(rnd.randint(0, len(changes)))]
        rnd.shuffle(pool)
        while pool:
            n = rnd.randint(1, 4)
            batches.append((t, pool[:n]))
            pool = pool[n:]
    if rnd is not None:
        rnd.shuffle(batches)
        batches += [rnd.choice(batches) for _ in range(2)]  # whole-batch replays (lost responses)
    for t, changes in batches:
        t.push(central, changes)


@pytest.fixture
def pair(central_factory: Factory) -> tuple[CentralStore, CentralStore]:
    return central_factory(), central_factory()


def _wipe(central: CentralStore) -> None:
    with central.engine.begin() as conn:
        for table in reversed(m.metadata.sorted_tables):
            conn.execute(table.delete())


@settings(max_examples=scaled(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_order_any_duplication_same_central_state(pair: tuple[CentralStore, CentralStore],
                                                      data: st.DataObject) -> None:
    script = data.draw(st.composite(lambda draw: _script(draw))())
    seed = data.draw(st.integers(0, 2**32 - 1))
    ordered, shuffled = pair
    _wipe(ordered)
    _wipe(shuffled)
    _deliver(ordered, script, None)
    _deliver(shuffled, script, random.Random(seed))
    expected, got = _state(ordered), _state(shuffled)
    assert got == expected
    # every change of the script is in the ledger exactly once
    assert len(expected["ledger"]) == sum(len(c) for _, c in script)
