from __future__ import annotations

import pytest

from posapp.config import SPECS, Settings, settings_from_values, spec
from posapp.errors import ValidationError


def test_defaults_match_the_settings_dataclass() -> None:
    defaults = settings_from_values({})
    assert defaults == Settings()
    assert {s.key for s in SPECS} == set(defaults.as_dict())


@pytest.mark.parametrize(("key", "raw", "expected"), [
    ("idle_lock_minutes", " 7 ", 7), ("customer_display", "off", False), ("store_id", "S042", "S042"),
    ("receipt_format", "letter", "letter"), ("store_timezone", "America/Chicago", "America/Chicago"),
    ("central_url", "postgresql+psycopg://pos@hq.example/posapp", "postgresql+psycopg://pos@hq.example/posapp"),
    ("proration_divisor_days", "31", 31), ("autopay_discount_cents", "0", 0), ("autopay_max_lines", "10", 10),
    ("unlock_postpaid_days", "60", 60), ("unlock_prepaid_days", "180", 180), ("unlock_prepaid_max_per_year", "3", 3),
])
def test_good_values_parse(key: str, raw: str, expected: object) -> None:
    assert spec(key).parse(raw) == expected


@pytest.mark.parametrize(("key", "raw", "words"), [
    ("idle_lock_minutes", "0", "at least"), ("idle_lock_minutes", "ten", "expected int"),
    ("receipt_format", "a4", "one of"), ("store_id", "s 1", "capital"), ("store_timezone", "Mars/Base", "time zone"),
    ("central_url", "postgresql://pos:secret@hq/db", "keyring"), ("nope", "1", "unknown setting"),
    ("proration_divisor_days", "27", "at least 28"), ("proration_divisor_days", "32", "at most 31"),
    ("autopay_discount_cents", "-1", "at least 0"), ("autopay_max_lines", "51", "at most 50"),
    ("unlock_postpaid_days", "-1", "at least 0"), ("unlock_prepaid_max_per_year", "13", "at most 12"),
])
def test_bad_values_are_rejected_with_a_reason(key: str, raw: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        spec(key).parse(raw)


def test_stored_garbage_falls_back_to_default() -> None:
    assert settings_from_values({"idle_lock_minutes": "garbage"}).idle_lock_minutes == 5


def test_plan_change_defaults_follow_domain() -> None:
    s = Settings()
    assert (s.proration_divisor_days, s.autopay_discount_cents, s.autopay_max_lines) == (30, 500, 8)


def test_training_mode_and_the_device_settings() -> None:
    defaults = Settings()
    assert defaults.training_mode is True  # a new install, and a data folder without the row, start in training
    assert (defaults.payment_terminal, defaults.sms_gateway, defaults.cash_drawer) == ("simulator",) * 3
    assert settings_from_values({"payment_terminal": "none"}).payment_terminal == "none"
    assert spec("training_mode").parse("false") is False
    for key in ("payment_terminal", "sms_gateway", "cash_drawer", "provisioning"):
        assert spec(key).choices == ("simulator", "none")
        with pytest.raises(ValidationError, match="one of simulator, none"):
            spec(key).parse("acme-9000")


def test_unlock_defaults_follow_domain() -> None:
    s = Settings()
    assert (s.unlock_postpaid_days, s.unlock_prepaid_days, s.unlock_prepaid_max_per_year) == (40, 365, 2)
