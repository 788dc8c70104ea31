"""IMEI, ICCID, EID and phone-number helpers (DOMAIN.md, Identifiers)."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import imei as std_imei
from stdnum import luhn

from posapp.domain import identifiers as ids
from posapp.errors import ValidationError

VALID_IMEI = "352099001761481"  # 35-209900-176148-1, the usual textbook IMEI
digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def test_imei_accepts_separators_and_checks_luhn() -> None:
    assert ids.normalize_imei("35-209900-176148-1") == VALID_IMEI
    assert ids.normalize_imei(" 35 209900 176148 1 ") == VALID_IMEI
    assert ids.imei_is_valid("35-209900-176148-1")
    with pytest.raises(ValidationError, match="check digit"):
        ids.normalize_imei("352099001761482")
    assert not ids.imei_is_valid("352099001761482")


def test_imeisv_is_never_luhn_checked() -> None:
    imeisv = "3520990017614823"  # TAC + serial + SVN 23: no check digit at all
    assert not ids.imei_is_valid(imeisv)
    with pytest.raises(ValidationError, match="IMEISV"):
        ids.normalize_imei(imeisv)
    assert ids.normalize_imei(imeisv, drop_svn=True) == VALID_IMEI  # SVN dropped, check digit computed
    assert ids.tac_of(imeisv) == "35209900"


@pytest.mark.parametrize("text", ["35209900176148", "3520990017614", "35209900176148A", "", "12345678901234567"])
def test_imei_rejects_wrong_shapes(text: str) -> None:
    assert not ids.imei_is_valid(text)
    with pytest.raises(ValidationError):
        ids.normalize_imei(text)


def test_tac() -> None:
    assert ids.tac_of(VALID_IMEI) == "35209900"
    with pytest.raises(ValidationError):
        ids.tac_of("3520")


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_luhn_check_digit_matches_stdnum(payload: str) -> None:
    number = payload + ids.luhn_check_digit(payload)
    assert luhn.is_valid(number)
    assert std_imei.is_valid(number)
    assert ids.normalize_imei(number) == number


@given(st.text(alphabet="0123456789", min_size=14, max_size=14), st.integers(0, 14), st.integers(1, 9))
def test_one_wrong_digit_is_caught(payload: str, pos: int, delta: int) -> None:
    number = payload + ids.luhn_check_digit(payload)
    wrong = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1:]
    assert not ids.imei_is_valid(wrong)


def test_imei_from_parts() -> None:
    assert ids.imei_from_parts("35209900", 176148) == VALID_IMEI
    with pytest.raises(ValueError):
        ids.imei_from_parts("3520990", 1)


def test_iccid() -> None:
    body = "890126012345678901"  # 18 digits: check digit missing
    full = body + ids.luhn_check_digit(body)
    assert ids.iccid_is_valid(full) and len(full) == 19
    assert not ids.iccid_is_valid(body)
    assert ids.iccid_complete(body) == full  # offered, not rejected
    assert ids.iccid_complete(full) == full
    assert ids.iccid_complete("8901 2601 2345 6789 01") == full
    twenty = "8901260123456789012"
    assert ids.iccid_is_valid(twenty + ids.luhn_check_digit(twenty))
    assert ids.iccid_complete("123456789012345678") is None  # not 89...
    assert not ids.iccid_is_valid("8" * 23)
    wrong = full[:-1] + str((int(full[-1]) + 1) % 10)
    assert not ids.iccid_is_valid(wrong) and ids.iccid_complete(wrong) is None


@given(st.text(alphabet="0123456789", min_size=30, max_size=30))
def test_eid_check_digits(first30: str) -> None:
    eid = ids.eid_with_check_digits(first30)
    assert len(eid) == 32 and eid.startswith(first30)
    assert int(eid) % 97 == 1
    assert ids.eid_is_valid(eid)
    assert ids.eid_with_check_digits(eid[:30] + "00") == eid  # 32 digits in: the last two are replaced
    for pos in (0, 15, 29, 31):
        wrong = eid[:pos] + str((int(eid[pos]) + 1) % 10) + eid[pos + 1:]
        assert not ids.eid_is_valid(wrong)


def test_eid_shapes() -> None:
    assert not ids.eid_is_valid("8904903200000000000000000000001")
    with pytest.raises(ValidationError):
        ids.eid_with_check_digits("123")


@pytest.mark.parametrize("text", ["(206) 555-0142", "206.555.0142", "+1 206 555 0142", "1-206-555-0142",
                                  "2065550142", "tel:+1-206-555-0142"])
def test_normalize_phone_us(text: str) -> None:
    assert ids.normalize_phone(text) == "+12065550142"


def test_normalize_phone_other_regions() -> None:
    assert ids.normalize_phone("+44 20 7946 0958") == "+442079460958"
    assert ids.normalize_phone("020 7946 0958", region="GB") == "+442079460958"


@pytest.mark.parametrize("text", ["555-0142", "(123) 555-0142", "hello", "", "+1 206 555 01420"])
def test_normalize_phone_rejects(text: str) -> None:
    with pytest.raises(ValidationError):
        ids.normalize_phone(text)


def test_phone_digits() -> None:
    assert ids.phone_digits("+12065550142") == "2065550142"
    assert ids.phone_digits("+442079460958") == "2079460958"
    assert ids.phone_digits("1 (206) 555-0142") == "2065550142"
    assert ids.phone_digits("555-01") == "55501"  # a partial number for prefix search stays as typed
    with pytest.raises(ValidationError):
        ids.phone_digits("+")


@given(st.integers(200, 999), st.integers(0, 9999))
def test_e164_round_trip(npa: int, sub: int) -> None:
    e164 = f"+1{npa}555{sub:04d}"
    number = phonenumbers.parse(e164)
    if phonenumbers.is_valid_number(number):
        assert ids.normalize_phone(f"({npa}) 555-{sub:04d}") == e164
        assert ids.phone_digits(e164) == f"{npa}555{sub:04d}"


@given(st.text(alphabet="0123456789", min_size=1, max_size=25))
def test_fast_luhn_agrees_with_python_stdnum(digits: str) -> None:
    from stdnum import luhn as reference

    from posapp.domain.identifiers import luhn_check_digit, luhn_is_valid

    assert luhn_is_valid(digits) == reference.is_valid(digits)
    assert luhn_check_digit(digits) == reference.calc_check_digit(digits)
