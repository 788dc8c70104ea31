"""Building protocol changes the way a terminal's outbox does (payload JSON, uuid change ids, HLC stamps)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from posapp.central import CentralStore
from posapp.sync.hlc import Stamp
from posapp.sync.protocol import Change, ChangeStatus, PullRequest, PullResponse, PushRequest, PushResponse


@dataclass
class Term:
    """A fake terminal: its own outbox sequence and hybrid logical clock (ms advanced explicitly)."""

    store_id: str
    terminal_id: str
    ms: int = 0
    seq: int = 0
    counter: int = 0
    outbox: list[Change] = field(default_factory=list)

    @property
    def node(self) -> str:
        return f"{self.store_id}-{self.terminal_id}"

    def stamp(self, ms: int | None = None) -> str:
        if ms is not None and ms > self.ms:  # like a real HLC: never the same stamp twice
            self.ms, self.counter = ms, 0
        else:
            self.counter += 1
        return str(Stamp(self.ms, self.counter, self.node))

    def change(self, entity: str, entity_id: str, op: str, payload: dict[str, Any] | str,
               *, ms: int | None = None) -> Change:
        self.seq += 1
        hlc = self.stamp(ms)
        text = payload if isinstance(payload, str) else json.dumps(
            {**payload, "updated_hlc": hlc} if op == "update" else payload, sort_keys=True)
        ch = Change(change_id=str(uuid.uuid4()), seq=self.seq, entity=entity, entity_id=entity_id, op=op,
                    payload=text, hlc=hlc)
        self.outbox.append(ch)
        return ch

    def insert(self, entity: str, entity_id: str | None = None, *, ms: int | None = None, **fields: Any) -> Change:
        entity_id = entity_id or str(uuid.uuid4())
        row = {"id": entity_id, "store_id": self.store_id, "origin_terminal_id": self.terminal_id, **fields}
        return self.change(entity, entity_id, "insert", row, ms=ms)

    def update(self, entity: str, entity_id: str, *, ms: int | None = None, **fields: Any) -> Change:
        return self.change(entity, entity_id, "update", fields, ms=ms)

    def request(self, changes: list[Change] | tuple[Change, ...], batch: str = "") -> PushRequest:
        return PushRequest(store_id=self.store_id, terminal_id=self.terminal_id,
                           batch_id=batch or str(uuid.uuid4()), changes=tuple(changes))

    def push(self, central: CentralStore, changes: list[Change] | tuple[Change, ...]) -> PushResponse:
        return central.push(self.request(changes))

    def pull_all(self, central: CentralStore, cursor: str = "", limit: int = 1000) -> tuple[list[Any], str]:
        rows: list[Any] = []
        while True:
            page: PullResponse = central.pull(PullRequest(self.store_id, self.terminal_id, cursor, limit=limit))
            rows += page.rows
            cursor = page.cursor
            if not page.more:
                return rows, cursor


def statuses(response: PushResponse) -> list[ChangeStatus]:
    return [r.status for r in response.results]
