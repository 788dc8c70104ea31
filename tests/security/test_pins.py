from __future__ import annotations

import pytest

from posapp.errors import ValidationError
from posapp.security.pins import check_employee_pin, hash_pin, verify_pin


def test_hash_verifies_only_the_right_pin_and_salts_differ() -> None:
    h1, s1, p1 = hash_pin("2580")
    h2, s2, _ = hash_pin("2580")
    assert s1 != s2 and h1 != h2, "per-user salt"
    assert verify_pin("2580", pin_hash=h1, salt=s1, params=p1)
    assert not verify_pin("2581", pin_hash=h1, salt=s1, params=p1)
    assert b"2580" not in h1 + s1
    assert p1.startswith("scrypt:")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "1111", "1234", "98765", "", "2580 "])
def test_weak_or_malformed_employee_pins_are_refused(pin: str) -> None:
    with pytest.raises(ValidationError):
        check_employee_pin(pin)


@pytest.mark.parametrize("pin", ["2580", "3691", "48260", "13572468"])
def test_good_employee_pins_pass(pin: str) -> None:
    check_employee_pin(pin)
