"""Sending text messages to customers. The carrier's SMS gateway cannot exist here, so the app ships a
simulator that says it is one; the UI shows its label wherever a message is "sent"."""

from __future__ import annotations

import threading
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from posapp.adapters.controls import SmsTestControls


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    to_e164: str
    text: str
    sent_at: datetime


class SmsGateway(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def is_simulator(self) -> bool: ...

    @property
    def configured(self) -> bool: ...

    def test_controls(self) -> SmsTestControls | None:
        """The simulator's inbox (read a "sent" text); None for a real or a not-configured gateway."""
        ...

    def send(self, to_e164: str, text: str) -> str:
        """Send ``text``; return the gateway's message id. Raises SmsUnavailable when it cannot."""
        ...


class SmsUnavailable(RuntimeError):
    """The gateway could not take the message (offline, refused)."""


class _SmsControls:
    def __init__(self, gateway: SimulatedSmsGateway) -> None:
        self._gateway = gateway

    def message_text(self, message_id: str) -> str | None:
        msg = self._gateway.message(message_id)
        return msg.text if msg is not None else None


class SimulatedSmsGateway:
    """Keeps the last messages in memory so a demo can show them on the rep's screen. Never logs the text."""

    label = "SMS SIMULATOR — no real message is sent"
    is_simulator = True
    configured = True

    def __init__(self, *, keep: int = 50, fail: bool = False) -> None:
        self._sent: deque[SentMessage] = deque(maxlen=keep)
        self._lock = threading.Lock()
        self.fail = fail
        self._controls = _SmsControls(self)

    def test_controls(self) -> SmsTestControls:
        return self._controls

    def send(self, to_e164: str, text: str) -> str:
        if self.fail:
            raise SmsUnavailable("The SMS simulator was set to fail.")
        msg = SentMessage(f"SIM-{uuid.uuid4().hex[:12]}", to_e164, text, datetime.now(UTC))
        with self._lock:
            self._sent.append(msg)
        return msg.message_id

    def sent(self) -> list[SentMessage]:
        with self._lock:
            return list(self._sent)

    def message(self, message_id: str) -> SentMessage | None:
        with self._lock:
            return next((m for m in self._sent if m.message_id == message_id), None)
