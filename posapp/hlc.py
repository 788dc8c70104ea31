"""Hybrid logical clock (Kulkarni et al.): physical ms + logical counter, ordered across terminals.

A stamp is text ``"<ms:013d>.<counter:05d>.<node>"`` so that ordering stamps as strings orders them as clocks,
with the node (store/terminal) as the tie-break.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Stamp:
    ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.ms:013d}.{self.counter:05d}.{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        ms, counter, node = text.split(".", 2)
        return cls(int(ms), int(counter), node)


class HybridLogicalClock:
    def __init__(self, node: str, *, wall_ms: Callable[[], int] | None = None, last: Stamp | None = None) -> None:
        self._node = node
        self._wall = wall_ms or (lambda: time.time_ns() // 1_000_000)
        self._ms = last.ms if last else 0
        self._counter = last.counter if last else 0
        self._lock = threading.Lock()

    def now(self) -> Stamp:
        """A stamp for a local event, greater than every stamp issued or received before."""
        with self._lock:
            wall = self._wall()
            if wall > self._ms:
                self._ms, self._counter = wall, 0
            else:
                self._counter += 1
            return Stamp(self._ms, self._counter, self._node)

    def observe(self, remote: Stamp) -> Stamp:
        """Merge a stamp received from elsewhere and return a new local stamp after it."""
        with self._lock:
            wall = self._wall()
            top = max(wall, self._ms, remote.ms)
            if top == self._ms == remote.ms:
                self._counter = max(self._counter, remote.counter) + 1
            elif top == self._ms:
                self._counter += 1
            elif top == remote.ms:
                self._counter = remote.counter + 1
            else:
                self._counter = 0
            self._ms = top
            return Stamp(self._ms, self._counter, self._node)
