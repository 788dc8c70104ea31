"""A :class:`~posapp.sync.protocol.Transport` that calls a :class:`CentralStore` in the same process.

Every request and response goes through :func:`to_json` / :func:`from_json`, so the wire form is exercised exactly
as a web service would see it. Database errors of the central store (down, locked, connection lost) become
:class:`TransportError` (retry later); :class:`ProtocolRefused` passes through.
"""

from __future__ import annotations

from typing import Any, TypeVar

import psycopg
from sqlalchemy.exc import DBAPIError, OperationalError

from posapp.central.store import CentralStore
from posapp.sync.protocol import (
    Conflict,
    DigestRequest,
    DigestResponse,
    ProtocolRefused,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    TransportError,
    from_json,
    to_json,
)

T = TypeVar("T")


def _wire(message: Any, cls: type[T]) -> T:
    out = from_json(to_json(message))
    if not isinstance(out, cls):
        raise ProtocolRefused(f"expected {cls.__name__} on the wire, got {type(out).__name__}")
    return out


class InProcessTransport:
    def __init__(self, central: CentralStore) -> None:
        self.central = central

    def _call(self, fn: Any, request: Any) -> Any:
        try:
            return fn(request)
        except ProtocolRefused:
            raise
        except (OperationalError, DBAPIError) as exc:
            raise TransportError(f"central store unavailable: {type(exc.orig).__name__}") from exc
        except psycopg.OperationalError as exc:  # from the raw-connection fast paths
            raise TransportError(f"central store unavailable: {type(exc).__name__}") from exc

    def push(self, request: PushRequest) -> PushResponse:
        return _wire(self._call(self.central.push, _wire(request, PushRequest)), PushResponse)

    def pull(self, request: PullRequest) -> PullResponse:
        return _wire(self._call(self.central.pull, _wire(request, PullRequest)), PullResponse)

    def digest(self, request: DigestRequest) -> DigestResponse:
        return _wire(self._call(self.central.digest, _wire(request, DigestRequest)), DigestResponse)

    def conflicts(self, store_id: str, *, limit: int = 100) -> tuple[Conflict, ...]:
        found = self._call(lambda s: self.central.conflicts(s, limit=limit), store_id)
        return tuple(_wire(c, Conflict) for c in found)
