"""The account PIN rule (DOMAIN.md, identifiers): 6–15 digits; not sequential, not repeating, not the start or
end of any number on the account, not the account number, not the date of birth or SSN, not the previous PIN."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import date

from posapp.errors import ValidationError


def _is_run(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {9})


def check_account_pin(pin: str, *, account_number: str = "", phone_numbers: Iterable[str] = (),
                      date_of_birth: date | None = None, ssn: str = "",
                      is_previous: Callable[[str], bool] | None = None) -> None:
    """Raise ValidationError naming the first rule the PIN breaks."""
    if not pin.isdigit() or not 6 <= len(pin) <= 15:
        raise ValidationError("The account PIN must be 6 to 15 digits.")
    if len(set(pin)) == 1:
        raise ValidationError("The account PIN cannot repeat one digit (like 444444).")
    if _is_run(pin):
        raise ValidationError("The account PIN cannot be a run of digits (like 345678).")
    if account_number and (pin == account_number or pin in account_number):
        raise ValidationError("The account PIN cannot be the account number or part of it.")
    for number in phone_numbers:
        digits = "".join(ch for ch in number if ch.isdigit())
        national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
        if national and (national.startswith(pin) or national.endswith(pin) or digits.endswith(pin)):
            raise ValidationError("The account PIN cannot be the start or end of a phone number on the account.")
    if date_of_birth is not None:
        d = date_of_birth
        forms = {d.strftime(f) for f in ("%m%d%Y", "%d%m%Y", "%Y%m%d", "%m%d%y", "%d%m%y", "%y%m%d")}
        if pin in forms:
            raise ValidationError("The account PIN cannot be the date of birth.")
    ssn_digits = "".join(ch for ch in ssn if ch.isdigit())
    if ssn_digits and (pin in ssn_digits or ssn_digits in pin):
        raise ValidationError("The account PIN cannot contain the social security number.")
    if is_previous is not None and is_previous(pin):
        raise ValidationError("The account PIN cannot be the previous PIN.")
