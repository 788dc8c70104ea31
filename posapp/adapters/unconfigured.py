"""The "none" adapters: a device this store does not have (``payment_terminal none`` in a cash-only store) or one
whose simulator was refused because training mode is off. ``configured`` is False, the label says so plainly, and
every business method raises :class:`DeviceNotConfigured` (callers check ``configured`` first and switch the
feature off). They offer no test controls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from posapp.adapters.block_list import BlockResult
from posapp.adapters.payment_terminal import TerminalResult
from posapp.adapters.provisioning import Ack, Answer
from posapp.errors import PosError


class DeviceNotConfigured(PosError):
    """The device this action needs is not configured on this terminal."""


class NotConfiguredDevice:
    label = "No device configured"
    device = "device"
    setting = ""
    is_simulator = False
    configured = False

    def __init__(self, *, reason: str = "") -> None:
        self.reason = reason  # why: "" (set to none) or e.g. "its simulator is refused outside training mode"

    def test_controls(self) -> None:
        return None

    def _refuse(self) -> DeviceNotConfigured:
        why = f" ({self.reason})" if self.reason else ""
        return DeviceNotConfigured(f"No {self.device} is configured on this terminal{why}; an admin sets "
                                   f"{self.setting}.")


class NoTerminal(NotConfiguredDevice):
    label = "No card terminal configured"
    device = "card terminal"
    setting = "payment_terminal"

    def charge(self, idempotency_key: str, amount_cents: int) -> TerminalResult:
        raise self._refuse()

    def refund(self, idempotency_key: str, token: str, amount_cents: int) -> TerminalResult:
        raise self._refuse()

    def query(self, idempotency_key: str) -> TerminalResult | None:
        raise self._refuse()

    def charge_offline(self, idempotency_key: str, amount_cents: int) -> TerminalResult:
        raise self._refuse()

    def forward(self, idempotency_key: str) -> TerminalResult:
        raise self._refuse()


class NoSmsGateway(NotConfiguredDevice):
    label = "No SMS gateway configured"
    device = "SMS gateway"
    setting = "sms_gateway"

    def send(self, to_e164: str, text: str) -> str:
        raise self._refuse()


class NoCashDrawer(NotConfiguredDevice):
    label = "No cash drawer configured"
    device = "cash drawer"
    setting = "cash_drawer"

    def open(self, reason: str) -> None:
        raise self._refuse()


class NoCarrier(NotConfiguredDevice):
    label = "No carrier provisioning configured"
    device = "carrier provisioning link"
    setting = "provisioning"

    def submit(self, request_id: str, action: str, payload: Mapping[str, Any], transfer_pin: str | None) -> Ack:
        raise self._refuse()

    def poll(self, request_ids: Sequence[str]) -> list[Answer]:
        raise self._refuse()


class NoBlockList(NotConfiguredDevice):
    label = "No block list configured"
    device = "block list"
    setting = "block_list"

    def check(self, imei: str) -> BlockResult:
        raise self._refuse()
