"""The lost/stolen device block list (GSMA device registry, reached through the carrier). It cannot exist here, so
the app ships a simulator that says it is one; the "none" adapter (:class:`posapp.adapters.unconfigured.NoBlockList`)
answers nothing, and a device cannot be activated without a clear answer."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from posapp.adapters.controls import BlockListTestControls
from posapp.paths import resources_dir

BlockStatus = Literal["clear", "blocked", "unknown"]
SIMULATED_LIST = "data/simulated_block_list.json"


@dataclass(frozen=True)
class BlockResult:
    status: BlockStatus
    reason: str = ""  # why blocked (e.g. "reported stolen") or why unknown (e.g. "block list not reachable")


class BlockList(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def is_simulator(self) -> bool: ...

    @property
    def configured(self) -> bool: ...

    def test_controls(self) -> BlockListTestControls | None:
        """The simulator's controls (take it offline); None for a real or a not-configured block list."""
        ...

    def check(self, imei: str) -> BlockResult:
        """Look ``imei`` (15 digits) up. Never raises for a network problem: answers ``unknown`` instead."""
        ...


class _Controls:
    def __init__(self, block_list: SimulatedBlockList) -> None:
        self._list = block_list

    def set_offline(self, offline: bool) -> None:
        self._list.offline = offline

    def blocked_imeis(self) -> tuple[str, ...]:
        return tuple(sorted(self._list.entries))


def load_entries(path: Path | None = None) -> dict[str, str]:
    """IMEI -> reason from the simulator's data file."""
    with open(path or resources_dir() / SIMULATED_LIST, encoding="utf-8") as fh:
        data = json.load(fh)
    return {str(e["imei"]): str(e["reason"]) for e in data["blocked"]}


class SimulatedBlockList:
    """Deterministic: the IMEIs listed in ``resources/data/simulated_block_list.json`` are blocked, every other one
    is clear; offline (a test control) it answers unknown."""

    label = "BLOCK LIST SIMULATOR — no real registry is asked"
    is_simulator = True
    configured = True

    def __init__(self, *, entries: dict[str, str] | None = None, offline: bool = False) -> None:
        self.entries = dict(entries) if entries is not None else load_entries()
        self._lock = threading.Lock()
        self._offline = offline
        self._controls = _Controls(self)

    @property
    def offline(self) -> bool:
        with self._lock:
            return self._offline

    @offline.setter
    def offline(self, value: bool) -> None:
        with self._lock:
            self._offline = value

    def test_controls(self) -> BlockListTestControls:
        return self._controls

    def check(self, imei: str) -> BlockResult:
        if self.offline:
            return BlockResult("unknown", "the block list is not reachable (simulator set offline)")
        reason = self.entries.get(imei)
        return BlockResult("blocked", reason) if reason is not None else BlockResult("clear")
