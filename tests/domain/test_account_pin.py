from __future__ import annotations

from datetime import date

import pytest

from posapp.domain.account_pin import check_account_pin
from posapp.errors import ValidationError

PHONE = "+12065550142"


@pytest.mark.parametrize(("pin", "words"), [
    ("12345", "6 to 15"), ("1234567890123456", "6 to 15"), ("12a456", "6 to 15"),
    ("444444", "repeat"), ("345678", "run"), ("987654", "run"), ("890123", "run"),
    ("345612789", "account number"), ("206555", "phone"), ("550142", "phone"),
    ("07041990", "date of birth"), ("19900704", "date of birth"), ("123450000", "social security"),
])
def test_bad_pins_name_the_rule(pin: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        check_account_pin(pin, account_number="345612789", phone_numbers=[PHONE], date_of_birth=date(1990, 7, 4),
                          ssn="123-45-0000" if words == "social security" else "")


def test_previous_pin_is_refused_and_a_good_pin_passes() -> None:
    with pytest.raises(ValidationError, match="previous"):
        check_account_pin("739251", is_previous=lambda p: p == "739251")
    check_account_pin("739251", account_number="123456789", phone_numbers=[PHONE], date_of_birth=date(1990, 7, 4))
