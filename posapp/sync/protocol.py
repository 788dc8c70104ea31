"""The sync protocol between a terminal and the central store (guide §4): messages and the transport, no I/O.

Everything a terminal and the central store say to each other is one of these frozen dataclasses, so the same
protocol runs in-process (tests, embedded SQLite central), through a fault-injecting wrapper, or later behind a
web service (each message is plain JSON via :func:`to_json` / :func:`from_json`).

* **Push** — ordered batches of outbox changes. The central store applies a batch in one transaction with a
  permanent unique constraint on ``change_id`` and answers per change: applied, duplicate or rejected.
* **Pull** — rows changed at the centre after an opaque, server-issued cursor (never wall-clock time). The
  terminal applies a page and stores the new cursor in one local transaction.
* **Digest** — per-entity row counts and a hash of the ids, for the convergence check after every sync.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

PROTOCOL_VERSION = 1


class ChangeStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"      # this change id was applied before: a replay, nothing happened
    REJECTED = "rejected"        # refused for good (reason given); the terminal keeps it and reports it


@dataclass(frozen=True)
class Change:
    """One outbox entry as shipped: ``payload`` is the JSON text written by the terminal, passed through as is."""

    change_id: str
    seq: int                     # the terminal's outbox sequence: the order changes were made in
    entity: str
    entity_id: str
    op: str                      # insert | update | delete
    payload: str
    hlc: str


@dataclass(frozen=True)
class ChangeResult:
    change_id: str
    status: ChangeStatus
    reason: str = ""


@dataclass(frozen=True)
class PushRequest:
    store_id: str
    terminal_id: str
    batch_id: str
    changes: tuple[Change, ...]
    protocol: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class PushResponse:
    results: tuple[ChangeResult, ...]
    server_hlc: str


@dataclass(frozen=True)
class RowState:
    """The central store's merged state of one row. ``store_id`` is empty for shared (chain-wide) rows."""

    entity: str
    entity_id: str
    store_id: str
    data: str                    # JSON object text: every column of the row
    hlc: str
    deleted: bool = False


@dataclass(frozen=True)
class PullRequest:
    store_id: str
    terminal_id: str
    cursor: str                  # opaque; "" = from the beginning (initial fill)
    limit: int = 1000
    protocol: int = PROTOCOL_VERSION
    entities: tuple[str, ...] = ()   # optional: only these entities (a convergence rebuild); () = all


@dataclass(frozen=True)
class PullResponse:
    rows: tuple[RowState, ...]
    cursor: str                  # store it with the applied rows, in the same local transaction
    more: bool
    remaining: int               # rows after this page (for a progress bar); an estimate is fine
    server_hlc: str


@dataclass(frozen=True)
class EntityDigest:
    entity: str
    count: int
    id_hash: str                 # sha256 hex of the sorted ids joined by "\n"


@dataclass(frozen=True)
class DigestRequest:
    store_id: str
    terminal_id: str
    cursor: str                  # digest of the rows the terminal has seen up to this cursor
    entities: tuple[str, ...] = ()
    protocol: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class DigestResponse:
    digests: tuple[EntityDigest, ...]


@dataclass(frozen=True)
class Conflict:
    """A conflict the central store logged: a per-field LWW loser, a cross-store duplicate, an oversell."""

    conflict_id: str
    kind: str                    # field_lww | uniqueness | oversell
    entity: str
    entity_id: str
    store_id: str
    detail: str
    detected_at: str
    resolved: bool = False


class TransportError(Exception):
    """The central store could not be reached or did not answer (retry later with backoff)."""


class ProtocolRefused(Exception):
    """The central store refused the request as a whole (wrong credentials, unknown terminal, old protocol)."""


class Transport(Protocol):
    """How a terminal talks to the central store. Every call may raise :class:`TransportError`."""

    def push(self, request: PushRequest) -> PushResponse: ...

    def pull(self, request: PullRequest) -> PullResponse: ...

    def digest(self, request: DigestRequest) -> DigestResponse: ...

    def conflicts(self, store_id: str, *, limit: int = 100) -> tuple[Conflict, ...]: ...


# -- JSON wire form -----------------------------------------------------------------------------------------------
_TYPES: dict[str, type[Any]] = {cls.__name__: cls for cls in (
    Change, ChangeResult, PushRequest, PushResponse, RowState, PullRequest, PullResponse, EntityDigest,
    DigestRequest, DigestResponse, Conflict)}


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        out["__type__"] = type(value).__name__
        return out
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "__type__" in value:
        cls = _TYPES[value["__type__"]]
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in value:
                continue
            v = _decode(value[f.name])
            if isinstance(v, list):
                v = tuple(v)
            if f.name == "status":
                v = ChangeStatus(v)
            kwargs[f.name] = v
        return cls(**kwargs)
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def to_json(message: Any) -> str:
    return json.dumps(_encode(message), separators=(",", ":"), sort_keys=True)


def from_json(text: str) -> Any:
    return _decode(json.loads(text))


__all__ = [
    "PROTOCOL_VERSION", "Change", "ChangeResult", "ChangeStatus", "Conflict", "DigestRequest", "DigestResponse",
    "EntityDigest", "ProtocolRefused", "PullRequest", "PullResponse", "PushRequest", "PushResponse", "RowState",
    "Transport", "TransportError", "from_json", "to_json",
]
