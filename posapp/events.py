"""Plain-Python core events. The UI re-emits them as Qt signals through a thin adapter (ui/bridge.py)."""

from __future__ import annotations

import logging
import threading
import uuid
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


@dataclass(frozen=True)
class EsimCodeReady:
    """The carrier issued an eSIM profile for an activation line. In memory only: the customer window turns
    ``code`` into a QR code; nothing else may store, log or print it (``masked`` is safe to show)."""

    activation_line_id: uuid.UUID
    code: str = field(repr=False)
    masked: str


@dataclass(frozen=True)
class LineStatusChanged:
    """An activation line's status changed (the provisioning queue, a carrier answer, sync)."""

    activation_id: uuid.UUID
    activation_line_id: uuid.UUID
    status: str
    reason: str | None = None


Event = DataChanged | SettingsChanged | EsimCodeReady | LineStatusChanged
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
