"""The card payment terminal. Our code asks it to charge an amount under an idempotency key; the customer's card
is read by the terminal, and only a token, the brand, the last 4 digits and an auth code come back. The full card
number and CVV never reach posapp.

:class:`SimulatedTerminal` is a clearly labelled simulator with outcomes chosen by amount:
cents ending in ``13`` are declined, ``57`` time out (the charge *did* go through — a re-query finds it approved),
``58`` time out and were in fact declined; everything else is approved.

Offline (store-and-forward) mode, for when the store link is down: :meth:`charge_offline` approves on the terminal
alone (the auth code starts with :data:`OFFLINE_AUTH_PREFIX`, the marker of an offline approval) and keeps the
payment; :meth:`forward` sends it to the processor once the link is back, which settles it or declines it — in
the simulator by the same amount rules (``13`` and ``58`` are declined; nothing times out offline).
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from posapp.adapters.controls import CardTestControls, TestCard

OFFLINE_AUTH_PREFIX = "OFL"


class TerminalStatus(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class TerminalResult:
    status: TerminalStatus
    token: str | None = None
    brand: str | None = None
    last4: str | None = None
    auth_code: str | None = None
    reason: str | None = None
    offline: bool = False  # approved by the terminal alone (store-and-forward); forward() settles it later


class PaymentTerminal(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def is_simulator(self) -> bool: ...

    @property
    def configured(self) -> bool: ...

    def test_controls(self) -> CardTestControls | None:
        """The simulator's "customer presents a card" controls; None for a real or a not-configured terminal."""
        ...

    def charge(self, idempotency_key: str, amount_cents: int) -> TerminalResult:
        """Charge the card the customer presents. The same key twice never charges twice: the second call
        answers with the first call's outcome."""
        ...

    def refund(self, idempotency_key: str, token: str, amount_cents: int) -> TerminalResult:
        """Refund to the card behind ``token`` (from an earlier approved charge)."""
        ...

    def query(self, idempotency_key: str) -> TerminalResult | None:
        """The final outcome of an earlier attempt, or None if the terminal never received it."""
        ...

    def charge_offline(self, idempotency_key: str, amount_cents: int) -> TerminalResult:
        """Store-and-forward: approve on the terminal alone (``offline=True``, auth code ``OFL…``) while the link
        to the processor is down. Same key twice: the first outcome."""
        ...

    def forward(self, idempotency_key: str) -> TerminalResult:
        """Send a stored offline payment to the processor: APPROVED (settled, with the processor's auth code) or
        DECLINED; TIMEOUT when the processor cannot be reached (try again later). Asking twice gives the first
        final outcome; an unknown key is DECLINED."""
        ...


@dataclass(frozen=True)
class _TestCard:
    brand: str
    pan: str


# Well-known public test numbers. They stay inside the simulator: only brand and last 4 ever leave it.
TEST_CARDS: dict[str, _TestCard] = {
    "visa": _TestCard("Visa", "4111111111111111"),
    "mastercard": _TestCard("Mastercard", "5555555555554444"),
    "amex": _TestCard("Amex", "378282246310005"),
    "discover": _TestCard("Discover", "6011111111111117"),
}


class _CardControls:
    def __init__(self, terminal: SimulatedTerminal) -> None:
        self._terminal = terminal

    def cards(self) -> tuple[TestCard, ...]:
        return tuple(TestCard(key, f"{c.brand} test card ••••{c.pan[-4:]}") for key, c in TEST_CARDS.items())

    def present_card(self, key: str) -> None:
        self._terminal.present_card(key)


class SimulatedTerminal:
    label = "CARD TERMINAL SIMULATOR — no real card is charged"
    is_simulator = True
    configured = True

    def __init__(self, *, card: str = "visa") -> None:
        self._lock = threading.Lock()
        self._card = TEST_CARDS[card]
        self._final: dict[str, TerminalResult] = {}
        self._offline: dict[str, tuple[int, TerminalResult]] = {}  # key -> (amount, offline approval)
        self._forwarded: dict[str, TerminalResult] = {}
        self.charges: Counter[str] = Counter()  # idempotency key -> times money actually moved
        self.calls: Counter[str] = Counter()    # idempotency key -> times asked
        self._controls = _CardControls(self)

    def test_controls(self) -> CardTestControls:
        return self._controls

    def present_card(self, name: str) -> None:
        """Simulate the customer inserting one of :data:`TEST_CARDS` for the next charge."""
        with self._lock:
            self._card = TEST_CARDS[name]

    def _approved(self, key: str, card: _TestCard) -> TerminalResult:
        digest = hashlib.sha256(f"{key}|{card.pan}".encode()).hexdigest()
        return TerminalResult(TerminalStatus.APPROVED, token=f"tok_{digest[:24]}", brand=card.brand,
                              last4=card.pan[-4:], auth_code=digest[24:30].upper())

    def charge(self, idempotency_key: str, amount_cents: int) -> TerminalResult:
        with self._lock:
            self.calls[idempotency_key] += 1
            if idempotency_key in self._final:
                return self._final[idempotency_key]
            ending = amount_cents % 100
            card = self._card
            if ending in (13, 58):
                final = TerminalResult(TerminalStatus.DECLINED, brand=card.brand, last4=card.pan[-4:],
                                       reason="declined by issuer (simulated)")
            else:
                final = self._approved(idempotency_key, card)
                self.charges[idempotency_key] += 1
            self._final[idempotency_key] = final
            if ending in (57, 58) and self.calls[idempotency_key] == 1:
                return TerminalResult(TerminalStatus.TIMEOUT, reason="no answer from the terminal (simulated)")
            return final

    def refund(self, idempotency_key: str, token: str, amount_cents: int) -> TerminalResult:
        with self._lock:
            self.calls[idempotency_key] += 1
            if idempotency_key not in self._final:
                digest = hashlib.sha256(f"{idempotency_key}|{token}".encode()).hexdigest()
                self._final[idempotency_key] = TerminalResult(
                    TerminalStatus.APPROVED, token=token, brand=self._card.brand, last4=self._card.pan[-4:],
                    auth_code=digest[:6].upper())
                self.charges[idempotency_key] += 1
            return self._final[idempotency_key]

    def query(self, idempotency_key: str) -> TerminalResult | None:
        with self._lock:
            if idempotency_key in self._final:
                return self._final[idempotency_key]
            stored = self._offline.get(idempotency_key)
            return stored[1] if stored is not None else None

    # -- store-and-forward -------------------------------------------------------------------------------------
    def charge_offline(self, idempotency_key: str, amount_cents: int) -> TerminalResult:
        with self._lock:
            self.calls[idempotency_key] += 1
            if idempotency_key not in self._offline:
                card = self._card
                digest = hashlib.sha256(f"{idempotency_key}|{card.pan}|offline".encode()).hexdigest()
                self._offline[idempotency_key] = (amount_cents, TerminalResult(
                    TerminalStatus.APPROVED, token=f"tok_{digest[:24]}", brand=card.brand, last4=card.pan[-4:],
                    auth_code=OFFLINE_AUTH_PREFIX + digest[24:27].upper(), offline=True))
            return self._offline[idempotency_key][1]

    def forward(self, idempotency_key: str) -> TerminalResult:
        with self._lock:
            self.calls[idempotency_key] += 1
            if idempotency_key in self._forwarded:
                return self._forwarded[idempotency_key]
            stored = self._offline.get(idempotency_key)
            if stored is None:
                return TerminalResult(TerminalStatus.DECLINED, reason="no stored offline payment (simulated)")
            amount, offline = stored
            if amount % 100 in (13, 58):
                final = TerminalResult(TerminalStatus.DECLINED, token=offline.token, brand=offline.brand,
                                       last4=offline.last4, reason="declined by issuer at forwarding (simulated)")
            else:
                digest = hashlib.sha256(f"{idempotency_key}|forward".encode()).hexdigest()
                final = TerminalResult(TerminalStatus.APPROVED, token=offline.token, brand=offline.brand,
                                       last4=offline.last4, auth_code=digest[:6].upper())
                self.charges[idempotency_key] += 1
            self._forwarded[idempotency_key] = final
            return final
