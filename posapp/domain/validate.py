"""Validators for the identifiers of DOMAIN.md (table "Identifiers"): each returns the normalised value
(:class:`Valid`) or a precise reason (:class:`Invalid`), never raises on any text. Pure, no I/O.

IMEI, IMEISV, MEID (``stdnum.meid``), ICCID (an 18-digit one is offered its check digit), EID (mod 97), the eSIM
activation code (GSMA SGP.22 §4.1), phone numbers (``phonenumbers``, E.164 out) and the account PIN rule.
A reason never repeats an activation code or a PIN: it says what is wrong, not the value.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

import phonenumbers
from stdnum import luhn as std_luhn
from stdnum import meid as std_meid
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from posapp.domain import identifiers as ids
from posapp.domain.account_pin import check_account_pin
from posapp.domain.activation_code import parse_activation_code
from posapp.errors import ValidationError

KINDS = ("imei", "imeisv", "meid", "iccid", "eid", "lpa", "msisdn", "pin")
Kind = Literal["imei", "imeisv", "meid", "iccid", "eid", "lpa", "msisdn", "pin"]


@dataclass(frozen=True)
class Valid:
    kind: str
    value: str
    note: str = ""  # what else the value says (the TAC, the software version, "confirmation code required")
    valid: Literal[True] = True


@dataclass(frozen=True)
class Invalid:
    kind: str
    reason: str
    suggestion: str | None = None  # a corrected value to offer (an 18-digit ICCID completed)
    valid: Literal[False] = False


Result = Valid | Invalid


@dataclass(frozen=True)
class DualImei:
    """The two IMEIs of a dual-SIM / eSIM phone, both valid and distinct (DOMAIN.md sets no rule on their TACs)."""

    first: str
    second: str
    valid: Literal[True] = True


def _digits(text: str, kind: str, label: str) -> str | Invalid:
    digits = ids.digits_only(text)
    if not digits:
        return Invalid(kind, f"No {label} given.")
    if not (digits.isascii() and digits.isdigit()):
        return Invalid(kind, f"An {label} has digits only (spaces and dashes are fine)."
                       if label[0] in "AEIOU" else f"A {label} has digits only (spaces and dashes are fine).")
    return digits


# -- IMEI and IMEISV ----------------------------------------------------------------------------------------

def validate_imei(text: str) -> Result:
    digits = _digits(text, "imei", "IMEI")
    if isinstance(digits, Invalid):
        return digits
    if len(digits) == ids.IMEISV_LENGTH:
        return Invalid("imei", f"16 digits is an IMEISV (software version {digits[14:]}): give the 15-digit IMEI "
                       "(dial *#06#).")
    if len(digits) != ids.IMEI_LENGTH:
        return Invalid("imei", f"An IMEI has 15 digits; this has {len(digits)}.")
    expected = ids.luhn_check_digit(digits[:14])
    if digits[14] != expected:
        return Invalid("imei", f"IMEI check digit should be {expected}, not {digits[14]}: check for a typo.")
    return Valid("imei", digits, f"TAC {digits[:8]}")


def validate_imei_pair(first: str, second: str) -> DualImei | Invalid:
    """A dual-IMEI device: both IMEIs valid and not the same one twice."""
    results = (validate_imei(first), validate_imei(second))
    for which, r in zip(("first", "second"), results, strict=True):
        if isinstance(r, Invalid):
            return Invalid("imei", f"The {which} IMEI: {r.reason}")
    a, b = (r.value for r in results if isinstance(r, Valid))
    if a == b:
        return Invalid("imei", "Both IMEIs are the same: a dual-SIM phone has two different IMEIs "
                       "(*#06# shows both).")
    return DualImei(a, b)


def validate_imeisv(text: str) -> Result:
    """16 digits: TAC + serial + 2-digit software version. It has no check digit and is never Luhn-checked."""
    digits = _digits(text, "imeisv", "IMEISV")
    if isinstance(digits, Invalid):
        return digits
    if len(digits) == ids.IMEI_LENGTH:
        return Invalid("imeisv", "15 digits is an IMEI, not an IMEISV (16 digits: TAC, serial and a 2-digit "
                       "software version).")
    if len(digits) != ids.IMEISV_LENGTH:
        return Invalid("imeisv", f"An IMEISV has 16 digits; this has {len(digits)}.")
    return Valid("imeisv", digits, f"TAC {digits[:8]}, software version {digits[14:]}")


# -- MEID ---------------------------------------------------------------------------------------------------

def _meid_expected_check(compact: str) -> str:
    body = compact[:18] if len(compact) >= 18 else compact[:14]
    return std_luhn.calc_check_digit(body) if len(body) == 18 else std_meid.calc_check_digit(body)


def validate_meid(text: str) -> Result:
    """14 hex digits or 18 decimal ones, each with an optional check digit; normalised to the 14-hex form."""
    compact = ids.digits_only(text).upper()
    if not compact:
        return Invalid("meid", "No MEID given.")
    if not compact.isascii():
        return Invalid("meid", "A MEID has hex digits (0-9, A-F) or decimal digits only.")
    try:
        value = std_meid.validate(compact)
    except InvalidLength:
        return Invalid("meid", "A MEID has 14 hex digits or 18 decimal digits (each with an optional check digit); "
                       f"this has {len(compact)} characters.")
    except InvalidFormat:
        return Invalid("meid", "A MEID has hex digits (0-9, A-F) for the 14/15-character form or decimal digits "
                       "for the 18/19-digit form.")
    except InvalidChecksum:
        return Invalid("meid", f"MEID check digit should be {_meid_expected_check(compact)}, not {compact[-1]}.")
    except InvalidComponent:
        return Invalid("meid", "The decimal MEID's manufacturer code (first 10 digits) or serial (last 8) is out "
                       "of range.")
    except StdnumError:
        return Invalid("meid", "Not a MEID.")
    return Valid("meid", value, f"check digit {std_meid.calc_check_digit(value)}")


# -- ICCID and EID ------------------------------------------------------------------------------------------

def validate_iccid(text: str) -> Result:
    digits = _digits(text, "iccid", "ICCID")
    if isinstance(digits, Invalid):
        return digits
    if not digits.startswith("89"):
        return Invalid("iccid", "An ICCID starts with 89 (the telecom industry code).")
    if len(digits) == ids.ICCID_MIN - 1:
        completed = digits + ids.luhn_check_digit(digits)
        return Invalid("iccid", f"ICCID has 18 digits: the check digit is missing; complete: {completed}",
                       suggestion=completed)
    if not ids.ICCID_MIN <= len(digits) <= ids.ICCID_MAX:
        return Invalid("iccid", f"An ICCID has 19 to 22 digits; this has {len(digits)}.")
    expected = ids.luhn_check_digit(digits[:-1])
    if digits[-1] != expected:
        return Invalid("iccid", f"ICCID check digit should be {expected}, not {digits[-1]}: check for a typo.")
    return Valid("iccid", digits)


def validate_eid(text: str) -> Result:
    digits = _digits(text, "eid", "EID")
    if isinstance(digits, Invalid):
        return digits
    if len(digits) != ids.EID_LENGTH:
        return Invalid("eid", f"An EID has 32 digits; this has {len(digits)}.")
    if int(digits) % 97 != 1:
        expected = ids.eid_with_check_digits(digits)[-2:]
        return Invalid("eid", f"EID check digits should be {expected}, not {digits[-2:]}: check for a typo.")
    return Valid("eid", digits)


# -- eSIM activation code -----------------------------------------------------------------------------------

def validate_lpa(text: str) -> Result:
    """The activation code with its ``LPA:`` prefix; the reason never repeats the code."""
    code = parse_activation_code(text)
    if isinstance(code, str):
        return Invalid("lpa", code)
    return Valid("lpa", code.text, "confirmation code required" if code.confirmation_required else "")


# -- phone numbers ------------------------------------------------------------------------------------------

_TOO = {phonenumbers.ValidationResult.TOO_SHORT: "too few", phonenumbers.ValidationResult.TOO_LONG: "too many",
        phonenumbers.ValidationResult.INVALID_LENGTH: "the wrong number of"}


def validate_msisdn(text: str, region: str = "US") -> Result:
    """Any human format to E.164 (default region US)."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return Invalid("msisdn", "Not a phone number: give 10 digits, or + and the country code for another "
                       "country.")
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible == phonenumbers.ValidationResult.INVALID_COUNTRY_CODE:
        return Invalid("msisdn", f"+{number.country_code} is not a country code.")
    if possible == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        nsn = phonenumbers.national_significant_number(number)
        return Invalid("msisdn", f"{len(nsn)} digits is a local number: add the area code.")
    if possible in _TOO:
        nsn = phonenumbers.national_significant_number(number)
        where = phonenumbers.region_code_for_country_code(number.country_code or 0)
        return Invalid("msisdn", f"{_TOO[possible].capitalize()} digits for a {where} number ({len(nsn)}"
                       f"{' after the country code' if number.country_code != 1 else ''}).")
    if not phonenumbers.is_valid_number(number):
        return Invalid("msisdn", "Not a number in service (check the area code and exchange).")
    return Valid("msisdn", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


# -- account PIN ----------------------------------------------------------------------------------------------

def validate_pin(pin: str, *, account_number: str = "", numbers: Iterable[str] = (), dob: date | None = None,
                 ssn: str = "", ssn_last4: str = "", previous: str | None = None) -> Result:
    """The account PIN rule. The facts are compared in memory; the PIN is never echoed (value is masked)."""
    if not (pin.isascii() and pin.isdigit()):
        return Invalid("pin", "The account PIN must be 6 to 15 digits.")
    same: Callable[[str], bool] | None = None
    if previous:
        old = previous.encode()
        same = lambda p: hmac.compare_digest(p.encode(), old)  # noqa: E731
    last4 = "".join(ch for ch in ssn_last4 if ch.isdigit())
    try:
        check_account_pin(pin, account_number=ids.digits_only(account_number), phone_numbers=tuple(numbers),
                          date_of_birth=dob, ssn=ssn, is_previous=same)
    except ValidationError as exc:
        return Invalid("pin", str(exc))
    if last4 and last4 in pin:
        return Invalid("pin", "The account PIN cannot contain the last 4 digits of the social security number.")
    return Valid("pin", "*" * len(pin), "meets the account PIN rule")


_BY_KIND: dict[str, Callable[[str], Result]] = {
    "imei": validate_imei, "imeisv": validate_imeisv, "meid": validate_meid, "iccid": validate_iccid,
    "eid": validate_eid, "lpa": validate_lpa, "msisdn": validate_msisdn, "pin": validate_pin,
}


def validate(kind: str, value: str) -> Result:
    """Dispatch on ``kind`` (one of :data:`KINDS`); ``pin`` here checks only the facts-free rules."""
    check = _BY_KIND.get(kind)
    if check is None:
        return Invalid(kind, f"Unknown kind {kind!r}: one of {', '.join(KINDS)}.")
    return check(value)
