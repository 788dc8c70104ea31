"""A transport wrapper that misbehaves on purpose, by seeded schedules (fault injection for the sync tests).

:class:`FaultyTransport` sits between a terminal's :class:`~posapp.sync.engine.SyncEngine` and the real transport
and, by a :class:`FaultSchedule` drawn from a seed, for each call:

* **drops the request** — the central store never sees it; the terminal gets :class:`TransportError`;
* **drops the response** — the central store committed the batch, the answer is lost (the dangerous case:
  the terminal must send the batch again and get ``duplicate``);
* **duplicates** — the request is delivered twice (a retrying proxy);
* **delays / reorders** — the request is held back (the terminal sees a time-out) and delivered later, after
  newer requests, possibly more than once (:meth:`FaultyTransport.release` / at random on later calls);
* **outages** — the link is down for a run of consecutive calls.

Nothing here sleeps: "later" means after other calls. Every decision comes from the ``random.Random`` it is given,
so a failing seed replays exactly.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from posapp.sync.protocol import (
    Conflict,
    DigestRequest,
    DigestResponse,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    Transport,
    TransportError,
)


@dataclass(frozen=True)
class FaultSchedule:
    drop_request: float = 0.0
    drop_response: float = 0.0
    duplicate: float = 0.0
    delay: float = 0.0
    release: float = 0.0          # chance, per call, that held-back requests are delivered now
    outage: float = 0.0           # chance, per call, that the link goes down for 1..outage_len calls
    outage_len: int = 3

    @classmethod
    def from_seed(cls, seed: int) -> FaultSchedule:
        """A schedule of its own for each seed: from a clean link to a very bad one."""
        rng = random.Random(seed * 7919 + 17)
        bad = rng.choice((0.0, 0.03, 0.08, 0.15, 0.3))
        return cls(drop_request=rng.uniform(0, bad), drop_response=rng.uniform(0, bad),
                   duplicate=rng.uniform(0, bad), delay=rng.uniform(0, bad), release=rng.uniform(0.1, 0.6),
                   outage=rng.uniform(0, bad / 4), outage_len=rng.randint(1, 5))


class FaultyTransport:
    def __init__(self, inner: Transport, rng: random.Random, schedule: FaultSchedule) -> None:
        self.inner = inner
        self.rng = rng
        self.schedule = schedule
        self.held: list[PushRequest] = []
        self.stats: Counter[str] = Counter()
        self._down = 0
        self.enabled = True

    # -- the faults -------------------------------------------------------------------------------------------
    def _fail(self, what: str) -> TransportError:
        self.stats[what] += 1
        return TransportError(f"injected fault: {what}")

    def _before(self) -> None:
        """Link state and late deliveries; raises when the request does not get through."""
        if not self.enabled:
            return
        s = self.schedule
        if self.held and self.rng.random() < s.release:
            self.release(count=self.rng.randint(1, len(self.held)))
        if self._down > 0:
            self._down -= 1
            raise self._fail("outage")
        if self.rng.random() < s.outage:
            self._down = self.rng.randint(1, s.outage_len) - 1
            raise self._fail("outage")
        if self.rng.random() < s.drop_request:
            raise self._fail("drop_request")

    def _after(self) -> None:
        if self.enabled and self.rng.random() < self.schedule.drop_response:
            raise self._fail("drop_response")

    def release(self, *, count: int | None = None) -> int:
        """Deliver held-back push requests now, in random order (their answers go nowhere)."""
        self.rng.shuffle(self.held)
        n = len(self.held) if count is None else min(count, len(self.held))
        late, self.held = self.held[:n], self.held[n:]
        for req in late:
            self.stats["late_delivery"] += 1
            self.inner.push(req)
            if self.rng.random() < self.schedule.duplicate:   # a late copy may arrive more than once
                self.stats["late_duplicate"] += 1
                self.inner.push(req)
        return n

    # -- Transport --------------------------------------------------------------------------------------------
    def push(self, request: PushRequest) -> PushResponse:
        self._before()
        if self.enabled and self.rng.random() < self.schedule.delay:
            self.held.append(request)
            raise self._fail("delay")
        response = self.inner.push(request)
        if self.enabled and self.rng.random() < self.schedule.duplicate:
            self.stats["duplicate"] += 1
            response = self.inner.push(request)
        self._after()
        return response

    def pull(self, request: PullRequest) -> PullResponse:
        self._before()
        response = self.inner.pull(request)
        if self.enabled and self.rng.random() < self.schedule.duplicate:
            self.stats["duplicate"] += 1
            response = self.inner.pull(request)
        self._after()
        return response

    def digest(self, request: DigestRequest) -> DigestResponse:
        self._before()
        response = self.inner.digest(request)
        self._after()
        return response

    def conflicts(self, store_id: str, *, limit: int = 100) -> tuple[Conflict, ...]:
        self._before()
        response = self.inner.conflicts(store_id, limit=limit)
        self._after()
        return response

    def __getattr__(self, name: str) -> Any:      # anything else the inner transport offers (close, ...)
        return getattr(self.inner, name)


__all__ = ["FaultSchedule", "FaultyTransport"]
