"""The merge of pushed changes into rows, without I/O: the state of one push transaction (:class:`Batch`), the
rows it holds (:class:`Row`), the checks a change must pass, and the per-entity-kind rules of
:mod:`posapp.sync.entities` (:func:`apply_change`). :mod:`posapp.central.store` reads and writes the database around
it.

Every row keeps per-field HLCs; a field takes the value with the greatest HLC (ties: the greater JSON text), so the
merged state does not depend on arrival order or duplication.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from posapp.central.codec import compact_hlc, expand_hlc, hlc_node, json_text, json_value
from posapp.sync.entities import EntityPolicy, Kind, policy
from posapp.sync.protocol import Change

DELETED = "__deleted__"
BOOKKEEPING = frozenset({"updated_hlc", DELETED})
HLC_RE = re.compile(r"^[0-9]{13}\.[0-9]{5,}\.[A-Za-z0-9_.:-]{1,40}$")  # ms.counter.node (posapp.sync.hlc)
OPS = ("insert", "update", "delete")


class Rejected(Exception):
    """A change the central store refuses; the message is the reason sent back to the terminal."""


@dataclass(slots=True)
class Row:
    store_id: str
    entity: str
    entity_id: str
    data: dict[str, Any]
    field_hlc: dict[str, str]
    origin: str
    parent_id: str | None
    seq: int
    created_seq: int | None
    deleted: bool
    stored: bool                      # exists in the database (update) or not (insert)
    dirty: bool = False
    text: str | None = None           # the data as JSON text when it is exactly one insert's payload
    field_recv: dict[str, str] | None = None  # profiles: field -> central HLC when the value held was received
    top: str = ""                     # with ``text``: the insert's HLC (every field's)
    text_change: str = ""             # with ``text``: the insert's change id (its ledger row holds the text)

    @property
    def hlc(self) -> str:
        return max(self.field_hlc.values()) if self.field_hlc else ""

    def recv_text(self) -> str | None:
        return None if self.field_recv is None else compact_hlc(self.field_recv, self.data)


@dataclass
class Batch:
    """State of one push transaction."""

    store_id: str
    terminal_id: str
    seq: int
    recv: str = ""                    # the central HLC of this batch's arrival (after every HLC in it)
    rows: dict[tuple[str, str], Row] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    stock: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stock_first: dict[str, str] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def conflict(self, kind: str, entity: str, entity_id: str, detail: Mapping[str, Any]) -> None:
        self.conflicts.append({"conflict_id": str(uuid.uuid4()), "store_id": self.store_id, "kind": kind,
                               "entity": entity, "entity_id": entity_id, "detail": json_text(dict(detail)),
                               "detected_at": self.now, "resolved": False})

    def cache(self, rec: Any) -> Row:
        """A stored ``central_row`` record as a :class:`Row` of this batch."""
        data = json_value(rec.data)
        field_hlc = expand_hlc(json_value(rec.field_hlc), data)
        field_recv = None if rec.field_recv is None else expand_hlc(json_value(rec.field_recv), data)
        row = Row(store_id=rec.store_id, entity=rec.entity, entity_id=rec.entity_id, data=data,
                  field_hlc=field_hlc, field_recv=field_recv, origin=rec.origin_terminal_id, parent_id=rec.parent_id,
                  seq=int(rec.seq), created_seq=None if rec.created_seq is None else int(rec.created_seq),
                  deleted=bool(rec.deleted), stored=True)
        self.rows[(row.entity, row.entity_id)] = row
        return row


def check_change(ch: Change) -> EntityPolicy:
    """The checks that need no payload (they keep every ledger column within its length)."""
    pol = policy(ch.entity)
    if pol is None:
        raise Rejected(f"unknown entity {ch.entity!r}")
    if pol.shared:
        raise Rejected(f"{ch.entity} is chain-wide catalog data owned by head office; stores cannot change it")
    if ch.op not in OPS:
        raise Rejected(f"unknown operation {ch.op!r}")
    if not ch.entity_id or len(ch.entity_id) > 60:
        raise Rejected("missing or too long entity id")
    if len(ch.change_id) > 36 or not ch.change_id:
        raise Rejected("bad change id")
    if not HLC_RE.match(ch.hlc):
        raise Rejected(f"not a hybrid logical clock stamp: {ch.hlc!r}")
    return pol


def parse_payload(store_id: str, ch: Change, pol: EntityPolicy) -> dict[str, Any]:
    """The payload of a change that passed :func:`check_change`, checked against its store and entity."""
    try:
        payload = json_value(ch.payload) if ch.payload else {}
    except ValueError:
        raise Rejected("payload is not valid JSON") from None
    if not isinstance(payload, dict):
        raise Rejected("payload is not a JSON object")
    if "store_id" in payload and payload["store_id"] != store_id:
        raise Rejected(f"row belongs to store {payload['store_id']!r}, pushed by store {store_id!r}")
    if pol.key in payload and str(payload[pol.key]) != ch.entity_id:
        raise Rejected(f"payload {pol.key} {payload[pol.key]!r} differs from entity id {ch.entity_id!r}")
    if pol.kind is Kind.STOCK:
        if ch.op != "insert":
            raise Rejected("stock movements are append-only")
        if not isinstance(payload.get(pol.stock_qty), int) or not payload.get(pol.stock_sku):
            raise Rejected(f"a stock movement needs {pol.stock_sku} and an integer {pol.stock_qty}")
    return payload


def apply_change(batch: Batch, ch: Change, pol: EntityPolicy, payload: dict[str, Any]) -> Row:
    """Merge one change into ``batch.rows`` (the stored row must have been loaded, if there is one).

    ``event`` rows accept inserts once and changes only from their origin terminal; ``profile`` rows log a
    ``field_lww`` conflict when an edit arrives after a newer value from another node and is discarded; ``stock``
    movements add to the batch's per-sku sums. A fresh row takes ``payload`` itself as its data (not a copy).
    """
    key = (ch.entity, ch.entity_id)
    r = batch.rows.get(key)
    if pol.kind in (Kind.EVENT, Kind.STOCK) and r is not None:
        if r.origin != batch.terminal_id:
            raise Rejected(f"{ch.entity} {ch.entity_id} belongs to terminal {r.origin}; events change only "
                           "at their origin terminal (corrections are new events)")
        if ch.op == "insert" and r.created_seq is not None:
            raise Rejected(f"{ch.entity} {ch.entity_id} was already inserted (events are inserted once)")
    fresh = r is None and ch.op == "insert"
    h = ch.hlc
    if fresh:  # the common case: a new row is its insert's payload, every field at the insert's HLC
        r = Row(store_id=batch.store_id, entity=ch.entity, entity_id=ch.entity_id, data=payload,
                field_hlc=dict.fromkeys(payload, h), origin=batch.terminal_id, parent_id=None, seq=0,
                created_seq=None, deleted=False, stored=False,
                field_recv=dict.fromkeys(payload, batch.recv) if pol.kind is Kind.PROFILE else None)
        batch.rows[key] = r
        fields: Mapping[str, Any] = {}
    elif r is None:
        r = Row(store_id=batch.store_id, entity=ch.entity, entity_id=ch.entity_id, data={}, field_hlc={},
                origin=batch.terminal_id, parent_id=None, seq=0, created_seq=None, deleted=False, stored=False)
        batch.rows[key] = r
        fields = {DELETED: True} if ch.op == "delete" else payload
    else:
        fields = {DELETED: True} if ch.op == "delete" else payload
    changed = False
    profile = pol.kind is Kind.PROFILE
    if profile and r.field_recv is None:
        r.field_recv = {}
    recv = r.field_recv if profile else None
    for k, v in fields.items():
        cur = r.field_hlc.get(k)
        have = r.data.get(k) if k != DELETED else r.deleted
        if cur is None or h > cur or (h == cur and json_text(v) > json_text(have)):
            if (recv is not None and cur is not None and have != v and k not in BOOKKEEPING
                    and hlc_node(cur) != hlc_node(h) and k in recv and h < recv[k]):
                # the writer's clock was behind the centre's when the value it replaces arrived: it cannot
                # have seen that value (every pull moves a terminal's clock past the centre's), so the two
                # edits were concurrent and the older one is lost
                batch.conflict("field_lww", ch.entity, ch.entity_id,
                               {"field": k, "loser": have, "loser_hlc": cur, "winner_hlc": h})
            if k == DELETED:
                r.deleted = True
            else:
                r.data[k] = v
            r.field_hlc[k] = h
            if recv is not None:
                recv[k] = batch.recv
            changed = True
        elif pol.kind is Kind.PROFILE and have != v and hlc_node(cur) != hlc_node(h) and k not in BOOKKEEPING:
            batch.conflict("field_lww", ch.entity, ch.entity_id,
                           {"field": k, "loser": v, "loser_hlc": h, "winner_hlc": cur})
    if ch.op == "insert" and r.created_seq is None:
        r.created_seq = batch.seq + 1
        r.origin = batch.terminal_id  # a profile may have been edited elsewhere before its insert arrived
        changed = True
        if pol.kind is Kind.STOCK:
            sku = str(payload[pol.stock_sku])
            batch.stock[sku] += int(payload[pol.stock_qty])
            batch.stock_first.setdefault(sku, ch.entity_id)
    if changed:
        r.seq = batch.next_seq()
        r.dirty = True
        r.text = ch.payload if fresh else None
        r.text_change = ch.change_id if fresh else ""
        r.top = h
        for c in pol.claims:
            if c.parent is not None:  # only rows that could claim are found through their parent
                parent = r.data.get(c.parent[1])
                r.parent_id = None if parent is None or not r.data.get(c.field) else str(parent)
    return r
