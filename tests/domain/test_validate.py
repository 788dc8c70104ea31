"""posapp.domain.validate: the identifiers of DOMAIN.md against public vectors and as properties.

Expected check digits are computed here independently (``stdnum.luhn``, ``stdnum.meid``, Python's int for the
EID's mod 97), never copied from the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum import meid as std_meid

from posapp.domain.validate import (
    KINDS,
    DualImei,
    Invalid,
    Valid,
    validate,
    validate_eid,
    validate_iccid,
    validate_imei,
    validate_imei_pair,
    validate_imeisv,
    validate_lpa,
    validate_meid,
    validate_msisdn,
    validate_pin,
)

PUBLIC_IMEIS = ("490154203237518", "356938035643809", "352099001761481")
EID_SGP29 = "89049032123451234512345678901235"  # int % 97 == 1 (the brief's ...224 is not valid: % 97 == 87)
LPA_SGP22 = "LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815"
LPA_SGP22_OID = LPA_SGP22 + "$1.3.6.1.4.1.31746$1"
ICCID_18 = "890126022219358182"


def _eid_check(first30: str) -> str:
    return f"{98 - int(first30 + '00') % 97:02d}"


# -- IMEI / IMEISV ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("imei", PUBLIC_IMEIS)
def test_public_imeis_are_valid_with_their_tac(imei: str) -> None:
    assert luhn.is_valid(imei)
    result = validate_imei(f"{imei[:2]}-{imei[2:8]}-{imei[8:14]}-{imei[14]}")
    assert result == Valid("imei", imei, f"TAC {imei[:8]}")


def test_imei_wrong_check_digit_names_the_right_one() -> None:
    wrong = "490154203237517"
    result = validate_imei(wrong)
    assert isinstance(result, Invalid)
    assert result.reason.startswith(f"IMEI check digit should be {luhn.calc_check_digit(wrong[:14])}, not 7")


def test_imeisv_is_refused_as_imei_and_accepted_as_imeisv_without_luhn() -> None:
    imeisv = "3569380356438091"  # TAC + serial + software version 91; no check digit
    result = validate_imei(imeisv)
    assert isinstance(result, Invalid)
    assert result.reason.startswith("16 digits is an IMEISV (software version 91): give the 15-digit IMEI")
    assert validate_imeisv(imeisv) == Valid("imeisv", imeisv, "TAC 35693803, software version 91")
    bad_luhn = "3569380356438001"  # any 16 digits: an IMEISV is never Luhn-checked
    assert isinstance(validate_imeisv(bad_luhn), Valid)
    assert isinstance(validate_imeisv("356938035643809"), Invalid)  # 15 digits is an IMEI


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "No IMEI"), ("35693803564380", "15 digits; this has 14"), ("35693803564380X", "digits only"),
    ("３５６９３８０３５６４３８０９", "digits only"),  # full-width digits are not ASCII
])
def test_imei_wrong_shapes(text: str, fragment: str) -> None:
    result = validate_imei(text)
    assert isinstance(result, Invalid) and fragment in result.reason


def test_dual_imei_pair() -> None:
    assert validate_imei_pair(PUBLIC_IMEIS[0], PUBLIC_IMEIS[1]) == DualImei(PUBLIC_IMEIS[0], PUBLIC_IMEIS[1])
    same = validate_imei_pair(PUBLIC_IMEIS[0], "49-015420-323751-8")
    assert isinstance(same, Invalid) and "same" in same.reason
    bad = validate_imei_pair(PUBLIC_IMEIS[0], "490154203237517")
    assert isinstance(bad, Invalid) and bad.reason.startswith("The second IMEI: IMEI check digit")


# -- MEID ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["AF0123450ABCDE", "af 01 23 45 0a bc de", "AF0123450ABCDEC",
                                  "293608736500703710", "29360 87365 0070 3710 0"])
def test_meid_stdnum_examples_normalise_to_14_hex(text: str) -> None:
    assert std_meid.is_valid(text)
    result = validate_meid(text)
    assert isinstance(result, Valid) and result.value == "AF0123450ABCDE"


def test_meid_wrong_check_digit_and_length() -> None:
    expected = std_meid.calc_check_digit("AF0123450ABCDE")
    wrong = "0" if expected != "0" else "1"
    result = validate_meid("AF0123450ABCDE" + wrong)
    assert isinstance(result, Invalid) and f"should be {expected}, not {wrong}" in result.reason
    short = validate_meid("AF0123")
    assert isinstance(short, Invalid) and "14 hex digits or 18 decimal" in short.reason


# -- ICCID / EID --------------------------------------------------------------------------------------------

def test_iccid_18_digits_is_offered_its_check_digit() -> None:
    completed = ICCID_18 + luhn.calc_check_digit(ICCID_18)
    assert completed.endswith("0")
    result = validate_iccid(ICCID_18)
    assert isinstance(result, Invalid) and result.suggestion == completed
    assert result.reason == f"ICCID has 18 digits: the check digit is missing; complete: {completed}"
    assert validate_iccid(completed) == Valid("iccid", completed)
    assert validate_iccid(" ".join((completed[:4], completed[4:]))) == Valid("iccid", completed)


def test_iccid_wrong_check_digit_prefix_and_length() -> None:
    completed = ICCID_18 + luhn.calc_check_digit(ICCID_18)
    wrong = completed[:-1] + "5"
    result = validate_iccid(wrong)
    assert isinstance(result, Invalid) and "should be 0, not 5" in result.reason
    result = validate_iccid("1" + completed[1:])
    assert isinstance(result, Invalid) and "starts with 89" in result.reason
    result = validate_iccid("8901")
    assert isinstance(result, Invalid) and "19 to 22 digits" in result.reason


def test_eid_sgp29_vector_and_wrong_check_digits() -> None:
    assert int(EID_SGP29) % 97 == 1
    assert validate_eid(EID_SGP29) == Valid("eid", EID_SGP29)
    brief = "89049032123451234512345678901224"
    assert int(brief) % 97 == 87
    result = validate_eid(brief)
    assert isinstance(result, Invalid) and result.reason.startswith("EID check digits should be 35, not 24")
    result = validate_eid(EID_SGP29[:-1])
    assert isinstance(result, Invalid) and "32 digits; this has 31" in result.reason


# -- activation code ----------------------------------------------------------------------------------------

def test_sgp22_activation_codes() -> None:
    assert validate_lpa(LPA_SGP22) == Valid("lpa", LPA_SGP22, "")
    assert validate_lpa(LPA_SGP22[4:]) == Valid("lpa", LPA_SGP22, "")  # the prefix is optional on input
    assert validate_lpa(LPA_SGP22_OID) == Valid("lpa", LPA_SGP22_OID, "confirmation code required")
    no_oid = LPA_SGP22 + "$$1"
    assert validate_lpa(no_oid) == Valid("lpa", no_oid, "confirmation code required")
    assert validate_lpa(LPA_SGP22 + "$1.3.6.1.4.1.31746") == Valid("lpa", LPA_SGP22 + "$1.3.6.1.4.1.31746", "")


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "No activation code"),
    ("LPA:2$SMDP.GSMA.COM$04386-AGYFT", "LPA:1$"),
    ("LPA:1$SMDP.GSMA.COM", "matching ID"),
    ("LPA:1$SMDP.GSMA.COM$", "matching ID is empty"),
    ("LPA:1$SMDP.GSMA.COM$04386 agyft", "only 0-9, A-Z"),
    ("LPA:1$localhost$04386-AGYFT", "needs a domain"),
    ("LPA:1$10.0.0.1$04386-AGYFT", "not an IP address"),
    ("LPA:1$smdp_bad.example.com$04386-AGYFT", "not a valid host name"),
    ("LPA:1$SMDP.GSMA.COM$04386-AGYFT$1.x.2", "dots"),
    ("LPA:1$SMDP.GSMA.COM$04386-AGYFT$", "followed by the $1 flag"),
    ("LPA:1$SMDP.GSMA.COM$04386-AGYFT$1.2$2", "may only be 1"),
    ("LPA:1$SMDP.GSMA.COM$04386-AGYFT$1.2$1$9", "too many"),
])
def test_bad_activation_codes_say_why_without_echoing_the_code(text: str, fragment: str) -> None:
    result = validate_lpa(text)
    assert isinstance(result, Invalid) and fragment in result.reason
    assert "04386" not in result.reason and "SMDP.GSMA" not in result.reason


# -- phone numbers ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["(206) 555-0142", "206.555.0142", "206-555-0142", "2065550142", "+1 206 555 0142",
                                  "1 (206) 555-0142", "+1-206-555-0142", " 206 555 0142 ", "tel:+1-206-555-0142"])
def test_us_numbers_in_human_formats_to_e164(text: str) -> None:
    assert validate_msisdn(text) == Valid("msisdn", "+12065550142")


def test_other_countries_and_bad_numbers() -> None:
    assert validate_msisdn("+44 20 7946 0958") == Valid("msisdn", "+442079460958")
    assert validate_msisdn("020 7946 0958", region="GB") == Valid("msisdn", "+442079460958")
    short = validate_msisdn("555-0142")
    assert isinstance(short, Invalid) and short.reason == "7 digits is a local number: add the area code."
    shorter = validate_msisdn("555-01")
    assert isinstance(shorter, Invalid) and "Too few digits for a US number" in shorter.reason
    long = validate_msisdn("206 555 0142 99")
    assert isinstance(long, Invalid) and "Too many" in long.reason
    for text in ("hello", "+999 555 0142"):
        assert isinstance(validate_msisdn(text), Invalid)
    bad_area = validate_msisdn("(011) 555-0142")
    assert isinstance(bad_area, Invalid)


# -- account PIN --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("pin", "facts", "fragment"), [
    ("12345", {}, "6 to 15 digits"), ("1234567890123456", {}, "6 to 15 digits"), ("12a456", {}, "6 to 15 digits"),
    ("777777", {}, "repeat"), ("234567", {}, "run"), ("876543", {}, "run"), ("890123", {}, "run"),
    ("482915", {"account_number": "90482915"}, "account number"),
    ("206555", {"numbers": ["+12065550142"]}, "start or end"),
    ("550142", {"numbers": ["(206) 555-0142"]}, "start or end"),
    ("031585", {"dob": date(1985, 3, 15)}, "date of birth"),
    ("03151985", {"dob": date(1985, 3, 15)}, "date of birth"),
    ("19850315", {"dob": date(1985, 3, 15)}, "date of birth"),
    ("917293", {"ssn_last4": "7293"}, "social security"),
    ("123457293", {"ssn": "123-45-7293"}, "social security"),
    ("482915", {"previous": "482915"}, "previous PIN"),
])
def test_pin_rule_refusals(pin: str, facts: dict[str, object], fragment: str) -> None:
    result = validate_pin(pin, **facts)  # type: ignore[arg-type]
    assert isinstance(result, Invalid) and fragment in result.reason
    assert pin not in result.reason


def test_pin_accepted_is_masked() -> None:
    result = validate_pin("482915", account_number="123456789", numbers=["+12065550142"], dob=date(1985, 3, 15),
                          ssn_last4="7293", previous="918273")
    assert result == Valid("pin", "******", "meets the account PIN rule")


def test_dispatch_and_unknown_kind() -> None:
    assert validate("imei", PUBLIC_IMEIS[0]) == validate_imei(PUBLIC_IMEIS[0])
    assert isinstance(validate("pin", "482915"), Valid)
    unknown = validate("vin", "1")
    assert isinstance(unknown, Invalid) and "one of imei" in unknown.reason


# -- properties ---------------------------------------------------------------------------------------------

bodies14 = st.text(alphabet="0123456789", min_size=14, max_size=14)
noise = st.lists(st.sampled_from([" ", "-", " - ", "  "]), min_size=0, max_size=4)


def _with_noise(value: str, seps: list[str], positions: list[int]) -> str:
    out = value
    for sep, pos in sorted(zip(seps, positions, strict=False), key=lambda p: -p[1]):
        cut = pos % (len(out) + 1)
        out = out[:cut] + sep + out[cut:]
    return out


@given(bodies14, st.integers(0, 14), st.integers(1, 9))
def test_any_valid_imei_with_one_digit_changed_is_invalid(body: str, where: int, delta: int) -> None:
    imei = body + luhn.calc_check_digit(body)
    assert isinstance(validate_imei(imei), Valid)
    changed = imei[:where] + str((int(imei[where]) + delta) % 10) + imei[where + 1:]
    assert isinstance(validate_imei(changed), Invalid)


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_completing_an_18_digit_iccid_validates(tail: str) -> None:
    partial = "89" + tail
    result = validate_iccid(partial)
    assert isinstance(result, Invalid) and result.suggestion == partial + luhn.calc_check_digit(partial)
    assert validate_iccid(result.suggestion) == Valid("iccid", result.suggestion)


@given(st.text(alphabet="0123456789", min_size=30, max_size=30))
def test_eid_with_computed_check_digits_validates(first30: str) -> None:
    eid = first30 + _eid_check(first30)
    assert int(eid) % 97 == 1
    assert validate_eid(eid) == Valid("eid", eid)
    other = first30 + f"{(int(_eid_check(first30)) + 1) % 100:02d}"
    assert isinstance(validate_eid(other), Invalid)


@given(bodies14, noise, st.lists(st.integers(0, 40), min_size=4, max_size=4))
def test_formatting_noise_never_changes_the_normalised_value(body: str, seps: list[str],
                                                             positions: list[int]) -> None:
    imei = body + luhn.calc_check_digit(body)
    assert validate_imei(_with_noise(imei, seps, positions)) == validate_imei(imei)
    iccid = "8901" + body + luhn.calc_check_digit("8901" + body)
    assert validate_iccid(_with_noise(iccid, seps, positions)) == validate_iccid(iccid)


@given(st.sampled_from(["206", "425", "312", "617"]), st.integers(0, 9999),
       st.sampled_from(["({a}) 555-{n}", "{a}.555.{n}", "+1 {a} 555 {n}", "1-{a}-555-{n}", "{a}555{n}"]))
def test_phone_formats_never_change_the_e164(area: str, line: int, fmt: str) -> None:
    n = f"{line:04d}"
    assert validate_msisdn(fmt.format(a=area, n=n)) == Valid("msisdn", f"+1{area}555{n}")


@given(st.text(alphabet="0123456789ABCDEF", min_size=14, max_size=14), st.booleans())
def test_meid_decimal_and_hex_forms_normalise_alike(hex14: str, with_check: bool) -> None:
    decimal = std_meid.format(hex14, separator="", format="dec", add_check_digit=with_check)
    assert validate_meid(decimal) == validate_meid(hex14.lower()) == Valid(
        "meid", hex14, f"check digit {std_meid.calc_check_digit(hex14)}")


@given(st.sampled_from(KINDS), st.text(max_size=60))
def test_validators_never_raise_on_arbitrary_text(kind: str, text: str) -> None:
    result = validate(kind, text)
    assert isinstance(result, Valid | Invalid) and result.kind == kind
    if isinstance(result, Invalid):
        assert result.reason
