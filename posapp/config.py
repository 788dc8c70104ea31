"""Typed settings, declared in one place.

Each setting has a key, a type, a default, a label and a validator. Values live in the local database's
``setting`` table (written through :class:`posapp.services.settings.SettingsService`, audited); this module
only declares and parses them, it does no I/O.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from posapp.errors import ValidationError


@dataclass(frozen=True)
class SettingSpec:
    key: str
    kind: type
    default: Any
    label: str
    help: str = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    check: Callable[[Any], str | None] | None = None

    def parse(self, raw: object) -> Any:
        """Turn user text (or a stored JSON value) into a typed value, or raise ValidationError."""
        value: Any
        try:
            if self.kind is bool:
                if isinstance(raw, bool):
                    value = raw
                else:
                    text = str(raw).strip().lower()
                    if text not in {"true", "false", "1", "0", "yes", "no", "on", "off"}:
                        raise ValueError(text)
                    value = text in {"true", "1", "yes", "on"}
            elif self.kind is int:
                if isinstance(raw, bool):
                    raise ValueError(raw)
                value = int(str(raw).strip())
            else:
                value = str(raw).strip()
        except ValueError:
            raise ValidationError(f"{self.key}: expected {self.kind.__name__}, got {raw!r}") from None
        if self.choices and value not in self.choices:
            raise ValidationError(f"{self.key}: must be one of {', '.join(self.choices)}")
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(f"{self.key}: must be at least {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(f"{self.key}: must be at most {self.maximum}")
        if self.check is not None:
            problem = self.check(value)
            if problem:
                raise ValidationError(f"{self.key}: {problem}")
        return value


#: The known drivers of each device setting (a real driver is added here and in posapp.adapters.factory).
ADAPTER_CHOICES: tuple[str, ...] = ("simulator", "none")
#: Device settings -> what the screen calls the device.
DEVICE_SETTINGS: Mapping[str, str] = {"payment_terminal": "card terminal", "sms_gateway": "SMS gateway",
                                      "cash_drawer": "cash drawer", "provisioning": "carrier provisioning",
                                      "block_list": "block list"}

_CODE = re.compile(r"^[A-Z0-9]{2,10}$")


def _code(value: str) -> str | None:
    return None if _CODE.match(value) else "use 2–10 capital letters or digits"


def _timezone(value: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r} (use an IANA name such as America/Los_Angeles)"
    return None


def _url(value: str) -> str | None:
    if value == "" or re.match(r"^[a-z][a-z0-9+]*://", value):
        if re.search(r"://[^/@]*:[^/@]+@", value):
            return "do not put the password in the URL; it is kept in the OS keyring"
        return None
    return "expected a SQLAlchemy URL such as postgresql+psycopg://user@host/db, or empty for the embedded store"


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("store_id", str, "S001", "Store number", "The store this PC belongs to.", check=_code),
    SettingSpec("terminal_id", str, "T01", "Terminal", "This PC's terminal id within the store.", check=_code),
    SettingSpec("store_name", str, "Demo Wireless — Pike St", "Store name", "Printed on receipts."),
    SettingSpec("store_address", str, "1500 Pike St, Seattle, WA 98101", "Store address"),
    SettingSpec("store_timezone", str, "America/Los_Angeles", "Store time zone", check=_timezone),
    SettingSpec("tax_jurisdiction", str, "US-WA-SEATTLE", "Tax jurisdiction",
                "Key of the store's rule in resources/data/tax_rules.json."),
    SettingSpec("idle_lock_minutes", int, 5, "Lock screen after idle minutes", minimum=1, maximum=120),
    SettingSpec("max_pin_failures", int, 5, "Failed PIN attempts before lockout", minimum=3, maximum=10),
    SettingSpec("lockout_minutes", int, 15, "Lockout duration (minutes)", minimum=1, maximum=1440),
    SettingSpec("central_url", str, "", "Central store URL",
                "Empty: the embedded SQLite central store in the data directory.", check=_url),
    SettingSpec("sync_enabled", bool, True, "Sync with the central store",
                "Send changes to the central store and receive head office's in the background."),
    SettingSpec("sync_interval_seconds", int, 60, "Sync every (seconds)",
                "How often the background sync runs; after failures it waits longer (up to 5 minutes).",
                minimum=5, maximum=3600),
    SettingSpec("sync_full_check_hours", int, 6, "Full convergence check every (hours)",
                "After each sync only the entities it pushed or pulled are compared with the central store; every "
                "entity is compared at least this often (0: every entity after every sync).",
                minimum=0, maximum=168),
    SettingSpec("training_mode", bool, True, "Training mode",
                "On: simulators may stand in for devices and every receipt says TRAINING — not a receipt for "
                "payment. A new install (and a data folder from an earlier release) starts in training mode; "
                "turning it off is refused while any device is a simulator."),
    SettingSpec("payment_terminal", str, "simulator", "Card terminal",
                "simulator (training only) or none (card tender off, e.g. a cash-only store).",
                choices=ADAPTER_CHOICES),
    SettingSpec("sms_gateway", str, "simulator", "SMS gateway",
                "simulator (training only) or none (no one-time codes by text).", choices=ADAPTER_CHOICES),
    SettingSpec("cash_drawer", str, "simulator", "Cash drawer",
                "simulator (training only) or none (no drawer is kicked open).", choices=ADAPTER_CHOICES),
    SettingSpec("provisioning", str, "simulator", "Carrier provisioning",
                "simulator (training only) or none (activations stay queued, shown as pending).",
                choices=ADAPTER_CHOICES),
    SettingSpec("carrier_sim_delay_seconds", int, 5, "Carrier simulator answer delay (seconds)",
                "How long the carrier simulator takes for each step of an answer.", minimum=0, maximum=600),
    SettingSpec("block_list", str, "simulator", "Block list",
                "simulator (training only) or none (no lost/stolen check: a customer's own device cannot be "
                "activated).", choices=ADAPTER_CHOICES),
    SettingSpec("printer_name", str, "", "Receipt printer", "Empty: ask with the print dialog."),
    SettingSpec("receipt_format", str, "thermal", "Receipt format", choices=("thermal", "letter")),
    SettingSpec("return_window_days", int, 14, "Return window (days)", minimum=0, maximum=90),
    SettingSpec("discount_limit_percent", int, 20, "Line discount without a manager (%)",
                "A larger discount on a line needs a manager's override.", minimum=0, maximum=100),
    SettingSpec("customer_display", bool, True, "Show the customer-facing window"),
    SettingSpec("signature_threshold_cents", int, 50_000, "Signature needed from (cents)",
                "A sale of at least this amount needs the customer's signature (0: only devices, EIP payments "
                "and card payments need one).", minimum=0, maximum=10_000_000),
    SettingSpec("offline_card_max_cents", int, 50_000, "Offline card limit per sale (cents)",
                "Largest card payment taken while the store link is down.", minimum=0, maximum=1_000_000),
    SettingSpec("offline_card_total_cents", int, 200_000, "Offline card limit, all pending (cents)",
                "Most that offline card payments not yet forwarded may add up to.", minimum=0,
                maximum=10_000_000),
    SettingSpec("offline_forward_hours", int, 24, "Forward offline card payments within (hours)",
                minimum=1, maximum=168),
    SettingSpec("proration_divisor_days", int, 30, "Proration divisor (days a month)",
                "A plan change mid-cycle credits and charges each day as 1/divisor of the monthly price.",
                minimum=28, maximum=31),
    SettingSpec("autopay_discount_cents", int, 500, "AutoPay discount per line (cents)",
                "Bank account or debit card only, from the second full cycle on AutoPay.", minimum=0,
                maximum=5_000),
    SettingSpec("autopay_max_lines", int, 8, "AutoPay discount for at most (lines)", minimum=0, maximum=50),
    SettingSpec("unlock_postpaid_days", int, 40, "Unlock: postpaid days active on the line",
                "A postpaid device can be unlocked after this many days on the requesting line.",
                minimum=0, maximum=730),
    SettingSpec("unlock_prepaid_days", int, 365, "Unlock: prepaid days active on the line",
                "A prepaid device can be unlocked after this many days on the requesting line.",
                minimum=0, maximum=730),
    SettingSpec("unlock_prepaid_max_per_year", int, 2, "Unlock: prepaid unlocks per line in 12 months",
                "At most this many unlocks of one prepaid line in any 12 months.", minimum=0, maximum=12),
)

SPEC_BY_KEY: Mapping[str, SettingSpec] = {s.key: s for s in SPECS}


@dataclass(frozen=True)
class Settings:
    """A snapshot of all settings; build it with :func:`settings_from_values`."""

    store_id: str = "S001"
    terminal_id: str = "T01"
    store_name: str = "Demo Wireless — Pike St"
    store_address: str = "1500 Pike St, Seattle, WA 98101"
    store_timezone: str = "America/Los_Angeles"
    tax_jurisdiction: str = "US-WA-SEATTLE"
    idle_lock_minutes: int = 5
    max_pin_failures: int = 5
    lockout_minutes: int = 15
    central_url: str = ""
    sync_enabled: bool = True
    sync_interval_seconds: int = 60
    sync_full_check_hours: int = 6
    training_mode: bool = True
    payment_terminal: str = "simulator"
    sms_gateway: str = "simulator"
    cash_drawer: str = "simulator"
    provisioning: str = "simulator"
    carrier_sim_delay_seconds: int = 5
    block_list: str = "simulator"
    printer_name: str = ""
    receipt_format: str = "thermal"
    return_window_days: int = 14
    discount_limit_percent: int = 20
    customer_display: bool = True
    signature_threshold_cents: int = 50_000
    offline_card_max_cents: int = 50_000
    offline_card_total_cents: int = 200_000
    offline_forward_hours: int = 24
    proration_divisor_days: int = 30
    autopay_discount_cents: int = 500
    autopay_max_lines: int = 8
    unlock_postpaid_days: int = 40
    unlock_prepaid_days: int = 365
    unlock_prepaid_max_per_year: int = 2
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}


def simulated_devices(values: Mapping[str, Any]) -> list[str]:
    """The device settings (of :data:`DEVICE_SETTINGS`) whose value is the simulator, in declaration order."""
    return [key for key in DEVICE_SETTINGS if values.get(key) == "simulator"]


def spec(key: str) -> SettingSpec:
    try:
        return SPEC_BY_KEY[key]
    except KeyError:
        known = ", ".join(sorted(SPEC_BY_KEY))
        raise ValidationError(f"unknown setting {key!r}; known settings: {known}") from None


def settings_from_values(values: Mapping[str, Any]) -> Settings:
    """Build a Settings snapshot from stored values; unknown keys are ignored, bad values fall back to defaults."""
    kwargs: dict[str, Any] = {}
    for s in SPECS:
        if s.key in values:
            try:
                kwargs[s.key] = s.parse(values[s.key])
            except ValidationError:
                kwargs[s.key] = s.default
        else:
            kwargs[s.key] = s.default
    return Settings(**kwargs)


assert {s.key for s in SPECS} == {f.name for f in fields(Settings)} - {"extra"}, "Settings and SPECS disagree"
