"""What the UI may ask of a device adapter beyond its business methods.

Every adapter (card terminal, cash drawer, SMS gateway, the carrier's provisioning) says what it is through
:class:`AdapterInfo`-shaped attributes (``label``, ``is_simulator``, ``configured``) and offers its test controls —
the buttons a trainer uses to play the customer's part — only through ``test_controls()``. A simulator returns its
controls object; a real driver, and the "not configured" adapter, return ``None``. The UI never calls a simulator's
own methods: it asks ``adapter.test_controls()`` and, when it gets an object, shows what that object offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@runtime_checkable
class AdapterInfo(Protocol):
    @property
    def label(self) -> str:
        """What the screen and the receipt call this device (a simulator's label says it is one)."""
        ...

    @property
    def is_simulator(self) -> bool: ...

    @property
    def configured(self) -> bool:
        """False for the "none" adapter (e.g. a cash-only store has no card terminal): the feature is off."""
        ...


@dataclass(frozen=True)
class TestCard:
    """A public test card a simulated terminal can "read": its key and what the trainer sees."""

    __test__ = False  # not a pytest test class, though its name starts with "Test"
    key: str
    label: str


class CardTestControls(Protocol):
    """A simulated card terminal's controls: which test card the "customer" presents next."""

    def cards(self) -> tuple[TestCard, ...]: ...

    def present_card(self, key: str) -> None: ...


class SmsTestControls(Protocol):
    """A simulated SMS gateway's controls: read a message it "sent" (only a simulator can show the text)."""

    def message_text(self, message_id: str) -> str | None: ...


class DrawerTestControls(Protocol):
    """A simulated cash drawer's controls: the openings it recorded, newest last."""

    def openings(self) -> tuple[str, ...]: ...


class CarrierTestControls(Protocol):
    """A simulated carrier's controls: take the link down or up, lose the next submit's acknowledgement (the
    carrier records the request but the answer times out), and what it activated for a number."""

    def go_offline(self) -> None: ...

    def go_online(self) -> None: ...

    def time_out_next_submit(self) -> None: ...

    def completed(self, msisdn: str) -> tuple[str, ...]:
        """The actions the carrier completed for ``msisdn`` (``activate``, ``port_in``, ...), oldest first."""
        ...


class BlockListTestControls(Protocol):
    """A simulated block list's controls: take it offline (it answers unknown) and list what it reports blocked."""

    def set_offline(self, offline: bool) -> None: ...

    def blocked_imeis(self) -> tuple[str, ...]: ...
