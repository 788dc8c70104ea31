"""Plain-Python core events. The UI re-emits them as Qt signals through a thin adapter (ui/bridge.py)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DataChanged:
    """A write transaction committed; ``entities`` names the tables it touched."""

    entities: frozenset[str]
    outbox_added: int = 0


@dataclass(frozen=True)
class SettingsChanged:
    keys: frozenset[str] = field(default_factory=frozenset)


Event = DataChanged | SettingsChanged
Listener = Callable[[Event], None]


class EventBus:
    """Synchronous publish/subscribe; listeners run on the publishing thread and must not raise."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("event listener failed for %s", type(event).__name__)
