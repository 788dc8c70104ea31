"""Device, SIM and phone identifiers (DOMAIN.md, Identifiers). Pure functions, no I/O.

* IMEI: 15 digits = 8-digit TAC + 6-digit serial + Luhn check digit (3GPP TS 23.003). A 16-digit IMEISV
  (TAC + serial + 2-digit software version) has no check digit and is never Luhn-checked: where an IMEI is
  needed it is rejected, or -- only when the caller asks for it -- its SVN is dropped and the check digit computed.
* ICCID: ``89`` + country + issuer + account + Luhn digit, 19 or 20 digits in practice, at most 22. An 18-digit
  ICCID is missing its check digit: :func:`iccid_complete` offers the completed number instead of rejecting it.
* EID: 32 digits whose last two are mod-97 check digits, valid when ``int(eid) % 97 == 1`` (GSMA SGP.29).
* Phone numbers are stored as E.164 (``+12065550142``) and searched by their national digits.
"""

from __future__ import annotations

import re

import phonenumbers

from posapp.errors import ValidationError

_SEPARATORS = re.compile(r"[\s\-./]")
IMEI_LENGTH = 15
IMEISV_LENGTH = 16
ICCID_MIN, ICCID_MAX = 19, 22
EID_LENGTH = 32


def digits_only(text: str) -> str:
    """``text`` without the spaces, dashes, dots and slashes that scanners and people add."""
    return _SEPARATORS.sub("", text.strip())


# -- Luhn ---------------------------------------------------------------------------------------------------

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # digit * 2, digits summed


def _luhn_sum(digits: str, *, double_first: bool) -> int:
    """Luhn sum from the rightmost digit; ``double_first`` doubles the rightmost one (payload without check digit).
    Table-driven: this runs on every search keystroke, where stdnum's generic version costs ~10 µs."""
    total = 0
    double = double_first
    for ch in reversed(digits):
        n = ord(ch) - 48
        total += _DOUBLED[n] if double else n
        double = not double
    return total


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def luhn_check_digit(payload: str) -> str:
    """The Luhn check digit to append to ``payload`` (digits only)."""
    if not _ascii_digits(payload):
        raise ValueError("a Luhn payload must be digits")
    return str((10 - _luhn_sum(payload, double_first=True) % 10) % 10)


def luhn_is_valid(number: str) -> bool:
    return _ascii_digits(number) and _luhn_sum(number, double_first=False) % 10 == 0


# -- IMEI ---------------------------------------------------------------------------------------------------

def normalize_imei(text: str, *, drop_svn: bool = False) -> str:
    """Return the 15-digit IMEI in ``text`` or raise :class:`ValidationError`.

    Spaces and dashes are removed. A 16-digit IMEISV is rejected unless ``drop_svn`` is true; then its 2-digit
    software version is dropped and the check digit computed (the IMEISV itself has none to check).
    """
    digits = digits_only(text)
    if not digits.isdigit():
        raise ValidationError("An IMEI has digits only.")
    if len(digits) == IMEISV_LENGTH:
        if not drop_svn:
            raise ValidationError("This is a 16-digit IMEISV (with software version), not an IMEI; "
                                  "scan or type the 15-digit IMEI (dial *#06#).")
        body = digits[:14]
        return body + luhn_check_digit(body)
    if len(digits) != IMEI_LENGTH:
        raise ValidationError(f"An IMEI has 15 digits; this has {len(digits)}.")
    if not luhn_is_valid(digits):
        raise ValidationError("This IMEI's check digit is wrong; check for a typo.")
    return digits


def imei_is_valid(text: str) -> bool:
    """True for a 15-digit IMEI with a correct check digit (separators allowed). An IMEISV is not an IMEI."""
    digits = digits_only(text)
    return len(digits) == IMEI_LENGTH and digits.isdigit() and luhn_is_valid(digits)


def tac_of(text: str) -> str:
    """The 8-digit Type Allocation Code (make and model) of an IMEI or IMEISV."""
    digits = digits_only(text)
    if not digits.isdigit() or len(digits) < 14:
        raise ValidationError("Not an IMEI: the TAC needs at least 14 digits.")
    return digits[:8]


def imei_from_parts(tac: str, serial: int) -> str:
    """An IMEI made of an 8-digit TAC and a serial number (0..999999), with its check digit."""
    if len(tac) != 8 or not tac.isdigit() or not 0 <= serial <= 999_999:
        raise ValueError("need an 8-digit TAC and a serial of 0..999999")
    body = f"{tac}{serial:06d}"
    return body + luhn_check_digit(body)


# -- ICCID --------------------------------------------------------------------------------------------------

def iccid_is_valid(text: str) -> bool:
    """A SIM serial: starts with 89, 19 to 22 digits, correct Luhn check digit."""
    digits = digits_only(text)
    return (digits.isdigit() and digits.startswith("89") and ICCID_MIN <= len(digits) <= ICCID_MAX
            and luhn_is_valid(digits))


def iccid_complete(text: str) -> str | None:
    """The full ICCID for ``text``: itself when valid; with the check digit appended when 18 digits are given
    (the digit is missing -- offer this rather than rejecting); otherwise None."""
    digits = digits_only(text)
    if iccid_is_valid(digits):
        return digits
    if len(digits) == ICCID_MIN - 1 and digits.isdigit() and digits.startswith("89"):
        return digits + luhn_check_digit(digits)
    return None


# -- EID ----------------------------------------------------------------------------------------------------

def eid_is_valid(text: str) -> bool:
    """32 digits whose value mod 97 is 1 (GSMA SGP.29)."""
    digits = digits_only(text)
    return len(digits) == EID_LENGTH and digits.isdigit() and int(digits) % 97 == 1


def eid_with_check_digits(text: str) -> str:
    """Complete an EID: ``text`` is its first 30 digits (or all 32, the last two being replaced).

    The check digits are ``98 - int(first30 + "00") % 97``, zero-padded to two digits.
    """
    digits = digits_only(text)
    if not digits.isdigit() or len(digits) not in (EID_LENGTH - 2, EID_LENGTH):
        raise ValidationError("An EID has 32 digits (give the first 30 to compute the check digits).")
    body = digits[:EID_LENGTH - 2]
    return f"{body}{98 - int(body + '00') % 97:02d}"


# -- phone numbers ------------------------------------------------------------------------------------------

def normalize_phone(text: str, region: str = "US") -> str:
    """Any human format (``(206) 555-0142``, ``206.555.0142``, ``+1 206 555 0142``) to E.164.

    Raises :class:`ValidationError` when the text is not a valid number for ``region`` (or, with a leading
    ``+``, for the country it names). US numbers cannot be classed mobile or landline from the number.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(f"{text!r} is not a phone number.") from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(f"{text!r} has the wrong number of digits for a phone number.")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(f"{text!r} is not a valid phone number (check the area code).")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits(text: str) -> str:
    """The national digits used for prefix search: ``+12065550142`` -> ``2065550142``.

    For text without ``+`` (a partial number typed into a search box) the digits are kept as typed, less a
    leading US/Canada ``1`` when 11 digits are given.
    """
    if text.strip().startswith("+"):
        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            raise ValidationError(f"{text!r} is not a phone number.") from None
        return phonenumbers.national_significant_number(number)
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        return digits[1:]
    return digits
